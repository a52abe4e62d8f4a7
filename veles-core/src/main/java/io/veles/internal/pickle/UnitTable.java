package io.veles.internal.pickle;

import io.veles.errors.CorruptSnapshotException;
import io.veles.workflow.Unit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /** The unit's number, assigning the next one if the unit is new. */
    int numberOf(Unit unit) {
        int number = numbers.numberOf(unit);
        if (number < 0) {
            number = numbers.add(unit);
            units.add(unit);
        }
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
