package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Object arrays in Kryo's layout: an array of a final class holds its elements without their
 * classes, any other array with them, and an array of arrays always without (an array class is
 * final). The manifest records each of the code's element classes and whether it was final, so
 * that a restore reads the layout written, whatever the class is today (see CodeChangeTest for
 * classes that changed).
 */
public class ArrayElementsTest {
    /** Not final: its arrays hold a class per element. */
    public static class Open {
        int value;

        Open(int value) {
            this.value = value;
        }
    }

    /** Final: its arrays hold none. */
    public static final class Closed {
        int value;

        Closed(int value) {
            this.value = value;
        }
    }

    public static final class Holder extends Unit {
        Object[][] grid = {{1, "one"}, null, {new Open(2)}};
        Open[][] opens = {{new Open(3), null}, {}};
        Closed[] closed = {new Closed(4), null, new Closed(5)};
        String[] words = {"a", null, "b"};
        int after = 42;

        Holder(Workflow workflow) {
            super(workflow, "holder");
        }

        @Override
        public void run() {}
    }

    public static final class ArraysWorkflow extends Workflow {
        public ArraysWorkflow() {
            super("arrays");
            new Holder(this);
        }
    }

    private static SnapshotReader open(byte[] snapshot) throws IOException {
        return SnapshotReader.open(new ByteArrayInputStream(snapshot), "arrays");
    }

    @Test
    void theManifestRecordsTheCodesElementClassesAndWhetherEachWasFinal() throws IOException {
        try (SnapshotReader reader = open(RoundTrip.write(new ArraysWorkflow()))) {
            // not the JDK's (Object, String), nor arrays (Open[] in Open[][]): their finality does not change
            assertThat(reader.manifest().arrayElementsFinal)
                    .isEqualTo(Map.of(Open.class.getName(), false, Closed.class.getName(), true));
        }
    }

    @Test
    void aWorkflowWithoutSuchArraysRecordsNone() throws IOException {
        try (SnapshotReader reader = open(RoundTrip.write(new Workflow("plain") {}))) {
            assertThat(reader.manifest().arrayElementsFinal).isNull();
        }
    }

    @Test
    void arraysOfArraysAndOfFinalAndOpenClassesRestore() {
        assertRestored((Holder) RoundTrip.copy(new ArraysWorkflow()).findUnit("holder"));
    }

    /** Checks that {@code holder} holds what a new {@link Holder} does. */
    public static void assertRestored(Holder holder) {
        assertThat(holder.grid[0]).containsExactly(1, "one");
        assertThat(holder.grid[1]).isNull();
        assertThat(((Open) holder.grid[2][0]).value).isEqualTo(2);
        assertThat(holder.opens[0][0].value).isEqualTo(3);
        assertThat(holder.opens[1]).isEmpty();
        assertThat(holder.closed[2].value).isEqualTo(5);
        assertThat(holder.words).containsExactly("a", null, "b");
        assertThat(holder.after).isEqualTo(42);
    }

    /**
     * Read as data, an array of arrays of a class that is not final (Object[][], Open[][]) holds
     * its inner arrays without classes, as the writer wrote them: read by the inner arrays'
     * element class, they were misread, and the rest of the unit with them.
     */
    @Test
    void readAsDataArraysOfArraysOfOpenClassesKeepTheirLayout() throws IOException {
        SavedGraph graph;
        try (SnapshotReader reader = open(RoundTrip.write(new ArraysWorkflow()))) {
            graph = reader.readSaved(RestoreRules.forWorkflow(ArraysWorkflow.class));
        }
        SavedObject holder = graph.units().stream()
                .filter(unit -> unit.type() == Holder.class)
                .findFirst()
                .orElseThrow();
        Object[] grid = (Object[]) holder.fields().get("grid");
        assertThat(Arrays.asList((Object[]) grid[0])).containsExactly(1, "one");
        assertThat(grid[1]).isNull();
        Object[] opens = (Object[]) holder.fields().get("opens");
        assertThat(((SavedObject) ((Object[]) opens[0])[0]).fields()).containsEntry("value", 3);
        assertThat(holder.fields()).containsEntry("after", 42);
    }
}
