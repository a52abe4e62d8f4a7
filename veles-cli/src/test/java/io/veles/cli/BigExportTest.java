package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.FreshJvm;
import io.veles.testing.TestDepth;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 4 GiB snapshot exported to npz (ZIP64) and safetensors by a JVM with a 256 MiB heap, and
 * read back by Python a chunk at a time, every element checked; with it a 114 MiB matrix stored
 * transposed, which safetensors gets transposed from the spill, a tile at a time. The writing JVM needs 6.7 GiB of heap.
 * It takes minutes and 12 GiB of
 * disk at the peak (snapshot, spill, output), so it runs only with {@code VELES_BIG_TESTS=1} (as on
 * CI); {@code VELES_BIG_TEST_BYTES} sets another size.
 */
@Tag("slow")
class BigExportTest {
    private static final long SIZE =
            Long.parseLong(System.getenv().getOrDefault("VELES_BIG_TEST_BYTES", String.valueOf(4L << 30)));

    @TempDir
    static Path dir;

    static Path snapshot;

    /** One snapshot for both formats: writing it takes a JVM with 6.7 GiB of heap and a minute or two. */
    @BeforeAll
    static void writeSnapshot() throws Exception {
        if (!TestDepth.thorough()) {
            return;
        }
        snapshot = dir.resolve("big.veles");
        long heap = ((SIZE >> 20) + 115) * 3 / 2 + 512; // the blocks and the 114 MiB matrix
        Process writer = new ProcessBuilder(FreshJvm.command(
                        List.of("-Xmx" + heap + "m"),
                        BigArraysSnapshot.class,
                        snapshot.toString(),
                        String.valueOf(SIZE)))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("writer.txt").toFile())
                .start();
        assertThat(writer.waitFor(20, TimeUnit.MINUTES)).isTrue();
        assertThat(writer.exitValue())
                .as(Files.readString(dir.resolve("writer.txt")))
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void aFourGibSnapshotExportsInA256MibHeap(String format) throws Exception {
        if (!TestDepth.thorough()) {
            String message = "skipped: the " + (SIZE >> 20) + " MiB export test runs with VELES_BIG_TESTS=1 (as on CI)";
            System.err.println(message);
            Assumptions.abort(message);
        }
        PythonCheck.requireNumpy();
        String output = "big." + format;
        long started = System.nanoTime();
        VelesProcess export = VelesProcess.start(
                dir,
                List.of("-Xmx256m"),
                "snapshot",
                "export",
                snapshot.toString(),
                "--format",
                format,
                "-o",
                output,
                "--fields",
                "arrays.*");
        export.waitFor(20 * 60);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L; // reported, not asserted
        assertThat(export.exitCode()).as(export.stderr()).isZero();
        long length = SIZE / BigArraysSnapshot.ARRAYS / Float.BYTES;
        PythonCheck.Result read = PythonCheck.run(
                dir,
                "read_big_export.py",
                output,
                String.valueOf(length),
                String.valueOf(BigArraysSnapshot.ARRAYS),
                String.valueOf(BigArraysSnapshot.INPUTS),
                String.valueOf(BigArraysSnapshot.OUTPUTS));
        System.err.println(format + ": " + Files.size(dir.resolve(output)) + " bytes exported in " + seconds + " s; "
                + read.output().strip());
        assertThat(read.exitCode()).as(read.output()).isZero();
        long weights = (long) BigArraysSnapshot.INPUTS * BigArraysSnapshot.OUTPUTS * Float.BYTES;
        assertThat(read.output()).startsWith("ok " + (length * BigArraysSnapshot.ARRAYS * Float.BYTES + weights));
        Files.delete(dir.resolve(output));
    }
}
