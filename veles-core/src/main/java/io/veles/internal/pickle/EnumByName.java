package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.IncompatibleSnapshotException;
import io.veles.internal.util.Printable;

/**
 * Kryo's {@link EnumNameSerializer}, the same bytes (the constant's name), but a read of the
 * constant read last compares the name's bytes in the buffer instead of making a String and
 * looking it up with {@link Enum#valueOf}. Objects often hold the same constant: a unit's two
 * gates each hold one, and reading them by name was a twentieth of restoring many small units.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class EnumByName extends ImmutableSerializer<Enum> {
    /** A constant and its name as Kryo writes an ASCII one (see {@link SnapshotInput#asciiForm}). */
    private record Named(Enum constant, byte[] ascii) {}

    private final EnumNameSerializer byName;
    private final Class<? extends Enum> type;
    /** The constant read last, in one object so that the two can never disagree; null at first. */
    private Named last;

    EnumByName(Class<? extends Enum> type) {
        byName = new EnumNameSerializer(type);
        this.type = type;
    }

    @Override
    public void write(Kryo kryo, Output output, Enum object) {
        byName.write(kryo, output, object);
    }

    @Override
    public Enum read(Kryo kryo, Input input, Class readType) {
        Named known = last;
        if (known != null
                && known.ascii != null
                && input instanceof SnapshotInput
                && ((SnapshotInput) input).skipAscii(known.ascii)) {
            return known.constant;
        }
        Enum read = constant(input.readString());
        if (known == null || read != known.constant) {
            last = new Named(read, SnapshotInput.asciiForm(read.name()));
        }
        return read;
    }

    /** The constant named {@code name}, refused by name when the code no longer has it. */
    private Enum constant(String name) {
        if (name == null) { // written for a constant, never null: the bytes are not ours
            throw new CorruptSnapshotException("snapshot is corrupt: a " + type.getName() + " constant without a name");
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IncompatibleSnapshotException(
                    "cannot restore a " + type.getName() + ": it has no constant " + Printable.escape(name)
                            + " any more",
                    e);
        }
    }
}
