package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.testing.golden.GoldenChainWorkflow;
import io.veles.testing.golden.GoldenChainWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Every build restores the golden differential chain of format 2 (a standalone snapshot and one
 * differential against it) to the state it was taken of. The files are never regenerated: when
 * this test fails, the reader is wrong.
 */
class GoldenChainTest {
    private static final String FORMAT_2 = "/golden/format-2/";

    @TempDir
    Path dir;

    private void copy(String file) throws IOException {
        try (InputStream in = GoldenChainTest.class.getResourceAsStream(FORMAT_2 + file)) {
            assertThat(in).as(file).isNotNull();
            Files.copy(in, dir.resolve(file));
        }
    }

    @Test
    void theGoldenChainRestoresToItsDigests() throws IOException {
        List<String> lines =
                Files.readAllLines(Path.of("src/test/resources/golden/format-2", GoldenChainWriter.DIGESTS_FILE));
        copy("chain_1.gz");
        copy("chain_2.gz");
        int checked = 0;
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ");
            GoldenChainWorkflow restored = Snapshots.restore(
                            dir.resolve(parts[0]).toString(),
                            GoldenChainWorkflow.class,
                            RestoreRules.forWorkflow(GoldenChainWorkflow.class),
                            null)
                    .workflow();
            assertThat(restored.digest())
                    .as(parts[0] + ": golden files are never regenerated; fix the reader")
                    .isEqualTo(parts[1]);
            checked++;
        }
        assertThat(checked).isEqualTo(2);
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("chain_2.gz"))) {
            assertThat(reader.manifest().base).isEqualTo("chain_1.gz");
            assertThat(Files.size(dir.resolve("chain_2.gz")) * 4).isLessThan(Files.size(dir.resolve("chain_1.gz")));
            reader.verify();
        }
    }

    @Test
    void aWalkStartsWithTheHeaderBytesOpenRead() throws IOException {
        copy("chain_1.gz");
        copy("chain_2.gz");
        for (String file : List.of("chain_1.gz", "chain_2.gz")) {
            byte[] decoded;
            try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve(file)))) {
                decoded = in.readAllBytes();
            }
            try (SnapshotReader reader = Snapshots.openFile(dir.resolve(file))) {
                java.io.ByteArrayOutputStream walked = new java.io.ByteArrayOutputStream();
                long[] firstLength = {-1};
                reader.walk((offset, bytes, from, length) -> {
                    assertThat(offset).isEqualTo(walked.size());
                    if (firstLength[0] < 0) {
                        firstLength[0] = length;
                    }
                    walked.write(bytes, from, length);
                });
                assertThat(firstLength[0]).as(file).isEqualTo(reader.headerLength());
                assertThat(walked.toByteArray()).as(file).isEqualTo(decoded);
            }
        }
    }
}
