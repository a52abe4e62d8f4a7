package io.veles.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The seed corpus holds a valid snapshot of every codec (and rewrites it with VELES_WRITE_SEEDS=1). */
class SeedCorpusTest {
    @Test
    void everySeedIsAValidSnapshot() throws Exception {
        if ("1".equals(System.getenv("VELES_WRITE_SEEDS"))) {
            SeedCorpus.write(SeedCorpus.DIRECTORY);
        }
        long seeds = 0;
        try (Stream<Path> files = Files.list(SeedCorpus.DIRECTORY)) {
            for (Path seed : (Iterable<Path>)
                    files.filter(f -> f.getFileName().toString().startsWith("seed-"))::iterator) {
                try (InputStream in = Files.newInputStream(seed);
                        SnapshotReader reader = SnapshotReader.open(in, seed.toString())) {
                    assertThat(reader.restore(RestoreRules.forWorkflow(FuzzWorkflow.class))
                                    .workflow()
                                    .name())
                            .isEqualTo("fuzz");
                }
                seeds++;
            }
        }
        assertThat(seeds).isEqualTo(7);
    }
}
