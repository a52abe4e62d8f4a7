package io.veles.workflow;

import io.veles.internal.util.Primitives;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * A data link: before the consumer runs (and before it initialises), the consumer's field
 * {@code mine} is set to the source's field {@code theirs}. Objects such as arrays are then
 * shared, not copied; primitive values are read as they are when the consumer runs.
 */
final class AttributeLink {
    private final Unit source;
    private final String mine;
    private final String theirs;
    private transient Field mineField_;
    private transient Field theirsField_;

    AttributeLink(Unit consumer, Unit source, String mine, String theirs) {
        this.source = source;
        this.mine = mine;
        this.theirs = theirs;
        resolve(consumer);
    }

    Unit source() {
        return source;
    }

    String mine() {
        return mine;
    }

    /** Copies the source's current value into the consumer's field. */
    void pull(Unit consumer) {
        if (mineField_ == null) {
            resolve(consumer);
        }
        try {
            mineField_.set(consumer, theirsField_.get(source));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot link " + describe(consumer), e);
        }
    }

    private void resolve(Unit consumer) {
        Field to = findField(consumer.getClass(), mine, consumer);
        Field from = findField(source.getClass(), theirs, source);
        if (Modifier.isFinal(to.getModifiers())) {
            throw new IllegalArgumentException(describe(consumer) + ": " + consumer.name() + "." + mine
                    + " is final and cannot receive a linked value");
        }
        if (!Primitives.box(to.getType()).isAssignableFrom(Primitives.box(from.getType()))) {
            throw new IllegalArgumentException(describe(consumer) + ": " + consumer.name() + "." + mine
                    + " (" + to.getType().getSimpleName() + ") cannot take " + source.name() + "." + theirs
                    + " (" + from.getType().getSimpleName() + ")");
        }
        to.setAccessible(true);
        from.setAccessible(true);
        mineField_ = to;
        theirsField_ = from;
    }

    private String describe(Unit consumer) {
        return "linkAttrs(" + consumer.name() + "." + mine + " <- " + source.name() + "." + theirs + ")";
    }

    private static Field findField(Class<?> type, String name, Unit owner) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException(
                "unit " + owner.name() + " (" + type.getSimpleName() + ") has no field '" + name + "' to link");
    }
}
