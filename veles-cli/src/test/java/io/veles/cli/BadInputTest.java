package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Bad input gives one clear line on stderr and a non-zero exit, and restores nothing: no run
 * starts, no result file, no snapshot written.
 */
@Tag("slow")
class BadInputTest {
    @TempDir
    static Path dir;

    static Path good;

    @BeforeAll
    static void takeAGoodSnapshot() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.walkers=1000",
                "walk.iterations=3",
                "--snapshot-dir",
                "snaps",
                "--compression",
                "xz");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        good = dir.resolve("snaps/walk_00003.xz");
        assertThat(good).exists();
    }

    /** Runs a restore from {@code source} and checks the refusal. */
    private static void assertRefused(String source, String expected) throws Exception {
        Path out = Files.createTempDirectory(dir, "out");
        VelesProcess veles = VelesProcess.run(
                dir,
                "run",
                "walk",
                "-w",
                source,
                "--snapshot-dir",
                out.toString(),
                "--result-file",
                out.resolve("result.json").toString());
        assertOneLineError(veles, expected);
        try (var files = Files.list(out)) {
            assertThat(files.filter(f -> !f.getFileName().toString().startsWith(".std"))
                            .toList())
                    .as("nothing may be written when a restore is refused")
                    .isEmpty();
        }
        VelesProcess verify = VelesProcess.run(dir, "snapshot", "verify", source);
        assertOneLineError(verify, expected);
    }

    private static void assertOneLineError(VelesProcess veles, String expected) {
        assertThat(veles.exitCode()).as(veles.stderr()).isNotZero();
        List<String> errors = veles.stderr()
                .lines()
                .filter(line -> line.startsWith("veles: error:"))
                .toList();
        assertThat(errors).as(veles.stderr()).hasSize(1);
        assertThat(errors.get(0)).contains(expected);
        assertThat(veles.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static Path copyWith(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void flippedByte() throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 0x01;
        assertRefused(copyWith("flipped.xz", bytes).toString(), "flipped.xz is corrupt");
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        assertRefused(
                copyWith("truncated.xz", java.util.Arrays.copyOf(bytes, bytes.length - 100))
                        .toString(),
                "truncated.xz is truncated");
    }

    @Test
    void emptyFile() throws Exception {
        assertRefused(copyWith("empty.gz", new byte[0]).toString(), "empty.gz is empty");
    }

    @Test
    void notASnapshot() throws Exception {
        assertRefused(copyWith("notes.txt", "hello\n".getBytes()).toString(), "notes.txt is not a veles snapshot");
        Path gz = dir.resolve("hello.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("hello".getBytes());
        }
        assertRefused(gz.toString(), "hello.gz holds gz data that is not a veles snapshot");
    }

    @Test
    void oneCodecNamedWithAnothersExtension() throws Exception {
        assertRefused(
                copyWith("mislabelled.gz", Files.readAllBytes(good)).toString(),
                "mislabelled.gz is named as gz but holds xz data");
    }

    @Test
    void missingPath() throws Exception {
        assertRefused("no/such/snapshot.gz", "no such file or directory: no/such/snapshot.gz");
    }

    @Test
    void unknownCodecName() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir, "run", "walk", "walk.iterations=2", "--compression", "rar", "--snapshot-dir", "unused");
        assertOneLineError(veles, "unknown compression 'rar'");
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void retentionPeriodBelowASecond() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.iterations=2",
                "snapshotter.keep_every_hours=0.00001",
                "--snapshot-dir",
                "unused");
        assertOneLineError(veles, "snapshotter.keep_every_hours: must be at least one second (1/3600), got 0.000010");
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void snapshotOfAnotherWorkflow() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "run", "io.veles.workflow.Workflow", "-w", good.toString());
        assertThat(veles.exitCode()).isNotZero();
        assertThat(veles.stderr()).contains("is a snapshot of workflow io.veles.samples.walk.RandomWalkWorkflow");
    }

    /** A usage error: one "veles: ..." line naming the cause (then picocli's "Try ..." hint), exit 2. */
    private static void assertUsageError(VelesProcess veles, String expected) {
        assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(2);
        assertThat(veles.stderr().lines().findFirst().orElse(""))
                .startsWith("veles: ")
                .contains(expected);
        assertThat(veles.stderr()).doesNotContain("\tat ").doesNotContain("Could not invoke");
    }

    @Test
    void timeoutsTooLongForTheHttpClient() throws Exception {
        for (String option : new String[] {"--http-connect-timeout", "--http-read-timeout"}) {
            VelesProcess veles = VelesProcess.run(dir, option, "3000000", "snapshot", "verify", good.toString());
            assertUsageError(veles, option + " must be a number of seconds from 1 to 2147483, got 3000000");
        }
    }

    @Test
    void anS3EndpointThatIsNoHttpAddress() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "--s3-endpoint", "ftp://x", "snapshot", "ls", "s3://bucket");
        assertUsageError(veles, "ftp://x");
    }

    @Test
    void aRetentionPeriodBeyondAHundredYears() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "snapshot", "prune", "snaps", "--keep-every", "Infinity");
        assertOneLineError(veles, "the period must be at most 876600 hours (100 years)");
        assertThat(good).exists();
    }

    /** Each was accepted: a typed -1 took the codec's default, "" the working directory. */
    @Test
    void aNegativeLevelOrAnEmptyDirectoryIsRefusedBeforeTheRun() throws Exception {
        VelesProcess level = VelesProcess.run(
                dir, "run", "walk", "walk.iterations=2", "--compression-level", "-5", "--snapshot-dir", "unused");
        assertOneLineError(level, "compression level -5 is out of range for gz (1-9)");
        assertThat(dir.resolve("unused")).doesNotExist();
        Path empty = Files.createTempDirectory(dir, "cwd");
        VelesProcess directory = VelesProcess.run(empty, "run", "walk", "walk.iterations=2", "--snapshot-dir", "");
        assertOneLineError(directory, "snapshotter.directory: must not be empty");
        try (var files = Files.list(empty)) {
            assertThat(files.filter(f -> !f.getFileName().toString().startsWith(".std"))
                            .toList())
                    .isEmpty();
        }
        assertUsageError(
                VelesProcess.run(dir, "snapshot", "convert", good.toString(), "converted.xz", "--level", "-3"),
                "--level: must be 0 or more, got -3");
        assertThat(dir.resolve("converted.xz")).doesNotExist();
    }

    /** A table destination that names a row is refused: the copy keeps its snapshot's id and name. */
    @Test
    void aConversionIntoARowIsRefused() throws Exception {
        String table = "odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("rows.db") + "&veles";
        for (String row : new String[] {"&run-1", "&run-1&log-1", "&&&myname"}) {
            assertOneLineError(
                    VelesProcess.run(dir, "snapshot", "convert", good.toString(), table + row),
                    "a copy into a table keeps its snapshot's id, log_id and name: give odbc://<odbc string>&<table>"
                            + " as the destination, not a row");
        }
        assertThat(dir.resolve("rows.db")).doesNotExist();
        VelesProcess copy = VelesProcess.run(dir, "snapshot", "convert", good.toString(), table);
        assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    }

    /**
     * A bad retention rule is a usage error naming its option: a period below a second, a
     * negative count; and so is no rule at all.
     */
    @Test
    void aBadRuleOrNoRuleIsAUsageErrorNamingItsOption() throws Exception {
        for (String command : new String[] {"prune", "report"}) {
            assertUsageError(
                    VelesProcess.run(dir, "snapshot", command, "snaps", "--keep-every", "0.0001"),
                    "--keep-every: must be at least 1/3600 hour (one second), got 1.0E-4");
            assertUsageError(
                    VelesProcess.run(dir, "snapshot", command, "snaps", "--keep-last", "-3"),
                    "--keep-last: must be 0 or more, got -3");
            assertUsageError(
                    VelesProcess.run(dir, "snapshot", command, "snaps", "--keep-best", "-1", "--keep-last", "2"),
                    "--keep-best: must be 0 or more, got -1");
        }
        assertUsageError(
                VelesProcess.run(dir, "snapshot", "prune", "snaps", "--keep-last", "0"),
                "give a rule of what to keep: --keep-last N, --keep-every HOURS or --keep-best K (N, K above 0)");
        assertThat(good).exists();
    }

    /** Found out after reading every snapshot, and named by a temporary file's path alone. */
    @Test
    void aReportIntoAMissingDirectoryIsRefusedBeforeReading() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "nosuch/report.html");
        assertOneLineError(veles, "cannot write nosuch/report.html: no directory " + dir.resolve("nosuch"));
        assertThat(veles.stderr()).doesNotContain(".tmp");
    }

    @Test
    void pruningAFileSaysItIsNoDirectory() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "snapshot", "prune", good.toString(), "--keep-last", "3");
        assertOneLineError(veles, "cannot list " + good + ": not a directory");
        assertThat(good).exists();
    }

    @Test
    void aDirectoryWhereAFileIsExpected() throws Exception {
        assertOneLineError(
                VelesProcess.run(dir, "run", "walk", "--config", "/"), "cannot read config file /: it is a directory");
        assertOneLineError(
                VelesProcess.run(dir, "snapshot", "import-veles", "any.pickle", "-o", "/"),
                "-o /: name an .npz or .safetensors file");
    }

    @Test
    void aKeyFileThatNeverEnds() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "snapshot", "verify", "--key", "/dev/zero", good.toString());
        assertOneLineError(veles, "the snapshot key file /dev/zero holds more than 65536 bytes");
    }

    @Test
    void aSqliteDatabaseInMemory() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "run", "walk", "walk.iterations=2", "--odbc", "jdbc:sqlite:");
        assertOneLineError(veles, "is a SQLite database in memory, which keeps nothing");
    }

    /** The PostgreSQL driver logs through java.util.logging: its warning comes as our log lines do. */
    @Test
    void aDriversOwnWarningIsOneLogLine() throws Exception {
        VelesProcess veles =
                VelesProcess.run(dir, "snapshot", "ls", "odbc://jdbc:postgresql://127.0.0.1:notaport/test");
        assertOneLineError(veles, "Unable to parse URL jdbc:postgresql://127.0.0.1:notaport/test");
        assertThat(veles.stderr())
                .contains("[WARN] PGPropertyUtil - JDBC URL invalid port number: notaport")
                .doesNotContain("WARNING:");
    }

    /** A result file that cannot be written is refused before the run, not after its hours of work. */
    @Test
    void aResultFileThatCannotBeWrittenIsRefusedBeforeTheRun() throws Exception {
        Path taken = Files.createDirectories(dir.resolve("a-directory"));
        VelesProcess veles = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.iterations=2",
                "--snapshot-dir",
                "unused-results",
                "--result-file",
                taken.toString());
        assertOneLineError(veles, "the result file " + taken + " is a directory");
        assertThat(dir.resolve("unused-results")).doesNotExist();
    }

    @Test
    void settingsThatAreNoKeyValuePairsAreUsageErrors() throws Exception {
        assertUsageError(VelesProcess.run(dir, "run", "walk", "iterations"), "not a key=value setting: 'iterations'");
        assertUsageError(
                VelesProcess.run(dir, "run", "walk", "a=1", "a=2"), "setting a is given twice ('a=1' and 'a=2')");
        assertThat(dir.resolve("snapshots")).doesNotExist();
    }

    @Test
    void optionsThatWouldBeIgnoredAreRefused() throws Exception {
        assertUsageError(
                VelesProcess.run(dir, "run", "walk", "--rename-class", "a.B=a.C"),
                "--rename-class and --removed-unit-class apply to a restore: give -w SNAPSHOT");
        assertUsageError(
                VelesProcess.run(dir, "run", "walk", "-w", good.toString(), "--no-snapshots"),
                "--no-snapshots applies to a new run only");
        assertOneLineError(
                VelesProcess.run(dir, "run", "walk", "--table", "runs"),
                "snapshotter.table (--table) names a table of the database in snapshotter.odbc (--odbc), which is"
                        + " not given");
        assertOneLineError(
                VelesProcess.run(dir, "run", "walk", "--snapshot-dir", "d", "--odbc", "DRIVER={SQLite3};DATABASE=x.db"),
                "snapshotter.directory (--snapshot-dir) and snapshotter.odbc (--odbc) each name where snapshots go");
        Path config =
                Files.writeString(dir.resolve("db.properties"), "snapshotter.odbc=DRIVER={SQLite3};DATABASE=x.db\n");
        assertOneLineError(
                VelesProcess.run(dir, "run", "walk", "--config", config.toString(), "--snapshot-dir", "d"),
                "each name where snapshots go");
        assertThat(dir.resolve("d")).doesNotExist();
        assertOneLineError(
                VelesProcess.run(dir, "snapshot", "export", good.toString(), "--format", "safetensors", "-o", "w.npz"),
                "-o w.npz is named as npz, but --format is safetensors");
        assertThat(dir.resolve("w.npz")).doesNotExist();
        assertOneLineError(
                VelesProcess.run(dir, "snapshot", "export", good.toString(), "--format", "safetensors", "-o", "w.npy"),
                "-o w.npy is named as npy, but --format is safetensors");
        assertThat(dir.resolve("w.npy")).doesNotExist();
        assertUsageError(
                VelesProcess.run(dir, "snapshot", "inspect", "--json", "--schema", good.toString()),
                "give one of --json and --schema");
        assertThat(dir.resolve("x.db")).doesNotExist();
        assertOneLineError(
                VelesProcess.run(dir, "run", "wine", "decision.max_epochs=-5"),
                "decision.max_epochs: must be at least 1, got -5");
    }

    /** Any other Error of the workflow's (an assertion, a class missing from the class path) too, typed. */
    @Test
    void aWorkflowsAssertionErrorEndsInOneLine() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir, "run", com.example.app.FailingAssertWorkflow.class.getName(), "--snapshot-dir", "unused-assert");
        assertOneLineError(veles, "AssertionError: the weights went NaN");

        // an ExceptionInInitializerError has no message: its cause is what went wrong
        VelesProcess initialiser = VelesProcess.run(
                dir,
                "run",
                com.example.app.FailingAssertWorkflow.class.getName(),
                "--snapshot-dir",
                "unused-assert",
                "initialiser=true");
        assertThat(initialiser.exitCode()).as(initialiser.stderr()).isEqualTo(1);
        assertThat(initialiser.stderr().lines().filter(line -> line.startsWith("veles: error:")))
                .as(initialiser.stderr())
                .containsExactly("veles: error: ExceptionInInitializerError: NumberFormatException:"
                        + " For input string: \"x\"");
        assertThat(initialiser.stderr()).doesNotContain("\tat ");
    }

    /** The workflow's own OutOfMemoryError (a model larger than the heap) ends in one line, not a trace. */
    @Test
    void aWorkflowLargerThanTheHeapEndsInOneLine() throws Exception {
        VelesProcess veles =
                VelesProcess.run(dir, "run", "walk", "walk.walkers=2000000000", "--snapshot-dir", "unused-oom");
        assertOneLineError(veles, "out of memory");
    }
}
