package io.veles.fuzz;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the fuzz target's seed corpus: one real snapshot of {@link FuzzWorkflow} per codec,
 * taken after a run. When the format changes, rename the seeds of the old one ({@code
 * format-N-seed-*}, still read by every build) and rewrite these:
 * {@code VELES_WRITE_SEEDS=1 mvn -pl veles-fuzz -am test -Dtest=SeedCorpusTest}.
 */
final class SeedCorpus {
    static final Path DIRECTORY =
            Path.of("src/test/resources/io/veles/fuzz/SnapshotReaderFuzzTestInputs/readerEndsInAClearErrorOrARestore");

    private SeedCorpus() {}

    static void write(Path directory) throws Exception {
        Files.createDirectories(directory);
        for (Codec codec : Codec.values()) {
            FuzzWorkflow workflow = new FuzzWorkflow();
            workflow.initialize();
            workflow.run();
            try (OutputStream out = Files.newOutputStream(directory.resolve("seed-" + codec.argument()))) {
                Manifest manifest = Manifest.builder().name("fuzz_seed").build();
                SnapshotWriter.write(workflow, manifest, codec, -1, out);
            }
        }
    }
}
