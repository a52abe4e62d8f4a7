package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Enum constants read by name: whatever the names (one character, longer than Kryo writes as
 * ASCII, not ASCII, a prefix of another) and wherever the buffer ends, a read gives the constant
 * Kryo's own serializer gives and consumes the bytes it consumes.
 */
class EnumByNameTest {
    enum Names {
        A,
        AB,
        ABC,
        ÉTÉ,
        VALUE,
        VALUF,
        A_NAME_OF_MORE_THAN_THIRTY_TWO_CHARACTERS,
        THIRTY_TWO_CHARACTERS_EXACTLY_XX
    }

    /** Each constant, each followed by a string that must be read intact after it. */
    private static byte[] written(List<Names> values) {
        Kryo kryo = new Kryo();
        EnumNameSerializer kryos = new EnumNameSerializer(Names.class);
        Output output = new Output(1024, -1);
        for (int i = 0; i < values.size(); i++) {
            kryo.writeObject(output, values.get(i), kryos);
            output.writeString("after " + i);
        }
        return output.toBytes();
    }

    private static List<Names> sequence(long seed) {
        Random random = new Random(seed);
        List<Names> values = new ArrayList<>();
        Names[] all = Names.values();
        while (values.size() < 3000) {
            Names value = all[random.nextInt(all.length)];
            for (int run = 1 + random.nextInt(4); run > 0; run--) {
                values.add(value); // runs of one constant, as objects often hold
            }
        }
        return values;
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 7, 13, 64, 4096}) // small buffers put names across their ends
    void everyConstantReadsBackAsKryoWroteIt(int bufferSize) {
        List<Names> values = sequence(bufferSize);
        byte[] bytes = written(values);
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), bufferSize, bytes.length);
        Kryo kryo = new Kryo();
        EnumByName ours = new EnumByName(Names.class);
        for (int i = 0; i < values.size(); i++) {
            assertThat(kryo.readObject(input, Names.class, ours))
                    .as("value %d", i)
                    .isEqualTo(values.get(i));
            assertThat(input.readString()).isEqualTo("after " + i);
        }
        assertThat(input.consumed()).isEqualTo(bytes.length);
    }

    @Test
    void anUnknownNameAfterAKnownOneFailsAsKryosOwnDoes() {
        Kryo kryo = new Kryo();
        Output output = new Output(64, -1);
        output.writeString("VALUE");
        output.writeString("VALUEX"); // the last constant's name and more
        byte[] bytes = output.toBytes();
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), 64, bytes.length);
        EnumByName ours = new EnumByName(Names.class);
        assertThat(kryo.readObject(input, Names.class, ours)).isEqualTo(Names.VALUE);
        assertThatThrownBy(() -> kryo.readObject(input, Names.class, ours))
                .isInstanceOf(KryoException.class)
                .hasMessageContaining("VALUEX");
    }

    @Test
    void asciiFormIsWhatKryoWritesForTheNamesItWritesWithoutALength() {
        for (String text : List.of("AB", "VALUE", "THIRTY_TWO_CHARACTERS_EXACTLY_XX")) {
            Output output = new Output(64, -1);
            output.writeString(text);
            assertThat(SnapshotInput.asciiForm(text)).isEqualTo(output.toBytes());
        }
        for (String text : List.of("", "A", "ÉTÉ", "A_NAME_OF_MORE_THAN_THIRTY_TWO_CHARACTERS")) {
            assertThat(SnapshotInput.asciiForm(text)).as(text).isNull();
        }
    }
}
