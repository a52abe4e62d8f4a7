package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import io.veles.znicz.nn.FullyConnected;
import io.veles.znicz.samples.WineSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * export: a trained wine snapshot to npz, npy and safetensors, read back by NumPy (and the
 * safetensors layout parsed with NumPy) bit for bit against the weights of the restored workflow,
 * which each format holds out × in (the transpose of the layer's stored in × out);
 * bad input refused in one line with nothing written.
 */
@Tag("slow")
class ExportCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void train() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "run", "wine", "decision.max_epochs=2", "--snapshot-dir", "snaps");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
    }

    @Test
    void numpyReadsEachFormatBitForBitWithTheLayersShapes() throws Exception {
        PythonCheck.requireNumpy();
        Path expected = Files.createDirectories(dir.resolve("expected"));
        Workflow restored = Snapshots.restore(
                        dir.resolve("snaps").toString(),
                        WineSample.WineWorkflow.class,
                        RestoreRules.forWorkflow(WineSample.WineWorkflow.class),
                        null)
                .workflow();
        for (Unit unit : restored.allUnits()) {
            if (unit instanceof FullyConnected) {
                FullyConnected layer = (FullyConnected) unit;
                // stored inputs × outputs; NumPy checks each export holds its transpose, outputs × inputs
                writeFloats(
                        expected, unit.name() + ".weights", layer.weights(), layer.inputs() + " " + layer.outputs());
                Files.createFile(expected.resolve(unit.name() + ".weights.transposed"));
                writeFloats(expected, unit.name() + ".bias", layer.bias(), String.valueOf(layer.outputs()));
            }
        }
        for (String[] export : List.of(new String[] {"npz", "w.npz"}, new String[] {"npy", "w-npy"}, new String[] {
            "safetensors", "w.safetensors"
        })) {
            VelesProcess veles =
                    VelesProcess.run(dir, "snapshot", "export", "snaps", "--format", export[0], "-o", export[1]);
            assertThat(veles.exitCode()).as(veles.stderr()).isZero();
            assertThat(veles.stdout())
                    .containsPattern("fc1\\.weights +f32 +\\(8, 13\\)")
                    .contains("written to");
        }
        PythonCheck.Result read = PythonCheck.run(dir, "read_export.py", "w.npz", "w-npy", "w.safetensors", "expected");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).startsWith("ok ");
    }

    @Test
    void fieldsSelectsArraysByGlob() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir, "snapshot", "export", "snaps", "--format", "npz", "-o", "some.npz", "--fields", "fc1.*,*.bias");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        assertThat(veles.stdout())
                .contains("fc1.weights", "fc1.bias", "softmax.bias")
                .doesNotContain("softmax.weights");
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("existing.npz"), "keep me");
        String[][] bad = {
            {"snapshot", "export", "snaps", "--format", "hdf5", "-o", "out/a.h5"},
            {"snapshot", "export", "snaps", "--format", "npz", "-o", "out/b.npz", "--fields", "nothing.*"},
            {"snapshot", "export", "snaps", "--format", "npz", "-o", "out/existing.npz"},
            {"snapshot", "export", "snaps", "--format", "npy", "-o", "out/existing.npz"},
            {"snapshot", "export", "nope.gz", "--format", "npz", "-o", "out/c.npz"},
        };
        for (String[] args : bad) {
            VelesProcess veles = VelesProcess.run(dir, args);
            assertThat(veles.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(veles.stderr().strip().lines()).as(veles.stderr()).hasSize(1);
            assertThat(veles.stderr()).startsWith("veles: error: ");
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files).as(String.join(" ", args)).containsExactly(out.resolve("existing.npz"));
            }
            assertThat(Files.readString(out.resolve("existing.npz"))).isEqualTo("keep me");
        }
        try (Stream<Path> files = Files.list(dir)) { // no spill file left beside the outputs either
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".spill"));
        }
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("precious.txt"), "keep me");
        for (String format : List.of("npz", "npy")) { // --force replaces no directory but an earlier npy export
            VelesProcess refused =
                    VelesProcess.run(dir, "snapshot", "export", "snaps", "--format", format, "-o", "data", "--force");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr()).contains("not replaced, even with --force");
            assertThat(Files.readString(data.resolve("precious.txt"))).isEqualTo("keep me");
        }
        for (int i = 0; i < 2; i++) {
            VelesProcess npy =
                    VelesProcess.run(dir, "snapshot", "export", "snaps", "--format", "npy", "-o", "out/npy", "--force");
            assertThat(npy.exitCode()).as(npy.stderr()).isZero();
        }
        assertThat(out.resolve("npy/fc1.weights.npy")).exists();
        VelesProcess forced = VelesProcess.run(
                dir, "snapshot", "export", "snaps", "--format", "npz", "-o", "out/existing.npz", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(Files.readAllBytes(out.resolve("existing.npz"))).startsWith('P', 'K');
        try (Stream<Path> files = Files.list(out)) { // no temporary or replaced copy left behind
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("existing.npz", "npy");
        }
    }

    private static void writeFloats(Path dir, String name, float[] values, String shape) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(dir.resolve(name + ".raw"), bytes.array());
        Files.writeString(dir.resolve(name + ".shape"), shape);
    }
}
