package io.veles.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.SnapshotFormat;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The seed corpus holds a valid snapshot of every codec in today's format (and rewrites them with
 * VELES_WRITE_SEEDS=1), and keeps those of formats 3 and 4 ({@code format-3-seed-*}, {@code format-4-seed-*}), so that the fuzz
 * target reaches the readers of both layouts.
 */
class SeedCorpusTest {
    @Test
    void everySeedIsAValidSnapshot() throws Exception {
        if ("1".equals(System.getenv("VELES_WRITE_SEEDS"))) {
            SeedCorpus.write(SeedCorpus.DIRECTORY);
        }
        assertThat(restoredSeeds("seed-", SnapshotFormat.VERSION)).isEqualTo(7);
        assertThat(restoredSeeds("format-3-seed-", 3)).isEqualTo(7);
        assertThat(restoredSeeds("format-4-seed-", 4)).isEqualTo(7);
    }

    private static long restoredSeeds(String prefix, int version) throws Exception {
        long seeds = 0;
        try (Stream<Path> files = Files.list(SeedCorpus.DIRECTORY)) {
            for (Path seed : (Iterable<Path>)
                    files.filter(f -> f.getFileName().toString().startsWith(prefix))::iterator) {
                try (InputStream in = Files.newInputStream(seed);
                        SnapshotReader reader = SnapshotReader.open(in, seed.toString())) {
                    assertThat(reader.formatVersion()).as("%s", seed).isEqualTo(version);
                    assertThat(reader.restore(RestoreRules.forWorkflow(FuzzWorkflow.class))
                                    .workflow()
                                    .name())
                            .isEqualTo("fuzz");
                }
                seeds++;
            }
        }
        return seeds;
    }
}
