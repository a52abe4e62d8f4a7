package io.veles.internal.pickle;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.veles.errors.CorruptSnapshotException;
import io.veles.workflow.Bool;

import java.util.Arrays;

/**
 * How format 4 writes a {@link Bool}, the cell every unit's two gates hold: one byte, then the
 * operands an expression is made of, each by reference. Formats 1 to 3 wrote a cell field by
 * field, its operation as an enum named in full and two null operands; for a workflow of many
 * small units that was about a tenth of a snapshot and of a restore (W2, forty-first session).
 *
 * <pre>
 * byte     bits 0-1: the operation's ordinal ({@code Bool.Op}: VALUE, NOT, AND, OR)
 *          bit 2:    the cell's value (VALUE only; 0 for an expression)
 *          bits 3-7: 0
 * left     NOT, AND, OR: a reference to a Bool
 * right    AND, OR: a reference to a Bool
 * </pre>
 *
 * The order of {@code Bool.Op}'s constants is part of the format: the class refuses to load if
 * they change. A reader refuses a byte no writer makes, and an operand that is missing, not a
 * cell, or the cell itself.
 */
final class BoolLayout {
    /** The first format version that writes cells this way. */
    static final int FIRST_VERSION = 4;

    /** Bool.Op's constants in the order of their ordinals, which the first byte records. */
    private static final String[] ORDER = {"VALUE", "NOT", "AND", "OR"};

    static final FieldSlot OP;
    static final FieldSlot LEFT;
    static final FieldSlot RIGHT;
    static final FieldSlot VALUE;
    /** Bool.Op's constants, by ordinal. */
    static final Enum<?>[] OPS;

    static {
        ClassSchema schema = ClassSchema.of(Bool.class);
        OP = schema.slot("op");
        LEFT = schema.slot("left");
        RIGHT = schema.slot("right");
        VALUE = schema.slot("value");
        OPS = (Enum<?>[]) OP.field.getType().getEnumConstants();
        String[] names = new String[OPS.length];
        for (int i = 0; i < OPS.length; i++) {
            names[i] = OPS[i].name();
        }
        if (!Arrays.equals(names, ORDER)) {
            throw new ExceptionInInitializerError("Bool.Op's constants are " + Arrays.toString(names)
                    + ": snapshot format 4 writes them by ordinal, in the order " + Arrays.toString(ORDER));
        }
    }

    private static final int VALUE_BIT = 4;

    private BoolLayout() {}

    /** Writes {@code cell}'s first byte; returns how many operands follow (0, 1 or 2). */
    static int writeHead(Output output, Bool cell) {
        int op;
        boolean value;
        try {
            op = ((Enum<?>) OP.getObject(cell)).ordinal();
            value = VALUE.getBoolean(cell);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read a Bool", e);
        }
        // An expression's own value is never read (get() evaluates it), and never written.
        output.writeByte(op | (op == 0 && value ? VALUE_BIT : 0));
        return operands(op);
    }

    /** {@code cell}'s left or right operand. */
    static Object operand(FieldSlot side, Bool cell) {
        try {
            return side.getObject(cell);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + side, e);
        }
    }

    /**
     * Reads a cell's first byte, refusing one no writer makes: bits above the third, or a value
     * on an expression.
     */
    static int readHead(Input input) {
        int head = input.readByte() & 0xff;
        if ((head & ~(VALUE_BIT | 3)) != 0 || (head & 3) != 0 && (head & VALUE_BIT) != 0) {
            throw new CorruptSnapshotException("snapshot is corrupt: a Bool's first byte is " + head);
        }
        return head;
    }

    /**
     * {@code operand} as read for an expression, refused unless it is a cell already whole: null,
     * another object, or a cell still being read (a cycle, which no expression can hold) is damage.
     * {@code whole} tells a cell that has been read to the end.
     */
    static <T> T checkedOperand(Object operand, Class<T> type, java.util.function.Predicate<T> whole) {
        if (operand == null) {
            throw new CorruptSnapshotException("snapshot is corrupt: an expression of Bools lacks an operand");
        }
        if (!type.isInstance(operand)) {
            throw new CorruptSnapshotException("snapshot is corrupt: an operand of a Bool is a "
                    + operand.getClass().getName());
        }
        T cell = type.cast(operand);
        if (!whole.test(cell)) {
            throw new CorruptSnapshotException("snapshot is corrupt: a Bool is its own operand");
        }
        return cell;
    }

    static Enum<?> op(int head) {
        return OPS[head & 3];
    }

    static boolean value(int head) {
        return (head & VALUE_BIT) != 0;
    }

    /** The operands an expression of this op has: none for a settable cell, one for NOT, two else. */
    static int operands(int head) {
        int op = head & 3;
        return op == 0 ? 0 : op == 1 ? 1 : 2;
    }
}
