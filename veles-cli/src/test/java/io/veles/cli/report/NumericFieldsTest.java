package io.veles.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedGraph;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** The report charts every unit's arrays, a unit named as the workflow (or another unit) too. */
class NumericFieldsTest {
    @TempDir
    Path dir;

    static final class Layer extends Unit {
        final double[] weights;

        Layer(Workflow workflow, String name, double first) {
            super(workflow, name);
            weights = new double[] {first, first + 1};
        }

        @Override
        public void run() {}
    }

    public static final class SameNames extends Workflow {
        public SameNames() {
            super("types");
            new Layer(this, "types", 1);
            new Layer(this, "layer", 3);
            new Layer(this, "layer", 5);
        }
    }

    @Test
    void unitsNamedAsTheWorkflowOrEachOtherAreAllCharted() throws Exception {
        Path file = Files.write(dir.resolve("s.gz"), RoundTrip.write(new SameNames(), Codec.GZIP));
        SavedGraph graph;
        try (SnapshotReader reader = Snapshots.openFile(file)) {
            graph = reader.readSaved(RestoreRules.forWorkflow(SameNames.class));
        }
        assertThat(NumericFields.of(graph))
                .containsKeys("types#2.weights", "layer.weights", "layer#2.weights", "types.random.generator")
                .hasEntrySatisfying(
                        "types#2.weights",
                        weights -> assertThat((double[]) weights).containsExactly(1, 2))
                .hasEntrySatisfying(
                        "layer#2.weights",
                        weights -> assertThat((double[]) weights).containsExactly(5, 6));
    }
}
