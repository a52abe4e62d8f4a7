package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * import-veles on pickles that Python with NumPy writes in the test, shaped as VELES's snapshots
 * (veles.znicz.all2all.All2AllTanh with weights and bias in veles.memory.Array), for protocols 2
 * to 4 and each codec VELES wrote; NumPy reads what was written back bit for bit. Hostile pickles
 * are refused in one line, write nothing, and run nothing.
 */
@Tag("slow")
class ImportVelesTest {
    @TempDir
    static Path dir;

    static final List<String> pickles = new ArrayList<>();

    @BeforeAll
    static void writePickles() throws Exception {
        PythonCheck.requireNumpy();
        PythonCheck.Result made = PythonCheck.run(
                dir,
                "make_veles_pickles.py",
                dir.toString(),
                dir.resolve("MARKER").toString());
        assertThat(made.exitCode()).as(made.output()).isZero();
        made.output()
                .lines()
                .map(line -> Path.of(line).getFileName().toString())
                .filter(name -> name.startsWith("wine_"))
                .forEach(pickles::add);
    }

    @Test
    void everyProtocolAndCodecImportsBitForBit() throws Exception {
        for (int protocol = 2; protocol <= 4; protocol++) {
            for (String codec : List.of("", ".gz", ".bz2", ".xz")) {
                assertThat(pickles).contains("wine_p" + protocol + ".pickle" + codec);
            }
        }
        List<String> outputs = new ArrayList<>(List.of("expected.npz"));
        for (String pickle : pickles) {
            String output = pickle + (pickle.contains("_p3") ? ".safetensors" : ".npz");
            VelesProcess veles = VelesProcess.run(dir, "snapshot", "import-veles", pickle, "-o", output);
            assertThat(veles.exitCode()).as(pickle + ": " + veles.stderr()).isZero();
            assertThat(veles.stdout())
                    .containsPattern("fc1 +veles\\.znicz\\.all2all\\.All2AllTanh +weights +f32 +\\(8, 13\\)")
                    .containsPattern("fc2 +veles\\.znicz\\.all2all\\.All2AllSoftmax +bias +f64 +\\(3,\\)")
                    .contains("12 arrays");
            outputs.add(output);
        }
        PythonCheck.Result read = PythonCheck.run(dir, "check_import.py", outputs.toArray(String[]::new));
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).startsWith("ok " + pickles.size());
    }

    @Test
    void hostilePicklesAreRefusedInOneLineAndRunNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("hostile"));
        // 12 bytes: a dict whose key is a list that holds itself (hashing it never ends)
        Files.write(
                dir.resolve("cycle.pickle"), new byte[] {(byte) 0x80, 2, '}', ']', 'q', 0, 'h', 0, 'a', 'N', 's', '.'});
        // a list of two references to a list of two references to ... 40 deep: 2^40 paths, 40 lists
        java.io.ByteArrayOutputStream shared = new java.io.ByteArrayOutputStream();
        shared.write(new byte[] {(byte) 0x80, 2, ']', 'q', 0});
        for (int level = 1; level <= 40; level++) {
            shared.write(
                    new byte[] {']', '(', 'h', (byte) (level - 1), 'h', (byte) (level - 1), 'e', 'q', (byte) level});
        }
        shared.write('.');
        Files.write(dir.resolve("shared.pickle"), shared.toByteArray());
        String[][] cases = {
            {"cycle.pickle", "cannot import cycle.pickle: the state nests too deeply"},
            {"shared.pickle", "found no NumPy arrays in shared.pickle"},
            {"evil.pickle", "calls posix.system"},
            {"evil.pickle.gz", "calls posix.system"},
            {"huge8.pickle", "declares a string of 1152921504606846976 bytes"},
            {"huge4.pickle", "declares a string of 4294967280 bytes"},
            {"short.pickle", "ends inside a string"},
        };
        for (String[] hostile : cases) {
            VelesProcess veles = VelesProcess.run(dir, "snapshot", "import-veles", hostile[0], "-o", "hostile/out.npz");
            assertThat(veles.exitCode()).as(hostile[0]).isNotZero();
            assertThat(veles.stderr().strip().lines()).as(veles.stderr()).hasSize(1);
            assertThat(veles.stderr()).startsWith("veles: error: ").contains(hostile[1]);
        }
        assertThat(dir.resolve("MARKER")).doesNotExist();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void badArgumentsAreOneLineAndWriteNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(out.resolve("taken.npz"), "keep me");
        String[][] bad = {
            {"wine_p4.pickle", "-o", "bad/weights.h5"},
            {"wine_p4.pickle", "-o", "bad/taken.npz"},
            {"missing.pickle", "-o", "bad/new.npz"},
            {"expected.npz", "-o", "bad/new.npz"},
        };
        for (String[] args : bad) {
            List<String> command = new ArrayList<>(List.of("snapshot", "import-veles"));
            command.addAll(List.of(args));
            VelesProcess veles = VelesProcess.run(dir, command.toArray(String[]::new));
            assertThat(veles.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(veles.stderr().strip().lines()).as(veles.stderr()).hasSize(1);
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files).containsExactly(out.resolve("taken.npz"));
            }
        }
        assertThat(Files.readString(out.resolve("taken.npz"))).isEqualTo("keep me");
    }
}
