package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

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
        Files.write(dir.resolve("shared.pickle"), pickle(sharedLists(40), new byte[] {'.'}));
        String[][] cases = {
            {"cycle.pickle", "cycle.pickle: unhashable type 'list' used as a dict key"},
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
    void unhashableKeysAreRefusedBeforeAnythingIsHashed() throws Exception {
        // Java hashes a list by content: [L63, L63] 64 deep as a key is 2^64 calls. Python refuses it.
        byte[] lists = sharedLists(64);
        String[][] cases = {
            {"key_setitem.pickle", "}h@Ns.", "unhashable type 'list' used as a dict key"},
            {"key_dict.pickle", "(h@Nd.", "unhashable type 'list' used as a dict key"},
            {"key_set.pickle", "\u008f(h@\u0090.", "unhashable type 'list' used as a set element"},
            {"key_frozenset.pickle", "(h@\u0091.", "unhashable type 'list' used as a frozenset element"},
        };
        for (String[] hostile : cases) { // 'h@' is BINGET 64: the list 64 levels deep
            Files.write(dir.resolve(hostile[0]), pickle(lists, hostile[1].getBytes(StandardCharsets.ISO_8859_1)));
            refusedQuickly(hostile[0], hostile[0] + ": " + hostile[2], 10);
        }
    }

    @Test
    void arraysSharingOneByteStringAreRefused() throws Exception {
        // 1000 arrays of one memoized 1 MiB bytes object: a 1 MiB file that would write 1 GiB
        refusedQuickly("shared_bytes.pickle", "1000 arrays and 1 scalar share their bytes", 60);
    }

    @Test
    void numbersInTextAreCappedAsLong4Is() throws Exception {
        // LONG ('L') and INT ('I') write digits up to a newline: 20 million would parse in quadratic time
        byte[] digits = "1".repeat(20_000_000).getBytes(StandardCharsets.US_ASCII);
        Files.write(
                dir.resolve("long_text.pickle"), pickle(new byte[] {(byte) 0x80, 2, 'L'}, digits, "L\n.".getBytes()));
        Files.write(dir.resolve("int_text.pickle"), pickle(new byte[] {(byte) 0x80, 2, 'I'}, digits, "\n.".getBytes()));
        for (String text : List.of("long_text.pickle", "int_text.pickle")) {
            refusedQuickly(text, "writes a number of more than 65536 characters", 10);
        }
    }

    @Test
    void truncatedPicklesAndNonStringKeysOfObjectsAreOneLine() throws Exception {
        // ends where the one-byte length of SHORT_BINUNICODE, SHORT_BINBYTES, SHORT_BINSTRING, LONG1 was due
        byte[] opcodes = {(byte) 0x8c, 'C', 'U', (byte) 0x8a};
        for (byte opcode : opcodes) {
            String name = "truncated_" + (opcode & 0xff) + ".pickle";
            Files.write(dir.resolve(name), new byte[] {(byte) 0x80, 3, opcode});
            refusedQuickly(name, "cannot read " + name + ": the pickle is truncated", 10);
        }
        // protocol 5 (Python 3.8) pickles NumPy arrays out of band: named, not read as holding none
        Files.write(dir.resolve("protocol5.pickle"), new byte[] {(byte) 0x80, 5, ')', '.'});
        refusedQuickly(
                "protocol5.pickle",
                "protocol5.pickle is a pickle of protocol 5, which this import does not read: save it again with"
                        + " protocol 4 or lower",
                10);
        // a unit named "u" (NEWOBJ, BUILD), then given the item 1 -> None, or None -> None (SETITEM)
        byte[] unit = ("\u0080\u0002cveles.units\nUnit\n)\u0081}\u008c\u0004name\u008c\u0001usb")
                .getBytes(StandardCharsets.ISO_8859_1);
        String[][] keys = {{"key_int.pickle", "K\u0001Ns.", "Integer"}, {"key_none.pickle", "NNs.", "None"}};
        for (String[] key : keys) {
            Files.write(dir.resolve(key[0]), pickle(unit, key[1].getBytes(StandardCharsets.ISO_8859_1)));
            refusedQuickly(key[0], key[0] + ": the pickle gives a veles.units.Unit object the key " + key[2], 10);
        }
    }

    @Test
    void manyUnitsOfOneNameAreNamedInLinearTime() throws Exception {
        // 40 000 units named "u": u.weights, u.weights#2, ... each name found at once, not searched from #2
        VelesProcess veles = VelesProcess.start(
                dir, List.of(), "snapshot", "import-veles", "same_names.pickle", "-o", "same_names.npz");
        veles.waitFor(60);
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        try (ZipFile npz = new ZipFile(dir.resolve("same_names.npz").toFile())) {
            assertThat(npz.size()).isEqualTo(40_001); // and __metadata__.json
            assertThat(npz.getEntry("u.weights.npy")).isNotNull();
            assertThat(npz.getEntry("u.weights#2.npy")).isNotNull();
            assertThat(npz.getEntry("u.weights#40000.npy")).isNotNull();
        }
    }

    @Test
    void namesFromThePickleAreSafeZipEntries() throws Exception {
        // an attribute "x/../../../tmp/evil" and a dict key "a\\..\\b\n": no separators or control characters
        VelesProcess veles =
                VelesProcess.run(dir, "snapshot", "import-veles", "unsafe_names.pickle", "-o", "unsafe_names.npz");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        try (ZipFile npz = new ZipFile(dir.resolve("unsafe_names.npz").toFile())) {
            List<String> entries = npz.stream().map(ZipEntry::getName).toList();
            assertThat(entries)
                    .containsExactlyInAnyOrder(
                            "fc1.x_.._.._.._tmp_evil.npy", "fc1.table.a_.._b_.npy", "__metadata__.json");
        }
    }

    @Test
    void aPickleOfOneBareArrayIsNamedRoot() throws Exception {
        VelesProcess veles =
                VelesProcess.run(dir, "snapshot", "import-veles", "bare_array.pickle", "-o", "bare_array.npz");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        try (ZipFile npz = new ZipFile(dir.resolve("bare_array.npz").toFile())) {
            assertThat(npz.stream().map(ZipEntry::getName).toList())
                    .containsExactlyInAnyOrder("root.npy", "__metadata__.json");
        }
    }

    /**
     * Small pickles that grew without bound: one 4 MiB string as the attribute of 60 units (240 MiB
     * of metadata), a module name of 20 MB (a 20 MB error line), an encoding Java does not have
     * (named only by itself), a shape of a million dimensions shared by 40 arrays (headers NumPy
     * refuses to load). Each is refused in one short line, or its arrays skipped saying why.
     */
    @Test
    void sharedScalarsLongLinesAndImpossibleShapesAreBounded() throws Exception {
        refusedQuickly("shared_scalar.pickle.gz", "60 arrays and 121 scalars share their bytes", 60);
        refusedQuickly("long_global.pickle.gz", "the pickle writes a module name of more than 4096 characters", 30);
        refusedQuickly("bogus_codec.pickle", "it names a text encoding Java does not have (bogus)", 10);
        VelesProcess veles =
                VelesProcess.run(dir, "snapshot", "import-veles", "shape_bomb.pickle.gz", "-o", "shape_bomb.npz");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        assertThat(veles.stdout())
                .contains("skipped u.arrays.0: a shape of 1000001 dimensions (NumPy reads at most 64)");
        assertThat(veles.stdout().length()).isLessThan(20_000);
        try (ZipFile npz = new ZipFile(dir.resolve("shape_bomb.npz").toFile())) {
            assertThat(npz.stream().map(ZipEntry::getName).toList())
                    .containsExactlyInAnyOrder("u.weights.npy", "__metadata__.json");
        }
    }

    /**
     * Unit names with unpaired surrogates have no UTF-8: encoded, both became one key, and a
     * safetensors reader kept one of the two arrays. They become '_' and stay apart.
     */
    @Test
    void namesWithoutUtf8StayApart() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir, "snapshot", "import-veles", "surrogate_names.pickle", "-o", "surrogate_names.npz");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        try (ZipFile npz = new ZipFile(dir.resolve("surrogate_names.npz").toFile())) {
            assertThat(npz.stream().map(ZipEntry::getName).toList())
                    .containsExactlyInAnyOrder(
                            "sur_x.weights.npy", "sur_x.weights#2.npy", "sur?x.weights.npy", "__metadata__.json");
        }
    }

    /** Runs import-veles on {@code pickle}: refused in one line holding {@code message}, within {@code seconds}. */
    private static void refusedQuickly(String pickle, String message, int seconds) throws Exception {
        Path out = Files.createDirectories(dir.resolve("refused").resolve(pickle)); // one each: none sees another's
        VelesProcess veles = VelesProcess.start(
                dir, List.of(), "snapshot", "import-veles", pickle, "-o", "refused/" + pickle + "/out.npz");
        veles.waitFor(seconds);
        assertThat(veles.exitCode()).as(pickle).isNotZero();
        assertThat(veles.stderr().strip().lines()).as(veles.stderr()).hasSize(1);
        assertThat(veles.stderr()).startsWith("veles: error: ").contains(message);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    /**
     * PROTO 2, then lists L0 = [] and Lk = [L(k-1), L(k-1)] up to {@code depth}, Lk memoized as k:
     * {@code depth} + 1 lists, 2^depth paths through them.
     */
    private static byte[] sharedLists(int depth) throws IOException {
        ByteArrayOutputStream lists = new ByteArrayOutputStream();
        lists.write(new byte[] {(byte) 0x80, 2, ']', 'q', 0});
        for (int level = 1; level <= depth; level++) {
            lists.write(
                    new byte[] {']', '(', 'h', (byte) (level - 1), 'h', (byte) (level - 1), 'e', 'q', (byte) level});
        }
        return lists.toByteArray();
    }

    private static byte[] pickle(byte[]... parts) throws IOException {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            pickle.write(part);
        }
        return pickle.toByteArray();
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
