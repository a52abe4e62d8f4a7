package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;
import com.example.catalogue.Catalogue;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
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

    /** Counts the strings read the slow way: Kryo's serializer reads the name as a String. */
    static final class CountingInput extends SnapshotInput {
        int stringsRead;

        CountingInput(byte[] bytes) {
            super(new ByteArrayInputStream(bytes), 1024, bytes.length);
        }

        @Override
        public String readString() {
            stringsRead++;
            return super.readString();
        }
    }

    @Test
    void aRunOfOneConstantIsReadByNameOnceThenFromTheBuffer() {
        List<Names> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add(Names.VALUE);
        }
        values.add(Names.A); // one character: written with a length, always read the slow way
        values.add(Names.A);
        Kryo kryo = new Kryo();
        EnumNameSerializer kryos = new EnumNameSerializer(Names.class);
        Output output = new Output(1024, -1);
        for (Names value : values) {
            kryo.writeObject(output, value, kryos);
        }
        byte[] bytes = output.toBytes();
        CountingInput input = new CountingInput(bytes);
        EnumByName ours = new EnumByName(Names.class);
        for (Names value : values) {
            assertThat(kryo.readObject(input, Names.class, ours)).isEqualTo(value);
        }
        assertThat(input.stringsRead).isEqualTo(3);
        assertThat(input.consumed()).isEqualTo(bytes.length);
    }

    /** A unit holding constants, some with bodies of their own, repeated, alone and in enum collections. */
    static final class Holder extends Unit {
        final List<Object> constants = new ArrayList<>();
        EnumSet<Names> set = EnumSet.of(Names.AB, Names.VALUE);
        EnumMap<Names, Catalogue.Op> map = new EnumMap<>(Names.class);

        Holder(Workflow workflow) {
            super(workflow, "holder");
            for (int i = 0; i < 50; i++) {
                constants.add(Catalogue.Op.MUL);
                constants.add(i % 3 == 0 ? Names.ÉTÉ : Names.VALUE);
                constants.add(Catalogue.Op.MUL);
                constants.add(Catalogue.Op.ADD);
            }
            map.put(Names.VALUE, Catalogue.Op.MUL);
            map.put(Names.A, Catalogue.Op.ADD);
        }

        @Override
        public void run() {}
    }

    static final class HolderWorkflow extends Workflow {
        final Holder holder = new Holder(this);

        HolderWorkflow() {
            super("holders");
        }
    }

    @Test
    void constantsComeBackThroughASnapshot() {
        HolderWorkflow original = new HolderWorkflow();
        HolderWorkflow copy = RoundTrip.copy(original);
        assertThat(copy.holder.constants).containsExactlyElementsOf(original.holder.constants);
        assertThat(copy.holder.set).isEqualTo(original.holder.set);
        assertThat(copy.holder.map).isEqualTo(original.holder.map);
        assertThat(((Catalogue.Op) copy.holder.constants.get(0)).apply(3, 4)).isEqualTo(12);
    }

    @Test
    void anUnknownNameAfterAKnownOneIsRefusedNamingTheEnumAndTheConstant() {
        Kryo kryo = new Kryo();
        Output output = new Output(64, -1);
        output.writeString("VALUE");
        output.writeString("VALUEX"); // the last constant's name and more
        byte[] bytes = output.toBytes();
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), 64, bytes.length);
        EnumByName ours = new EnumByName(Names.class);
        assertThat(kryo.readObject(input, Names.class, ours)).isEqualTo(Names.VALUE);
        assertThatThrownBy(() -> kryo.readObject(input, Names.class, ours))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining(Names.class.getName() + ": it has no constant VALUEX any more");
    }

    /** A name from the snapshot is quoted escaped (it may hold control characters); no name at all is corruption. */
    @Test
    void aNameReadIsEscapedAndAMissingOneIsCorrupt() {
        Kryo kryo = new Kryo();
        Output output = new Output(64, -1);
        output.writeString("RED\u001b[2J");
        output.writeString(null);
        byte[] bytes = output.toBytes();
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), 64, bytes.length);
        EnumByName ours = new EnumByName(Names.class);
        assertThatThrownBy(() -> kryo.readObject(input, Names.class, ours))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("it has no constant RED")
                .message()
                .doesNotContain("\u001b");
        assertThatThrownBy(() -> kryo.readObject(input, Names.class, ours))
                .isInstanceOf(io.veles.errors.CorruptSnapshotException.class);
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
