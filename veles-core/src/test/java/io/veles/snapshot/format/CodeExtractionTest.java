package io.veles.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile code backups, built as real zips: links planted in the target directory, duplicate
 * entries, existing files, a zip bomb, and a bad entry after good ones. Each is refused before
 * anything is written.
 */
class CodeExtractionTest {
    @TempDir
    Path dir;

    /** A zip of (name, content) pairs; a null content makes a directory entry. */
    private static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putNextEntry(new ZipEntry(namesAndContents[i]));
                if (namesAndContents[i + 1] != null) {
                    out.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Renames every "b/A.class" to "a/A.class" in place: a zip whose writer allowed duplicates. */
    private static byte[] sameName(byte[] zip) {
        byte[] from = "b/A.class".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + from.length, from, 0, from.length)) {
                zip[i] = 'a';
            }
        }
        return zip;
    }

    private static List<Path> contents(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(path -> !path.equals(directory)).sorted().toList();
        }
    }

    @Test
    void aLinkInsideTheTargetIsNeverWrittenThrough() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path target = Files.createDirectories(dir.resolve("code"));
        Files.createSymbolicLink(target.resolve("io"), outside);
        Files.writeString(outside.resolve("victim.class"), "mine");
        Files.createSymbolicLink(target.resolve("Top.class"), outside.resolve("victim.class"));

        for (String name : new String[] {"io/veles/Evil.class", "Top.class"}) {
            assertThatThrownBy(() -> new CodeExtraction(target, true, 1 << 20).extract(zip(name, "evil")))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("is a symbolic link");
        }
        assertThat(contents(outside)).containsExactly(outside.resolve("victim.class"));
        assertThat(Files.readString(outside.resolve("victim.class"))).isEqualTo("mine");
    }

    @Test
    void anExistingFileIsKeptUnlessForced() throws Exception {
        Path target = Files.createDirectories(dir.resolve("code"));
        Files.writeString(target.resolve("A.class"), "mine");
        assertThatThrownBy(() -> CodeBackup.extract(zip("B.class", "b", "A.class", "theirs"), target))
                .hasMessage("cannot write A.class: " + target.toAbsolutePath().resolve("A.class")
                        + " exists (--force replaces it)");
        assertThat(Files.readString(target.resolve("A.class"))).isEqualTo("mine");
        assertThat(target.resolve("B.class"))
                .as("nothing written before the refusal")
                .doesNotExist();

        assertThat(new CodeExtraction(target, true, 1 << 20).extract(zip("B.class", "b", "A.class", "theirs")))
                .isEqualTo(2);
        assertThat(Files.readString(target.resolve("A.class"))).isEqualTo("theirs");
    }

    /** A target that is a file (a snapshot, say) is refused naming what it is, and kept. */
    @Test
    void aTargetThatIsAFileIsRefusedAndKept() throws Exception {
        Path file = Files.writeString(dir.resolve("wine_2_3.77.gz"), "a snapshot");
        assertThatThrownBy(() -> CodeBackup.extract(zip("A.class", "a"), file))
                .hasMessage("cannot write the code backup into " + file + ": it is a file, not a directory");
        assertThat(file).hasContent("a snapshot");
    }

    @Test
    void duplicateEntriesAreRefused() throws Exception {
        Path target = dir.resolve("code");
        for (byte[] backup : List.of(
                sameName(zip("a/A.class", "one", "b/A.class", "two")),
                zip("a/A.class", "one", "a/./A.class", "two"),
                zip("a", "file", "a/A.class", "two"),
                zip("a/A.class", "one", "a", "file"))) {
            assertThatThrownBy(() -> CodeBackup.extract(backup, target))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageStartingWith("the code backup holds ");
            assertThat(target).doesNotExist();
        }
    }

    /**
     * One entry named 32,000 directories deep (under 1 KB zipped) would make every parent path
     * a copy, gigabytes in all: a name longer than a path can be is refused at once.
     */
    @Test
    void anEntryNamedDeeperThanAPathCanBeIsRefused() throws Exception {
        Path target = dir.resolve("code");
        byte[] backup = zip("a/".repeat(32_000) + "A.class", "deep");
        assertThatThrownBy(() -> CodeBackup.extract(backup, target))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("the code backup holds an entry whose name is longer than a path can be");
        assertThat(target).doesNotExist();
    }

    /**
     * Many distinct deep names, each within a path's length: every parent of each is a path of its
     * own (some 4 MB per name here), so the directories' names in all are bounded too.
     */
    @Test
    void manyDeepNamesAreBoundedInAll() throws Exception {
        Path target = dir.resolve("code");
        String[] entries = new String[2 * 40];
        for (int i = 0; i < 40; i++) {
            entries[2 * i] = i + "/" + "a/".repeat(2000) + "A.class";
            entries[2 * i + 1] = "x";
        }
        byte[] backup = zip(entries);
        assertThatThrownBy(() -> CodeBackup.extract(backup, target))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("directories are named in more than");
        assertThat(target).doesNotExist();
    }

    @Test
    void aZipBombStopsAtTheCap() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("Bomb.class"));
            for (int i = 0; i < 64; i++) {
                out.write(zeros); // 64 MiB of zeros deflate to about 64 KiB
            }
            out.closeEntry();
        }
        assertThat(bytes.size()).isLessThan(1 << 20);
        Path target = dir.resolve("code");
        assertThatThrownBy(() -> new CodeExtraction(target, false, 16L << 20).extract(bytes.toByteArray()))
                .hasMessage("the code backup expands to more than 16777216 bytes (the cap; raise it with --max-size)");
        assertThat(target).doesNotExist();
        assertThat(new CodeExtraction(target, false, 64L << 20).extract(bytes.toByteArray()))
                .isEqualTo(1);
        assertThat(Files.size(target.resolve("Bomb.class"))).isEqualTo(64L << 20);
    }

    @Test
    void aBadEntryAfterGoodOnesLeavesNothingBehind() throws Exception {
        Path target = Files.createDirectories(dir.resolve("code"));
        assertThatThrownBy(() -> CodeBackup.extract(
                        zip("io/", null, "io/A.class", "a", "io/B.class", "b", "../escaped.class", "x"), target))
                .hasMessageContaining("entry outside its directory: ../escaped.class");
        assertThat(contents(target)).isEmpty();
        assertThat(dir.resolve("escaped.class")).doesNotExist();
    }

    @Test
    void aGoodBackupIsWrittenWhole() throws Exception {
        Path target = dir.resolve("code");
        assertThat(CodeBackup.extract(zip("io/", null, "io/A.class", "a", "io/x/B.class", "b"), target))
                .isEqualTo(2);
        assertThat(Files.readString(target.resolve("io/A.class"))).isEqualTo("a");
        assertThat(Files.readString(target.resolve("io/x/B.class"))).isEqualTo("b");
    }
}
