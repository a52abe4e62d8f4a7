package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.codec.Codec;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * diff's verdict on numeric arrays: equal means the same bits (a copy of a diverged run, NaN and
 * infinities included, is equal to it), and integers are compared exactly, longs above 2^53 too.
 */
class ArrayDiffTest {
    @TempDir
    Path dir;

    private static final double OTHER_NAN = Double.longBitsToDouble(0x7ff8_0000_0000_0001L);

    @Test
    void arraysHoldingNanAndInfinitiesAreEqualToTheirCopies() {
        double[] doubles = {Double.NaN, OTHER_NAN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1};
        float[] floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2};
        assertThat(SnapshotDiff.compareArrays("u", "d", doubles, doubles.clone())
                        .detail())
                .isEqualTo("equal");
        assertThat(SnapshotDiff.compareArrays("u", "f", floats, floats.clone()).detail())
                .isEqualTo("equal");
    }

    @Test
    void aChangedNanPayloadOrSignOfZeroIsADifferenceWithFiniteStatistics() {
        SnapshotDiff.Difference payload =
                SnapshotDiff.compareArrays("u", "d", new double[] {Double.NaN, 1}, new double[] {OTHER_NAN, 1});
        assertThat(payload.detail()).startsWith("1 of 2 elements differ (1 to or from NaN or infinity");
        assertThat(new double[] {payload.average(), payload.averageRelative(), payload.maximum()})
                .containsOnly(0.0);

        SnapshotDiff.Difference zero = SnapshotDiff.compareArrays("u", "f", new float[] {0.0f}, new float[] {-0.0f});
        assertThat(zero.detail()).isEqualTo("1 of 1 elements differ");
        assertThat(zero.maximum()).isZero();
    }

    @Test
    void elementsBecomingNanOrInfiniteAreCountedAndLeftOutOfTheStatistics() {
        SnapshotDiff.Difference d = SnapshotDiff.compareArrays(
                "u", "d", new double[] {1, 2, 3, 4}, new double[] {Double.NaN, Double.POSITIVE_INFINITY, 3, 6});
        assertThat(d.detail())
                .isEqualTo("3 of 4 elements differ (2 to or from NaN or infinity, not in the statistics)");
        assertThat(d.maximum()).isEqualTo(2.0);
        assertThat(d.average()).isEqualTo(0.5);
    }

    @Test
    void differencesTooLargeForADoubleKeepTheStatisticsFinite() {
        SnapshotDiff.Difference d = SnapshotDiff.compareArrays(
                "u", "d", new double[] {Double.MAX_VALUE, 1e308, 1e308}, new double[] {-Double.MAX_VALUE, 0, 0});
        assertThat(d.detail()).isEqualTo("3 of 3 elements differ");
        assertThat(d.maximum()).isEqualTo(Double.MAX_VALUE);
        assertThat(Double.isFinite(d.average()) && Double.isFinite(d.averageRelative()))
                .isTrue();
        assertThat(d.average()).isGreaterThan(1e308);
    }

    @Test
    void longsAbove2To53AreComparedExactly() {
        long[] before = {0, 1, Long.MAX_VALUE - 3, Long.MAX_VALUE};
        long[] after = {0, 1, Long.MAX_VALUE - 2, Long.MAX_VALUE - 1};
        SnapshotDiff.Difference d = SnapshotDiff.compareArrays("u", "ids", before, after);
        assertThat(d.detail()).isEqualTo("2 of 4 elements differ");
        assertThat(d.maximum()).isEqualTo(1.0);
        assertThat(d.average()).isEqualTo(0.5);

        SnapshotDiff.Difference extremes =
                SnapshotDiff.compareArrays("u", "ids", new long[] {Long.MIN_VALUE}, new long[] {Long.MAX_VALUE});
        assertThat(extremes.maximum()).isEqualTo(0x1p64);
    }

    static final class Weights extends Unit {
        double[] d = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5};
        float[] f = {Float.NaN, Float.NEGATIVE_INFINITY, 1.5f};
        long[] ids = {Long.MAX_VALUE, Long.MAX_VALUE - 1};

        Weights(Workflow workflow) {
            super(workflow, "weights");
        }

        @Override
        public void run() {}
    }

    public static final class Diverged extends Workflow {
        final Weights weights = new Weights(this);

        public Diverged() {
            super("diverged");
        }
    }

    @Test
    void aDivergedRunsSnapshotIsEqualToItsCopyInAnotherCodec() throws Exception {
        Path gz = Files.write(dir.resolve("a.gz"), RoundTrip.write(new Diverged(), Codec.GZIP));
        Path xz = Files.write(dir.resolve("a.xz"), RoundTrip.write(new Diverged(), Codec.XZ));
        assertThat(SnapshotDiff.compare(gz.toString(), xz.toString(), false))
                .filteredOn(difference -> difference.unit().equals("weights"))
                .isEmpty();

        Diverged changed = new Diverged();
        changed.weights.ids[1]--;
        Path other = Files.write(dir.resolve("b.gz"), RoundTrip.write(changed, Codec.GZIP));
        assertThat(SnapshotDiff.compare(gz.toString(), other.toString(), false))
                .filteredOn(difference -> difference.unit().equals("weights"))
                .singleElement()
                .satisfies(difference -> {
                    assertThat(difference.field()).isEqualTo("ids");
                    assertThat(difference.detail()).isEqualTo("1 of 2 elements differ");
                });
    }
}
