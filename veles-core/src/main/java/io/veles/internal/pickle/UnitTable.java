package io.veles.internal.pickle;

import io.veles.errors.CorruptSnapshotException;
import io.veles.workflow.Unit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Numbers the units of a snapshot in the order they are first met. A reference to a unit is
 * written as its number and the unit's own fields are written later, at the top level, so that
 * the serializer never recurses along unit-to-unit links: a chain of 100,000 units takes no more
 * stack than one unit.
 *
 * <p>A table serves one side: a writer numbers units by identity ({@link #numberOf}), a reader
 * looks them up by number ({@link #resolve}). Only the writer's side needs the identity table.
 */
final class UnitTable {
    /** {@code Unit.snapshotNumber_}: see {@link #numberOf}. Opaque access keeps its 64 bits whole. */
    private static final VarHandle NUMBER_STAMP = numberStamp();

    private static final AtomicInteger TABLES = new AtomicInteger();

    /** This table's id in the stamps it leaves; ids repeat only after 2^32 tables, and are checked. */
    final int id = TABLES.incrementAndGet();

    /** The writer's numbers by identity; a reader leaves it empty. */
    private final IdentityNumbers numbers = new IdentityNumbers();

    private final List<Unit> units = new ArrayList<>();

    /**
     * The reader's units' classes, by number: checking a reference against them does not load
     * the unit itself, which after a few thousand units is a cache miss per reference.
     */
    private Class<?>[] classes = new Class<?>[0];

    /** Sizes the table for about {@code count} units, so that numbering them does not grow it again and again. */
    void expect(int count) {
        numbers.expect(count);
    }

    /**
     * The unit's number, assigning the next one if the unit is new. A unit is referenced several
     * times (its workflow's list, its neighbours' links); after the first, its number is read from
     * the stamp this table left on it, which costs no identity-hash lookup (a cache miss per
     * reference, a twentieth of writing 10,000 small units). The stamp is only a hint: it counts
     * when it carries this table's id and this table's unit of that number is this very unit, so a
     * stamp left by another snapshot, even one taken at the same time, cannot mislead it.
     */
    int numberOf(Unit unit) {
        long stamp = (long) NUMBER_STAMP.getOpaque(unit);
        int stamped = (int) stamp;
        if ((int) (stamp >>> 32) == id && stamped >= 0 && stamped < units.size() && units.get(stamped) == unit) {
            return stamped;
        }
        int number = numbers.numberOf(unit);
        if (number < 0) {
            number = numbers.add(unit);
            units.add(unit);
        }
        NUMBER_STAMP.setOpaque(unit, ((long) id << 32) | number);
        return number;
    }

    /**
     * The unit with this number: an existing one, or, for the next number, a new empty instance of
     * {@code type} made by {@code create} (its fields are read later, in order).
     */
    Unit resolve(int number, Class<?> type, Function<Class<?>, Object> create) {
        if (number < units.size()) {
            if (classes[number] != type) {
                throw new CorruptSnapshotException("snapshot is corrupt: unit " + number + " is a "
                        + classes[number].getName() + ", referenced as a " + type.getName());
            }
            return units.get(number);
        }
        if (number != units.size()) {
            throw new CorruptSnapshotException(
                    "snapshot is corrupt: reference to unit " + number + " before unit " + units.size());
        }
        Unit unit = (Unit) create.apply(type);
        if (number == classes.length) {
            classes = Arrays.copyOf(classes, Math.max(16, 2 * number));
        }
        classes[number] = type;
        units.add(unit); // not numbered by identity: no reader looks a unit up that way
        return unit;
    }

    private static VarHandle numberStamp() {
        try {
            return MethodHandles.privateLookupIn(Unit.class, MethodHandles.lookup())
                    .findVarHandle(Unit.class, "snapshotNumber_", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    int size() {
        return units.size();
    }

    Unit get(int number) {
        return units.get(number);
    }

    List<Unit> units() {
        return units;
    }
}
