package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fields are read and written through their offsets (Unsafe), not reflection: every kind lands in
 * its own field with every bit kept (NaN payloads too, in fields and in boxes), and a value its
 * field cannot hold is still refused.
 */
class DirectFieldAccessTest {
    static class Base extends Unit {
        long shadowed = -1; // the subclass has a field of the same name: two slots, two offsets
        byte small = Byte.MIN_VALUE;

        Base(Workflow workflow, String name) {
            super(workflow, name);
        }

        @Override
        public void run() {}
    }

    static final class EveryKind extends Base {
        boolean flag = true;
        byte tiny = -128;
        short half = Short.MIN_VALUE;
        char letter = '\uFFFF';
        int number = Integer.MIN_VALUE;
        long shadowed = Long.MAX_VALUE;
        float single = Float.intBitsToFloat(0x7fc0_1234); // a NaN with a payload
        double wide = -0.0;
        double other = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        final List<String> names = new ArrayList<>(List.of("a", "b"));
        volatile String note = "volatile";
        Object nothing = null;
        Label label = new Label("kept");
        final List<Object> boxes = new ArrayList<>(List.of(
                Float.intBitsToFloat(0x7fc0_0001), // quiet NaNs with payloads
                Double.longBitsToDouble(0xfff8_0000_0000_0001L),
                Float.NaN,
                -0.0f,
                Double.MIN_VALUE));

        EveryKind(Workflow workflow) {
            super(workflow, "every");
            super.shadowed = 42;
        }

        long baseShadowed() {
            return super.shadowed;
        }
    }

    static final class Label {
        final String text;

        Label(String text) {
            this.text = text;
        }
    }

    /** Shaped like Label, but no Label: a field declared Label cannot hold one. */
    static final class Tag {
        final String text;

        Tag(String text) {
            this.text = text;
        }
    }

    static final class Holder extends Workflow {
        Holder() {
            super("holder");
            new EveryKind(this);
        }
    }

    @Test
    void everyKindOfFieldComesBackBitForBitIntoItsOwnSlot() {
        EveryKind restored = (EveryKind) RoundTrip.copy(new Holder()).findUnit("every");
        assertThat(restored.flag).isTrue();
        assertThat(restored.tiny).isEqualTo((byte) -128);
        assertThat(restored.half).isEqualTo(Short.MIN_VALUE);
        assertThat(restored.letter).isEqualTo('\uFFFF');
        assertThat(restored.number).isEqualTo(Integer.MIN_VALUE);
        assertThat(restored.shadowed).isEqualTo(Long.MAX_VALUE);
        assertThat(restored.baseShadowed()).isEqualTo(42);
        assertThat(restored.small).isEqualTo(Byte.MIN_VALUE);
        assertThat(Float.floatToRawIntBits(restored.single)).isEqualTo(0x7fc0_1234);
        assertThat(Double.doubleToRawLongBits(restored.wide)).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(restored.other)).isEqualTo(0x7ff8_0000_dead_beefL);
        assertThat(restored.names).containsExactly("a", "b");
        assertThat(restored.note).isEqualTo("volatile");
        assertThat(restored.nothing).isNull();
        assertThat(restored.label.text).isEqualTo("kept");
        assertThat(restored.boxes).hasSize(5);
        assertThat(Float.floatToRawIntBits((Float) restored.boxes.get(0))).isEqualTo(0x7fc0_0001);
        assertThat(Double.doubleToRawLongBits((Double) restored.boxes.get(1))).isEqualTo(0xfff8_0000_0000_0001L);
        assertThat(Float.floatToRawIntBits((Float) restored.boxes.get(2))).isEqualTo(0x7fc0_0000);
        assertThat(Float.floatToRawIntBits((Float) restored.boxes.get(3))).isEqualTo(0x8000_0000);
        assertThat(restored.boxes.get(4)).isEqualTo(Double.MIN_VALUE);
        assertThat(restored.name()).isEqualTo("every");
        assertThat(restored.workflow()).isInstanceOf(Holder.class);
    }

    /**
     * Older snapshots read the same: the raw bits differ from Kryo's encoding only for NaN
     * payloads, in boxes (our serializers, under Kryo's own ids) and in fields (below).
     */
    @Test
    void floatAndDoubleBoxesOtherThanNanPayloadsAreTheBytesKryoWrote() {
        Kryo kryos = new Kryo();
        kryos.setRegistrationRequired(false);
        Kryo ours = new Kryo();
        ours.setRegistrationRequired(false);
        EverydayValues.register(ours);
        for (Object value : valuesWithoutNanPayloads(20_000)) {
            assertThat(bytes(ours, value)).as("%s", value).isEqualTo(bytes(kryos, value));
        }
    }

    /** Two float and two double fields, written one after the other. */
    static final class Floats extends Unit {
        float f0;
        float f1;
        double d0;
        double d1;

        Floats(Workflow workflow) {
            super(workflow, "floats");
        }

        @Override
        public void run() {}
    }

    static final class FloatsHolder extends Workflow {
        final Floats floats = new Floats(this);

        FloatsHolder() {
            super("floats");
        }
    }

    /** A snapshot holds each float and double field as the bytes Kryo's Output wrote before. */
    @Test
    void floatAndDoubleFieldsOtherThanNanPayloadsAreTheBytesKryoWrote() {
        List<Object> values = valuesWithoutNanPayloads(1_000);
        List<Float> floats = new ArrayList<>();
        List<Double> doubles = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Float) {
                floats.add((Float) value);
            } else {
                doubles.add((Double) value);
            }
        }
        for (int i = 0; i + 1 < Math.min(floats.size(), doubles.size()); i += 2) {
            FloatsHolder holder = new FloatsHolder();
            holder.floats.f0 = floats.get(i);
            holder.floats.f1 = floats.get(i + 1);
            holder.floats.d0 = doubles.get(i);
            holder.floats.d1 = doubles.get(i + 1);
            Output kryos = new Output(32);
            kryos.writeFloat(floats.get(i));
            kryos.writeFloat(floats.get(i + 1));
            kryos.writeDouble(doubles.get(i));
            kryos.writeDouble(doubles.get(i + 1));
            assertThat(RoundTrip.write(holder))
                    .as("fields %s %s %s %s", floats.get(i), floats.get(i + 1), doubles.get(i), doubles.get(i + 1))
                    .containsSequence(kryos.toBytes());
        }
    }

    /** The special values and random bit patterns, with no NaN but the canonical one. */
    private static List<Object> valuesWithoutNanPayloads(int count) {
        Random random = new Random(17);
        List<Object> values = new ArrayList<>(List.of(0f, -0f, Float.POSITIVE_INFINITY, Float.NaN, Float.MIN_VALUE));
        values.addAll(List.of(0d, -0d, Double.NEGATIVE_INFINITY, Double.NaN, Double.MAX_VALUE));
        while (values.size() < count) {
            float f = Float.intBitsToFloat(random.nextInt());
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Float.isNaN(f)) {
                values.add(f);
            }
            if (!Double.isNaN(d)) {
                values.add(d);
            }
        }
        return values;
    }

    private static byte[] bytes(Kryo kryo, Object value) {
        Output output = new Output(32);
        kryo.writeClassAndObject(output, value);
        return output.toBytes();
    }

    @Test
    void plainFieldsAreReadAndWrittenDirectlyAndVolatileOnesByReflection() throws Exception {
        assertThat(new FieldSlot(EveryKind.class.getDeclaredField("label"), "label").isDirect())
                .isTrue();
        assertThat(new FieldSlot(EveryKind.class.getDeclaredField("number"), "number").isDirect())
                .isTrue();
        assertThat(new FieldSlot(EveryKind.class.getDeclaredField("note"), "note").isDirect())
                .isFalse();
    }

    @Test
    void aSlotRefusesAValueItsFieldCannotHoldAndKeepsTheOldOne() throws Exception {
        EveryKind unit = (EveryKind) new Holder().findUnit("every");
        FieldSlot slot = new FieldSlot(EveryKind.class.getDeclaredField("label"), "label");
        assertThat(slot.isDirect()).isTrue();
        assertThatThrownBy(() -> slot.setObject(unit, new Tag("forged")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Label.class.getName());
        assertThat(unit.label.text).isEqualTo("kept");
        slot.setObject(unit, null);
        assertThat(unit.label).isNull();
        // Once a value of the field's own class has been set, another class is still refused.
        slot.setObject(unit, new Label("set"));
        assertThatThrownBy(() -> slot.setObject(unit, new Tag("forged again")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(unit.label.text).isEqualTo("set");
    }

    @Test
    void aRenameThatPutsAnotherClassIntoAFieldIsRefusedByTheRestore() {
        byte[] snapshot = RoundTrip.write(new Holder());
        RestoreRules rules =
                RestoreRules.forWorkflow(Holder.class).renameClass(Label.class.getName(), Tag.class.getName());
        assertThatThrownBy(() -> {
                    try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
                        reader.restore(rules);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                })
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(Label.class.getName())
                .hasMessageContaining("unit 'every'");
    }
}
