package io.veles.testing.golden;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.Differential;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Wrote the golden differential chains of formats 2 and 3, once each: {@code chain_1.gz}
 * (standalone) and {@code chain_2.gz} (differential against it), with the digest each restores
 * to. Never run again on their directories: run with a new directory, it writes a set in the
 * format of the day.
 */
public final class GoldenChainWriter {
    public static final String DIGESTS_FILE = "digests.txt";

    private GoldenChainWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        if (Files.exists(dir.resolve(DIGESTS_FILE))) {
            throw new IllegalStateException(dir + " already holds golden files, which are never regenerated");
        }
        GoldenChainWorkflow workflow = new GoldenChainWorkflow();
        workflow.initialize();
        Differential chain = Differential.withFullEvery(10);
        List<String> digests = new ArrayList<>();
        digests.add("# A golden differential chain of format " + SnapshotFormat.VERSION
                + " and the digest each snapshot restores to. Never regenerated.");
        for (int i = 1; i <= 2; i++) {
            workflow.model.run();
            String file = "chain_" + i + ".gz";
            Differential.Pending pending = chain.next();
            try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
                SnapshotWriter.write(
                        workflow,
                        Manifest.builder()
                                .name("chain_" + i)
                                .created("2026-12-01T00:00:0" + i + "Z")
                                .build(),
                        SnapshotWriter.Options.of(Codec.GZIP, -1).withThreads(1),
                        pending,
                        out);
            }
            chain.stored(pending, file);
            digests.add(file + " " + workflow.digest());
        }
        Files.write(dir.resolve(DIGESTS_FILE), digests);
    }
}
