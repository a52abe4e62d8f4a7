package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The class resolver's per-class records change no byte: classes named through them are written
 * as Kryo names them (by number, by name the first time, by name id after), read back in order,
 * named again after a reset, and asked for reference tracking by their own class, not the last one.
 */
class KnownClassesTest {
    enum WithBodies {
        PLAIN,
        SPECIAL {
            @Override
            int weight() {
                return 2;
            }
        };

        int weight() {
            return 1;
        }
    }

    static final class Custom {}

    private static final List<Class<?>> SEQUENCE = List.of(
            String.class,
            ArrayList.class,
            Integer.class,
            Custom.class,
            ArrayList.class,
            WithBodies.SPECIAL.getClass(),
            String.class,
            Custom.class,
            HashMap.class,
            WithBodies.SPECIAL.getClass(),
            WithBodies.class,
            Custom.class,
            Custom.class);

    private static Kryo ours(AllowListClassResolver classes) {
        Kryo kryo = new Kryo(classes, new SnapshotKryo.UnitsByNumber(classes));
        kryo.setRegistrationRequired(false);
        kryo.setAutoReset(false); // one graph until reset(), as a snapshot's session
        return kryo;
    }

    private static Kryo kryosOwn() {
        Kryo kryo = new Kryo(new DefaultClassResolver(), new MapReferenceResolver());
        kryo.setRegistrationRequired(false);
        kryo.setAutoReset(false); // one graph until reset(), as a snapshot's session
        return kryo;
    }

    private static byte[] write(Kryo kryo, int rounds) {
        return write(kryo, rounds, type -> type);
    }

    /** Writes {@link #SEQUENCE}'s classes as {@code asWritten} maps them, {@code rounds} times. */
    private static byte[] write(Kryo kryo, int rounds, java.util.function.UnaryOperator<Class<?>> asWritten) {
        Output output = new Output(1024, -1);
        for (int round = 0; round < rounds; round++) {
            for (Class<?> type : SEQUENCE) {
                kryo.writeClass(output, asWritten.apply(type));
            }
            kryo.reset(); // a new graph names every class again
        }
        return output.toBytes();
    }

    @Test
    void classesAreWrittenAsKryoWritesThem() {
        // as Kryo writes them, but a constant's body class as its enum (AllowListClassResolver.writtenClass)
        assertThat(write(ours(new AllowListClassResolver(null, true)), 2))
                .isEqualTo(
                        write(kryosOwn(), 2, type -> type == WithBodies.SPECIAL.getClass() ? WithBodies.class : type));
    }

    @Test
    void classesAreReadBackInOrderAcrossAReset() {
        byte[] bytes = write(kryosOwn(), 2);
        Kryo kryo = ours(new AllowListClassResolver(null, false));
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), 16, bytes.length);
        for (int round = 0; round < 2; round++) {
            for (Class<?> type : SEQUENCE) {
                Registration registration = kryo.readClass(input);
                assertThat(registration.getType())
                        .isEqualTo(kryo.getRegistration(type).getType());
            }
            kryo.reset();
        }
        assertThat(input.remaining()).isZero();
    }

    @Test
    void trackingIsAnsweredForTheClassAskedAbout() {
        AllowListClassResolver classes = new AllowListClassResolver(null, true);
        Kryo kryo = ours(classes);
        Output output = new Output(1024, -1);
        for (Class<?> type : SEQUENCE) {
            kryo.writeClass(output, type);
            for (Class<?> asked : SEQUENCE) {
                assertThat(kryo.getReferenceResolver().useReferences(asked))
                        .as("%s asked after %s was written", asked, type)
                        .isEqualTo(SnapshotKryo.UnitsByNumber.tracks(asked));
            }
        }
        assertThat(SnapshotKryo.UnitsByNumber.tracks(Integer.class)).isFalse();
        assertThat(SnapshotKryo.UnitsByNumber.tracks(String.class)).isTrue();
    }
}
