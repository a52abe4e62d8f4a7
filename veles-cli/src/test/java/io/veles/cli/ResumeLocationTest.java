package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A snapshot is data, not orders: where a resumed run writes, what it deletes and which database
 * it contacts come from the resuming command line and defaults. The recorded place is shown by
 * inspect, and no password is captured.
 */
@Tag("slow")
class ResumeLocationTest {
    private static final String[] WALK = {"walk.walkers=1000", "walk.iterations=20", "--random-seed", "4"};

    @TempDir
    Path dir;

    @Test
    void aResumeWritesWhereItsOwnCommandLineSaysNeverWhereTheSnapshotWasWritten() throws Exception {
        VelesProcess first = VelesProcess.run(
                dir,
                prepend(WALK, "run", "walk", "--snapshot-dir", "victim", "snapshotter.keep_last=30", "--code-backup"));
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        Map<String, byte[]> before = contents(dir.resolve("victim"));

        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", "victim/walk_00005.gz");
        assertThat(inspect.stdout()).contains("written_to   directory victim, prefix walk, keep_last 30");

        // Resumed with retention of its own: it writes into ./snapshots and keeps its own last 1.
        VelesProcess resumed =
                VelesProcess.run(dir, "run", "walk", "-w", "victim/walk_00005.gz", "snapshotter.keep_last=1");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(contents(dir.resolve("victim")))
                .as("the snapshot's directory is untouched")
                .containsExactlyInAnyOrderEntriesOf(before);
        assertThat(dir.resolve("snapshots/walk_00020.gz")).exists();
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("snapshots/walk_00020.gz"))) {
            assertThat(reader.hasCodeBackup())
                    .as("code_backup is the resuming run's choice")
                    .isFalse();
        }
    }

    @Test
    void aResumeFromADatabaseRowNeitherWritesThereNorCapturesThePassword() throws Exception {
        String odbc = "DRIVER={SQLite3};DATABASE=victim.db;UID=me;PWD=S3cr3t-Pw";
        VelesProcess first =
                VelesProcess.run(dir, prepend(WALK, "run", "walk", "--odbc", odbc, "--result-file", "first.json"));
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        String id = (String) new ObjectMapper()
                .readValue(dir.resolve("first.json").toFile(), Map.class)
                .get("id");
        int rowsBefore = rows();
        for (byte[] payload : payloads()) {
            assertThat(new String(payload, StandardCharsets.ISO_8859_1))
                    .doesNotContain("S3cr3t-Pw")
                    .contains("PWD=***");
        }

        VelesProcess resumed =
                VelesProcess.run(dir, "run", "walk", "-w", "odbc://" + odbc + "&veles&" + id, "walk.iterations=25");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(rows()).as("no row added to the snapshot's table").isEqualTo(rowsBefore);
        assertThat(dir.resolve("snapshots/walk_00025.gz")).exists();
        assertThat(resumed.stderr() + resumed.stdout()).doesNotContain("S3cr3t-Pw");
    }

    @Test
    void aResumeMayTrainLongerWhereTheWorkflowAllowsItAndEndsAsALongerRunWould() throws Exception {
        ObjectMapper json = new ObjectMapper();
        VelesProcess longer = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.walkers=1000",
                "walk.iterations=30",
                "--random-seed",
                "4",
                "--snapshot-dir",
                "whole",
                "--result-file",
                "whole.json");
        assertThat(longer.exitCode()).as(longer.stderr()).isZero();
        VelesProcess shorter = VelesProcess.run(dir, prepend(WALK, "run", "walk", "--snapshot-dir", "short"));
        assertThat(shorter.exitCode()).as(shorter.stderr()).isZero();

        // From the last snapshot, taken after the end was decided.
        VelesProcess resumed = VelesProcess.run(
                dir,
                "run",
                "walk",
                "-w",
                "short/walk_00020.gz",
                "walk.iterations=30",
                "walk.step=9",
                "--result-file",
                "resumed.json");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("setting walk.step was not used");
        assertThat(json.readValue(dir.resolve("resumed.json").toFile(), Map.class)
                        .get("results"))
                .isEqualTo(json.readValue(dir.resolve("whole.json").toFile(), Map.class)
                        .get("results"));
    }

    /**
     * With a snapshot every 7 iterations, the last one is written as the run ends (iteration 20).
     * Resumed as it was, it runs nothing: the run is complete (it once ran a 21st iteration).
     * Resumed with a later end, it goes on to that end.
     */
    @Test
    void aSnapshotOfAFinishedRunRunsNothingUnlessItsEndMoved() throws Exception {
        ObjectMapper json = new ObjectMapper();
        VelesProcess shorter = VelesProcess.run(
                dir,
                prepend(
                        WALK,
                        "run",
                        "walk",
                        "--snapshot-dir",
                        "every7",
                        "--snapshot-interval",
                        "7",
                        "--result-file",
                        "short.json"));
        assertThat(shorter.exitCode()).as(shorter.stderr()).isZero();
        Path last = dir.resolve("every7/walk_00020.gz");
        assertThat(last).exists();

        VelesProcess again = VelesProcess.run(
                dir, "run", "walk", "-w", last.toString(), "--snapshot-dir", "again", "--result-file", "again.json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stderr()).contains("reached its end, which still holds: nothing to run");
        assertThat(json.readValue(dir.resolve("again.json").toFile(), Map.class).get("results"))
                .isEqualTo(json.readValue(dir.resolve("short.json").toFile(), Map.class)
                        .get("results"));
        assertThat(dir.resolve("again")).as("no snapshot: nothing ran").doesNotExist();

        VelesProcess longer = VelesProcess.run(
                dir,
                "run",
                "walk",
                "-w",
                last.toString(),
                "walk.iterations=30",
                "--snapshot-dir",
                "longer",
                "--result-file",
                "longer.json");
        assertThat(longer.exitCode()).as(longer.stderr()).isZero();
        assertThat(((Map<?, ?>) json.readValue(dir.resolve("longer.json").toFile(), Map.class)
                                .get("results"))
                        .get("iterations"))
                .isEqualTo(30);
    }

    private int rows() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("victim.db"));
                ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM veles")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Every stored snapshot's uncompressed bytes. */
    private java.util.List<byte[]> payloads() throws Exception {
        java.util.List<byte[]> payloads = new java.util.ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("victim.db"));
                ResultSet rows = connection.createStatement().executeQuery("SELECT data FROM veles")) {
            while (rows.next()) {
                try (InputStream in = new java.util.zip.GZIPInputStream(rows.getBinaryStream(1))) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    in.transferTo(out);
                    payloads.add(out.toByteArray());
                }
            }
        }
        assertThat(payloads).isNotEmpty();
        return payloads;
    }

    private static Map<String, byte[]> contents(Path directory) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                files.put(
                        file.getFileName().toString(),
                        Files.isSymbolicLink(file)
                                ? Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8)
                                : Files.readAllBytes(file));
            }
        }
        return files;
    }

    /** {@code head}, then {@code tail}: the command first, the shared workload after it. */
    private static String[] prepend(String[] tail, String... head) {
        return Stream.concat(Stream.of(head), Stream.of(tail)).toArray(String[]::new);
    }
}
