package io.veles.internal.pickle;

import static io.veles.internal.pickle.HostilePayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.pickle.ClassAllowList;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedEnum;
import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.workflow.Bool;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Boolean cells, written in a byte each since format 4 ({@link BoolLayout}), come back as the
 * same graph of cells: every operation, expressions over expressions, a cell shared by gates of
 * two units and by a field, and the values of the settable cells.
 */
class BoolCellsTest {
    static final class Holder extends Unit {
        Bool kept; // a cell that gates also use
        Bool deep; // NOT nested many times
        Bool[] cells;

        Holder(Workflow workflow, String name) {
            super(workflow, name);
        }

        @Override
        public void run() {}
    }

    static final class Cells extends Workflow {
        final Holder first;
        final Holder second;

        Cells(int depth) {
            super("cells");
            first = new Holder(this, "first");
            second = new Holder(this, "second");
            Bool shared = new Bool(true);
            Bool other = new Bool(false);
            first.kept = shared;
            first.gateBlock(shared.not());
            first.gateSkip(shared.and(other).or(other.not()));
            second.gateBlock(first.gateBlock()); // the very expression, shared
            second.gateSkip(other);
            Bool deep = shared;
            for (int i = 0; i < depth; i++) {
                deep = deep.not();
            }
            second.deep = deep;
            second.cells = new Bool[] {new Bool(true), new Bool(false), shared, null};
            second.linkFrom(first);
        }
    }

    private static byte[] snapshot(Workflow workflow) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(workflow, new Manifest(), SnapshotWriter.Options.of(Codec.NONE, -1), out);
        return out.toByteArray();
    }

    private static SnapshotReader open(byte[] bytes) throws IOException {
        return SnapshotReader.open(new ByteArrayInputStream(bytes), "cells");
    }

    @Test
    void everyOperationAndEverySharedCellComesBack() throws IOException {
        byte[] bytes = snapshot(new Cells(100));
        Cells restored;
        try (SnapshotReader reader = open(bytes)) {
            assertThat(reader.formatVersion()).isEqualTo(SnapshotFormat.VERSION).isGreaterThanOrEqualTo(4);
            restored = Snapshots.restore(reader, Cells.class, List.of());
        }
        Holder first = restored.first;
        Holder second = restored.second;
        assertThat(first.gateBlock()).hasToString("!(true)");
        assertThat(first.gateSkip()).hasToString("((true & false) | !(false))");
        assertThat(second.gateBlock()).isSameAs(first.gateBlock());
        assertThat(second.gateSkip().isSettable()).isTrue();
        assertThat(second.gateSkip().get()).isFalse();
        assertThat(second.cells[0].get()).isTrue();
        assertThat(second.cells[1].get()).isFalse();
        assertThat(second.cells[2]).isSameAs(first.kept);
        assertThat(second.cells[3]).isNull();
        assertThat(second.deep.get()).isTrue(); // a hundred NOTs of true

        // The expressions follow their cells: one set each, as before the snapshot.
        first.kept.set(false);
        second.gateSkip().set(true);
        assertThat(first.gateBlock().get()).isTrue();
        assertThat(second.gateBlock().get()).isTrue();
        assertThat(first.gateSkip()).hasToString("((false & true) | !(true))");
        assertThat(second.deep.get()).isFalse();
        assertThatThrownBy(() -> first.gateBlock().set(true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cellsReadAsDataHaveTheFieldsOfEveryFormat() throws IOException {
        SavedGraph saved;
        try (SnapshotReader reader = open(snapshot(new Cells(3)))) {
            saved = reader.readSaved(RestoreRules.forWorkflow(Cells.class));
        }
        SavedObject first = saved.units().stream()
                .filter(unit -> "first".equals(unit.name()))
                .findFirst()
                .orElseThrow();
        SavedObject skip = (SavedObject) first.fields().get("gateSkip");
        assertThat(List.copyOf(skip.fields().keySet())).containsExactly("op", "left", "right", "value");
        assertThat(skip.fields().get("op")).isEqualTo(new SavedEnum("io.veles.workflow.Bool$Op", "OR"));
        SavedObject and = (SavedObject) skip.fields().get("left");
        SavedObject not = (SavedObject) skip.fields().get("right");
        assertThat(and.fields().get("op")).isEqualTo(new SavedEnum("io.veles.workflow.Bool$Op", "AND"));
        assertThat(and.fields().get("left")).isSameAs(first.fields().get("kept"));
        assertThat(not.fields().get("left")).isSameAs(and.fields().get("right"));
        assertThat(not.fields().get("right")).isNull();
        SavedObject kept = (SavedObject) first.fields().get("kept");
        assertThat(kept.fields().get("value")).isEqualTo(true);
        assertThat(((SavedObject) and.fields().get("right")).fields().get("value"))
                .isEqualTo(false);
    }

    @Test
    void cellsNestedDeeperThanTheBoundAreRefusedWhenWritten() {
        assertThatThrownBy(() -> snapshot(new Cells(SnapshotKryo.MAX_DEPTH + 10)))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("nest deeper than " + SnapshotKryo.MAX_DEPTH);
    }

    /**
     * The bytes of each operation, pinned: a cell is Kryo's reference marker (1 for a new object,
     * its number + 2 for one written before), then its first byte, then its operands. Reordering
     * Bool.Op, or swapping an expression's operands, changes them.
     */
    @Test
    void eachOperationIsWrittenAsFormatFourSays() {
        Bool yes = new Bool(true);
        Bool no = new Bool(false);
        Bool expression = yes.and(no).or(no.not());
        SnapshotKryo writing = new SnapshotKryo(new PickleContext(), null, true);
        com.esotericsoftware.kryo.io.Output output = new com.esotericsoftware.kryo.io.Output(64, -1);
        writing.kryo.writeObject(output, expression);
        writing.kryo.writeObject(output, new Bool(false));
        // OR: AND(yes, no), NOT(no again: object 3); then a new settable false
        assertThat(output.toBytes()).containsExactly(1, 3, 1, 2, 1, 4, 1, 0, 1, 1, 3 + 2, 1, 0);

        SnapshotKryo reading = new SnapshotKryo(new PickleContext(), null);
        SnapshotInput input = payload(o -> o.writeBytes(output.toBytes()));
        Bool read = reading.kryo.readObject(input, Bool.class);
        assertThat(read).hasToString("((true & false) | !(false))");
        assertThat(reading.kryo.readObject(input, Bool.class).isSettable()).isTrue();
    }

    private static SnapshotKryo restoring() {
        return new SnapshotKryo(
                new PickleContext(), RestoreRules.allowing(ClassAllowList.forWorkflow(Cells.class, List.of())));
    }

    private static Kryo readingAsData() {
        return new SavedStateSerializers(
                        java.util.Map.of(),
                        RestoreRules.forWorkflow(Cells.class),
                        null,
                        new ArrayElementClasses(null, null),
                        SnapshotFormat.VERSION)
                .kryo();
    }

    /** A first byte with bits no writer sets, or with a value on an expression, is damage. */
    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7, 8, 0x80, 0xff})
    void aFirstByteNoWriterMakesIsRefused(int head) {
        for (Kryo kryo : List.of(restoring().kryo, readingAsData())) {
            assertThatThrownBy(() -> kryo.readObject(
                            payload(o -> {
                                o.writeVarInt(Kryo.NOT_NULL, true);
                                o.writeByte(head);
                            }),
                            Bool.class))
                    .isInstanceOf(CorruptSnapshotException.class)
                    .hasMessageContaining("a Bool's first byte is " + head);
        }
    }

    /**
     * An expression's operand that is missing, the expression itself, or an object of another
     * class read before it is damage, refused as it is read (a restore would hand out a gate that
     * fails when first evaluated), whether restored or read as data.
     */
    @ParameterizedTest
    @ValueSource(strings = {"missing", "itself", "a string"})
    void anOperandThatIsNotAnotherCellIsRefused(String operand) {
        String expected = operand.equals("missing")
                ? "lacks an operand"
                : operand.equals("itself") ? "a Bool is its own operand" : "an operand of a Bool is a java.lang.String";
        for (Kryo kryo : List.of(restoring().kryo, readingAsData())) {
            SnapshotInput input = payload(o -> {
                o.writeVarInt(Kryo.NOT_NULL, true); // object 0: a string
                o.writeString("s");
                o.writeVarInt(Kryo.NOT_NULL, true); // object 1: NOT of...
                o.writeByte(1);
                o.writeVarInt(operand.equals("missing") ? Kryo.NULL : operand.equals("itself") ? 1 + 2 : 2, true);
            });
            assertThat(kryo.readObject(input, String.class)).isEqualTo("s");
            assertThatThrownBy(() -> kryo.readObject(input, Bool.class))
                    .isInstanceOf(CorruptSnapshotException.class)
                    .hasMessageContaining(expected);
        }
    }

    @Test
    void aFormatThreeSessionReadsCellsFieldByField() {
        SnapshotKryo three = new SnapshotKryo(new PickleContext(), null, false, 3);
        SnapshotKryo four = new SnapshotKryo(new PickleContext(), null, false, 4);
        assertThat(three.kryo.getSerializer(Bool.class)).isInstanceOf(FieldsSerializer.class);
        assertThat(four.kryo.getSerializer(Bool.class)).isInstanceOf(BoolSerializer.class);
    }
}
