package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.veles.snapshot.codec.Codec;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * diff compares a graph that shares its lists in the time its size takes, not the number of its
 * paths (a list holding one list four times, 32 levels deep, is a few hundred bytes and 4^32
 * paths), and describes it in a line.
 */
class SharedGraphDiffTest {
    @TempDir
    Path dir;

    static final class Holder extends Unit {
        Object cargo;

        Holder(Workflow workflow) {
            super(workflow, "holder");
        }

        @Override
        public void run() {}
    }

    public static final class Bombs extends Workflow {
        final Holder holder = new Holder(this);

        public Bombs() {
            super("bombs");
        }
    }

    private static byte[] carrying(Object cargo) {
        Bombs workflow = new Bombs();
        workflow.holder.cargo = cargo;
        return RoundTrip.write(workflow, Codec.GZIP);
    }

    private static List<Object> sharedFourTimesPerLevel(int levels) {
        List<Object> level = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            List<Object> above = new ArrayList<>();
            for (int copy = 0; copy < 4; copy++) {
                above.add(level);
            }
            level = above;
        }
        return level;
    }

    @Test
    void twoEqualGraphsThatShareTheirListsCompareInLinearTime() throws Exception {
        // Equal but for a string after the shared graph: diff walks the graph to reach it.
        Path a = Files.write(dir.resolve("a.gz"), carrying(List.of(sharedFourTimesPerLevel(32), "a")));
        Path b = Files.write(dir.resolve("b.gz"), carrying(List.of(sharedFourTimesPerLevel(32), "b")));
        List<SnapshotDiff.Difference> differences = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> SnapshotDiff.compare(a.toString(), b.toString(), false));
        assertThat(differences)
                .filteredOn(difference -> difference.field().equals("cargo"))
                .singleElement()
                .satisfies(difference -> assertThat(difference.detail()).hasSizeLessThan(200));
    }

    public static final class NamedAsItsUnit extends Workflow {
        final Holder holder;

        public NamedAsItsUnit(Object cargo) {
            super("holder");
            holder = new Holder(this);
            holder.cargo = cargo;
        }
    }

    /** A unit named as its workflow (or as another unit) is compared too, not hidden behind it. */
    @Test
    void aUnitNamedAsItsWorkflowIsCompared() throws Exception {
        Path a = Files.write(dir.resolve("a.gz"), RoundTrip.write(new NamedAsItsUnit("a"), Codec.GZIP));
        Path b = Files.write(dir.resolve("b.gz"), RoundTrip.write(new NamedAsItsUnit("b"), Codec.GZIP));
        assertThat(SnapshotDiff.compare(a.toString(), b.toString(), false))
                .anyMatch(difference -> difference.field().equals("cargo")
                        && difference.detail().equals("a -> b"));
    }

    /** Saves an entry only while {@code extra} is set: two snapshots of it differ in their fields. */
    static final class Varying extends Unit {
        transient boolean extra_;

        Varying(Workflow workflow) {
            super(workflow, "varying");
        }

        @Override
        protected void getState(io.veles.pickle.State state) {
            super.getState(state);
            if (extra_) {
                state.put("added", 42);
            }
        }

        @Override
        public void run() {}
    }

    public static final class WithVarying extends Workflow {
        final Varying varying = new Varying(this);

        public WithVarying() {
            super("varying");
        }
    }

    /**
     * A field only the second snapshot holds (added by newer code, or a getState that saves more)
     * was never visited: diff A B said "equal" where diff B A named it, as null.
     */
    @Test
    void aFieldEitherSnapshotLacksIsReportedBothWays() throws Exception {
        WithVarying without = new WithVarying();
        WithVarying with = new WithVarying();
        with.varying.extra_ = true;
        Path a = Files.write(dir.resolve("a.gz"), RoundTrip.write(without, Codec.GZIP));
        Path b = Files.write(dir.resolve("b.gz"), RoundTrip.write(with, Codec.GZIP));
        assertThat(SnapshotDiff.compare(a.toString(), b.toString(), false))
                .filteredOn(difference -> difference.field().equals("added"))
                .singleElement()
                .satisfies(difference -> assertThat(difference.detail()).isEqualTo("(absent) -> 42"));
        assertThat(SnapshotDiff.compare(b.toString(), a.toString(), false))
                .filteredOn(difference -> difference.field().equals("added"))
                .singleElement()
                .satisfies(difference -> assertThat(difference.detail()).isEqualTo("42 -> (absent)"));
    }

    /** A plain object of the workflow's code, to carry a shared graph in a field. */
    static final class Box {
        Object inside;

        Box(Object inside) {
            this.inside = inside;
        }
    }

    /**
     * An Optional was compared by its own equals, which walks a graph of shared lists path by
     * path (4^32 here); and an object described for a line was rendered whole first. Both now
     * go through the memo and the limit.
     */
    @Test
    void optionalsAndObjectsHoldingASharedGraphCompareAndDescribeInLinearTime() throws Exception {
        Path a = Files.write(
                dir.resolve("a.gz"),
                carrying(List.of(
                        java.util.Optional.of(sharedFourTimesPerLevel(32)),
                        new Box(sharedFourTimesPerLevel(32)),
                        "a")));
        Path b = Files.write(
                dir.resolve("b.gz"),
                carrying(List.of(java.util.Optional.of(sharedFourTimesPerLevel(32)), "not a box", "b")));
        List<SnapshotDiff.Difference> differences = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> SnapshotDiff.compare(a.toString(), b.toString(), false));
        assertThat(differences)
                .filteredOn(difference -> difference.field().equals("cargo"))
                .singleElement()
                .satisfies(difference -> assertThat(difference.detail()).hasSizeLessThan(200));
    }
}
