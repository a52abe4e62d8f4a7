package io.veles.workflow;

import java.util.Objects;

/**
 * A mutable boolean cell, as VELES's {@code mutable.Bool}: gates hold one, and cells combined
 * with {@link #not()}, {@link #and(Bool)} and {@link #or(Bool)} are evaluated each time they are
 * read, so a gate follows the cells it is made of without being reassigned.
 *
 * <pre>{@code
 * Bool complete = new Bool(false);
 * endPoint.gateBlock(complete.not());   // the end point opens once complete is set
 * complete.set(true);
 * }</pre>
 *
 * <p>Cells are captured in snapshots, expressions included, so a restored gate keeps its wiring.
 */
public final class Bool {
    /**
     * Snapshots of format 4 record a cell's operation by ordinal: never reorder, rename or add
     * constants without a new format version (the serializer refuses to load if they change).
     */
    private enum Op {
        VALUE,
        NOT,
        AND,
        OR
    }

    private final Op op;
    private final Bool left;
    private final Bool right;
    private boolean value;

    /** A settable cell holding {@code false}. */
    public Bool() {
        this(false);
    }

    /** A settable cell holding {@code value}. */
    public Bool(boolean value) {
        this(Op.VALUE, null, null);
        this.value = value;
    }

    private Bool(Op op, Bool left, Bool right) {
        this.op = op;
        this.left = left;
        this.right = right;
    }

    /** The current value; expressions are evaluated now. */
    public boolean get() {
        switch (op) {
            case VALUE:
                return value;
            case NOT:
                return !left.get();
            case AND:
                return left.get() && right.get();
            case OR:
                return left.get() || right.get();
            default:
                throw new AssertionError(op);
        }
    }

    /** Sets a settable cell; an expression cannot be set, set the cells it is made of. */
    public void set(boolean newValue) {
        if (op != Op.VALUE) {
            throw new IllegalStateException("cannot set " + this + ": it is computed from other cells");
        }
        value = newValue;
    }

    /** True if this cell can be {@link #set}; false for expressions. */
    public boolean isSettable() {
        return op == Op.VALUE;
    }

    public Bool not() {
        return new Bool(Op.NOT, this, null);
    }

    public Bool and(Bool other) {
        return new Bool(Op.AND, this, Objects.requireNonNull(other, "other"));
    }

    public Bool or(Bool other) {
        return new Bool(Op.OR, this, Objects.requireNonNull(other, "other"));
    }

    @Override
    public String toString() {
        switch (op) {
            case VALUE:
                return Boolean.toString(value);
            case NOT:
                return "!(" + left + ")";
            case AND:
                return "(" + left + " & " + right + ")";
            case OR:
                return "(" + left + " | " + right + ")";
            default:
                throw new AssertionError(op);
        }
    }
}
