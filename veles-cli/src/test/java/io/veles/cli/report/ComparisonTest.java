package io.veles.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veles.snapshot.codec.Codec;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** The report's diff stays a page a browser draws: at most 500 rows, and the count of all. */
class ComparisonTest {
    @TempDir
    Path dir;

    static final class Counter extends Unit {
        int value;

        Counter(Workflow workflow, int index, int value) {
            super(workflow, "counter" + index);
            this.value = value;
        }

        @Override
        public void run() {}
    }

    public static final class Counters extends Workflow {
        Counters(int units, int value) {
            super("counters");
            for (int i = 0; i < units; i++) {
                new Counter(this, i, value);
            }
        }
    }

    @Test
    void aDiffOfThousandsOfChangedUnitsShowsTheFirstFiveHundredAndCountsThemAll() throws Exception {
        Path a = Files.write(dir.resolve("a.gz"), RoundTrip.write(new Counters(2000, 1), Codec.GZIP));
        Path b = Files.write(dir.resolve("b.gz"), RoundTrip.write(new Counters(2000, 2), Codec.GZIP));
        ObjectNode diff = Comparison.diff(a.toString(), b.toString(), getClass().getClassLoader());
        assertThat(diff.has("error")).as(diff.toString()).isFalse();
        assertThat(diff.get("total").asInt()).isEqualTo(2000);
        assertThat(diff.get("differences")).hasSize(Comparison.MAX_DIFFERENCES);
    }
}
