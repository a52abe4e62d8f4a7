package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** prune on a table and on a directory: the dry run lists exactly what the real run deletes. */
@Tag("slow")
class PruneCommandTest {
    @TempDir
    Path dir;

    private List<String> names(String store) throws Exception {
        VelesProcess ls = VelesProcess.run(dir, "snapshot", "ls", "--json", store);
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        List<String> names = new ArrayList<>();
        for (JsonNode row : new ObjectMapper().readTree(ls.stdout())) {
            names.add(row.get("name").asText());
        }
        return names;
    }

    private static byte[] gzipped(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static List<String> marked(String output, String verb) {
        return output.lines()
                .filter(line -> line.startsWith(verb + " "))
                .map(line -> line.substring(verb.length()).strip().split("\\s+")[0])
                .collect(Collectors.toList());
    }

    @Test
    void aTableKeepsTheLastAndTheBestAndTheDryRunMatches() throws Exception {
        String store = "odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db") + "&runs";
        VelesProcess train = VelesProcess.run(
                dir,
                "run",
                "wine",
                "decision.max_epochs=6",
                "--odbc",
                "DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db"),
                "--table",
                "runs");
        assertThat(train.exitCode()).as(train.stderr()).isZero();
        List<String> before = names(store);
        assertThat(before).hasSize(6);

        VelesProcess dry =
                VelesProcess.run(dir, "snapshot", "prune", store, "--keep-last", "2", "--keep-best", "1", "--dry-run");
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        List<String> wouldDelete = marked(dry.stdout(), "would delete");
        assertThat(names(store)).as("a dry run deletes nothing").isEqualTo(before);

        VelesProcess real = VelesProcess.run(dir, "snapshot", "prune", store, "--keep-last", "2", "--keep-best", "1");
        assertThat(real.exitCode()).as(real.stderr()).isZero();
        assertThat(marked(real.stdout(), "delete")).isEqualTo(wouldDelete);
        List<String> after = names(store);
        assertThat(after).containsAll(before.subList(4, 6)).doesNotContainAnyElementsOf(wouldDelete);
        assertThat(after.size() + wouldDelete.size()).isEqualTo(6);
        assertThat(after.size()).isBetween(2, 3);
    }

    @Test
    void aPinnedRowSurvivesPruneAndTheSnapshotterPrunesAsItWrites() throws Exception {
        String odbc = "DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db");
        String store = "odbc://" + odbc + "&runs";
        VelesProcess train = VelesProcess.run(
                dir,
                "run",
                "wine",
                "decision.max_epochs=5",
                "--odbc",
                odbc,
                "--table",
                "runs",
                "snapshotter.keep_last=3");
        assertThat(train.exitCode()).as(train.stderr()).isZero();
        assertThat(train.stderr()).contains("retention deleted 1 snapshot(s): wine_1_");
        List<String> kept = names(store);
        assertThat(kept).as("the run kept its last three").hasSize(3);
        assertThat(kept.get(0)).startsWith("wine_3_");

        JsonNode oldest = new ObjectMapper()
                .readTree(
                        VelesProcess.run(dir, "snapshot", "ls", "--json", store).stdout())
                .get(0);
        VelesProcess pin = VelesProcess.run(
                dir,
                "snapshot",
                "pin",
                store + "&" + oldest.get("id").asText() + "&&"
                        + oldest.get("name").asText());
        assertThat(pin.exitCode()).as(pin.stderr()).isZero();
        assertThat(pin.stdout())
                .startsWith("pinned odbc://")
                .contains(oldest.get("name").asText());

        VelesProcess dry = VelesProcess.run(dir, "snapshot", "prune", store, "--keep-last", "1", "--dry-run");
        assertThat(dry.stdout()).contains("(pinned)").contains("(current)");
        String pinned = store + "&" + oldest.get("id").asText() + "&&"
                + oldest.get("name").asText();
        VelesProcess unpin = VelesProcess.run(dir, "snapshot", "pin", "--remove", pinned);
        assertThat(unpin.stdout()).startsWith("unpinned ");
        VelesProcess dryUnpinned = VelesProcess.run(dir, "snapshot", "prune", store, "--keep-last", "1", "--dry-run");
        assertThat(marked(dryUnpinned.stdout(), "would delete")).containsExactly(kept.get(0), kept.get(1));
        assertThat(VelesProcess.run(dir, "snapshot", "pin", pinned).exitCode()).isZero();
        VelesProcess unpinUnpinned = VelesProcess.run(
                dir,
                "snapshot",
                "pin",
                "--remove",
                store + "&" + oldest.get("id").asText() + "&&" + kept.get(1));
        assertThat(unpinUnpinned.exitCode()).isEqualTo(1);
        assertThat(unpinUnpinned.stderr()).contains("is not pinned");
        dry = VelesProcess.run(dir, "snapshot", "prune", store, "--keep-last", "1", "--dry-run");
        assertThat(marked(dry.stdout(), "would delete")).containsExactly(kept.get(1));
        VelesProcess real = VelesProcess.run(dir, "snapshot", "prune", store, "--keep-last", "1");
        assertThat(real.exitCode()).as(real.stderr()).isZero();
        assertThat(names(store)).containsExactly(kept.get(0), kept.get(2));
    }

    @Test
    void aDirectoryNeverLosesPinnedSnapshotsOrCurrentsTarget() throws Exception {
        VelesProcess train = VelesProcess.run(dir, "run", "wine", "decision.max_epochs=5", "--snapshot-dir", "snaps");
        assertThat(train.exitCode()).as(train.stderr()).isZero();
        List<String> before = names("snaps");
        String first = before.get(0);
        VelesProcess pin = VelesProcess.run(dir, "snapshot", "pin", "snaps/" + first + ".gz");
        assertThat(pin.exitCode()).as(pin.stderr()).isZero();

        VelesProcess prune = VelesProcess.run(dir, "snapshot", "prune", "snaps", "--keep-last", "1");
        assertThat(prune.exitCode()).as(prune.stderr()).isZero();
        String current =
                Files.readSymbolicLink(dir.resolve("snaps/wine_current.gz")).toString();
        assertThat(names("snaps"))
                .containsExactlyInAnyOrder(first, before.get(before.size() - 1))
                .contains(current.replace(".gz", ""));

        // What else is in the directory is listed as kept and never deleted, however old.
        Path notes = Files.writeString(dir.resolve("snaps/README.md"), "what these runs were\n");
        Path log = Files.write(dir.resolve("snaps/train.log.gz"), gzipped("a log, not a snapshot\n"));
        for (Path other : List.of(notes, log)) {
            Files.setLastModifiedTime(other, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        }
        VelesProcess again = VelesProcess.run(dir, "snapshot", "prune", "snaps", "--keep-last", "1");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(marked(again.stdout(), "keep")).contains("README.md", "train.log.gz");
        assertThat(again.stdout())
                .contains("(not read as a snapshot, never pruned: snaps/README.md is not a veles snapshot)")
                .contains("deleted 0 of 2 snapshots; 2 that did not read as snapshots were left alone");
        assertThat(notes).hasContent("what these runs were");
        assertThat(log).hasBinaryContent(gzipped("a log, not a snapshot\n"));

        // Pinning the link pins the file it points to, which stays pinned when a newer one is current.
        VelesProcess pinLink = VelesProcess.run(dir, "snapshot", "pin", "snaps/wine_current.gz");
        assertThat(pinLink.stdout().strip()).isEqualTo("pinned snaps/" + current);
        assertThat(dir.resolve("snaps/." + current + ".pin")).exists();
        assertThat(dir.resolve("snaps/.wine_current.gz.pin")).doesNotExist();
    }
}
