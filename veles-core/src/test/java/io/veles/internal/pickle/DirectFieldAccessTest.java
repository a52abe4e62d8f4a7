package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                Float.intBitsToFloat(0x7f80_0001), // a signalling NaN
                Double.longBitsToDouble(0xfff0_0000_0000_0001L),
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
        assertThat(Float.floatToRawIntBits((Float) restored.boxes.get(0))).isEqualTo(0x7f80_0001);
        assertThat(Double.doubleToRawLongBits((Double) restored.boxes.get(1))).isEqualTo(0xfff0_0000_0000_0001L);
        assertThat(Float.floatToRawIntBits((Float) restored.boxes.get(2))).isEqualTo(0x7fc0_0000);
        assertThat(Float.floatToRawIntBits((Float) restored.boxes.get(3))).isEqualTo(0x8000_0000);
        assertThat(restored.boxes.get(4)).isEqualTo(Double.MIN_VALUE);
        assertThat(restored.name()).isEqualTo("every");
        assertThat(restored.workflow()).isInstanceOf(Holder.class);
    }

    /** Older snapshots read the same: raw bits differ from Kryo's encoding only for NaN payloads. */
    @Test
    void floatsAndDoublesOtherThanNanPayloadsAreTheBytesKryoWrote() {
        Random random = new Random(17);
        for (int i = 0; i < 10_000; i++) {
            float f = i < 4
                    ? new float[] {0f, -0f, Float.POSITIVE_INFINITY, Float.NaN}[i]
                    : Float.intBitsToFloat(random.nextInt());
            double d = i < 4
                    ? new double[] {0d, -0d, Double.NEGATIVE_INFINITY, Double.NaN}[i]
                    : Double.longBitsToDouble(random.nextLong());
            if (Float.isNaN(f) && Float.floatToRawIntBits(f) != Float.floatToIntBits(f)) {
                continue;
            }
            Output kryos = new Output(16);
            kryos.writeFloat(f);
            Output ours = new Output(16);
            ours.writeInt(Float.floatToRawIntBits(f));
            assertThat(ours.toBytes())
                    .as("float bits %08x", Float.floatToRawIntBits(f))
                    .isEqualTo(kryos.toBytes());
            if (Double.isNaN(d) && Double.doubleToRawLongBits(d) != Double.doubleToLongBits(d)) {
                continue;
            }
            kryos = new Output(16);
            kryos.writeDouble(d);
            ours = new Output(16);
            ours.writeLong(Double.doubleToRawLongBits(d));
            assertThat(ours.toBytes())
                    .as("double bits %016x", Double.doubleToRawLongBits(d))
                    .isEqualTo(kryos.toBytes());
        }
    }

    @Test
    void aSlotRefusesAValueItsFieldCannotHoldAndKeepsTheOldOne() throws Exception {
        EveryKind unit = (EveryKind) new Holder().findUnit("every");
        FieldSlot slot = new FieldSlot(EveryKind.class.getDeclaredField("label"), "label");
        assertThatThrownBy(() -> slot.setObject(unit, new Tag("forged")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Label.class.getName());
        assertThat(unit.label.text).isEqualTo("kept");
        slot.setObject(unit, null);
        assertThat(unit.label).isNull();
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
