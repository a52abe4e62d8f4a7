package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Differential snapshots of a state that is mostly frozen: each stores only what changed, and
 * every one restores to exactly the state a standalone snapshot of the same moment holds.
 */
class DifferentialSnapshotTest {
    @TempDir
    Path dir;

    /**
     * A large frozen table, a smaller part that changes every run, a part that changes once (in
     * the second run: later snapshots reference a differential one's blocks), and a counter.
     */
    static final class Model extends Unit {
        final Bool complete = new Bool(false);
        final int iterations;
        float[] frozen;
        float[] trained;
        float[] once = new float[1 << 17]; // 512 KiB
        int count;

        Model(Workflow workflow, int iterations) {
            super(workflow, "model");
            this.iterations = iterations;
            Random random = new Random(11);
            frozen = new float[1 << 20]; // 4 MiB
            for (int i = 0; i < frozen.length; i++) {
                frozen[i] = (float) random.nextGaussian();
            }
            trained = new float[1 << 16]; // 256 KiB
        }

        @Override
        public void run() {
            count++;
            for (int i = 0; i < trained.length; i++) {
                trained[i] = trained[i] * 0.9f + frozen[(i * 31 + count) % frozen.length];
            }
            if (count == 2) {
                Random random = new Random(5);
                for (int i = 0; i < once.length; i++) {
                    once[i] = random.nextFloat();
                }
            }
            complete.set(count >= iterations);
        }
    }

    static final class FrozenWorkflow extends Workflow {
        final Model model;
        final Snapshotter snapshotter;

        FrozenWorkflow(int iterations, SnapshotSettings settings) {
            super("frozen");
            Repeater repeater = new Repeater(this);
            model = new Model(this, iterations);
            snapshotter = Snapshotter.create(this, settings);
            repeater.linkFrom(startPoint());
            model.linkFrom(repeater);
            snapshotter.linkFrom(model);
            repeater.linkFrom(snapshotter);
            endPoint().linkFrom(model).gateBlock(model.complete.not());
        }

        void runAndStop() {
            initialize();
            run();
            stop();
        }
    }

    private SnapshotSettings settings(Path where, boolean incremental, boolean async) {
        return SnapshotSettings.builder()
                .prefix("frozen")
                .directory(where.toString())
                .compression(Codec.GZIP)
                .compressionLevel(1)
                .async(async)
                .incremental(incremental)
                .fullEvery(4)
                .build();
    }

    private static FrozenWorkflow restore(Path file, SnapshotKey key) {
        return Snapshots.restore(
                        file.toString(), FrozenWorkflow.class, RestoreRules.forWorkflow(FrozenWorkflow.class), key)
                .workflow();
    }

    private static Manifest manifest(Path file) throws IOException {
        try (SnapshotReader reader = Snapshots.openFile(file)) {
            return reader.manifest();
        }
    }

    private static Path snapshot(Path where, int number) {
        return where.resolve("frozen_" + number + ".gz");
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void everySnapshotOfAChainRestoresExactlyAsAStandaloneOneAndStoresFarLess(boolean async) throws IOException {
        Path differential = dir.resolve("differential");
        Path standalone = dir.resolve("standalone");
        new FrozenWorkflow(9, settings(differential, true, async)).runAndStop();
        new FrozenWorkflow(9, settings(standalone, false, async)).runAndStop();

        List<Integer> chainLengths = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            Manifest written = manifest(snapshot(differential, i));
            chainLengths.add(written.chain == null ? 0 : written.chain.size());
            FrozenWorkflow fromChain = restore(snapshot(differential, i), null);
            FrozenWorkflow fromFull = restore(snapshot(standalone, i), null);
            assertThat(fromChain.model.count).isEqualTo(i).isEqualTo(fromFull.model.count);
            assertThat(Arrays.equals(fromChain.model.trained, fromFull.model.trained))
                    .as("snapshot %d", i)
                    .isTrue();
            assertThat(Arrays.equals(fromChain.model.frozen, fromFull.model.frozen))
                    .isTrue();
            assertThat(Arrays.equals(fromChain.model.once, fromFull.model.once)).isTrue();
            if (written.isDifferential()) {
                assertThat(Files.size(snapshot(differential, i)) * 3)
                        .as("a differential snapshot stores the changed part only")
                        .isLessThan(Files.size(snapshot(standalone, i)));
                assertThat(written.base).isEqualTo("frozen_" + (i - 1) + ".gz");
            }
        }
        // A standalone snapshot every 4: a restore reads at most 4 files.
        assertThat(chainLengths).containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 0);
    }

    /**
     * A differential snapshot taken by an interrupted thread fails, and its block-naming thread
     * ends with it: given up on, it waited for ever, holding its memory, once per snapshot tried.
     */
    @Test
    void aDifferentialSnapshotFailedByAnInterruptLeavesNoThreadBehind() throws Exception {
        FrozenWorkflow workflow = new FrozenWorkflow(
                1,
                SnapshotSettings.builder()
                        .prefix("frozen")
                        .directory(dir.toString())
                        .compression(Codec.GZIP)
                        .compressionLevel(1)
                        .async(false)
                        .incremental(true)
                        .fullEvery(8)
                        .onFailure(SnapshotSettings.FailurePolicy.WARN)
                        .build());
        workflow.initialize();
        workflow.snapshotter.export(); // standalone: the base
        for (int attempt = 0; attempt < 3; attempt++) {
            Thread.currentThread().interrupt();
            workflow.snapshotter.export(); // differential; fails, and the run goes on (warn)
            Thread.interrupted();
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!io.veles.testing.LiveThreads.named("veles-blocks").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(io.veles.testing.LiveThreads.named("veles-blocks"))
                .as("block-naming threads left")
                .isEmpty();
        workflow.stop();
    }

    @Test
    void theUnitSharesSayWhatWasRewrittenAndWhatReferenced() throws IOException {
        Path differential = dir.resolve("differential");
        new FrozenWorkflow(2, settings(differential, true, false)).runAndStop();
        try (SnapshotReader reader = Snapshots.openFile(snapshot(differential, 2))) {
            SnapshotReader.UnitShare model = reader.unitShares().stream()
                    .filter(share -> share.unit().equals("model"))
                    .findFirst()
                    .orElseThrow();
            // The 256 KiB trained array is rewritten; the 4 MiB frozen one is referenced.
            assertThat(model.storedBytes()).isBetween(256L << 10, 2L << 20);
            assertThat(model.referencedBytes()).isGreaterThan(3L << 20);
        }
    }

    @Test
    void aResumeFromTheMiddleOfAChainEndsWhereAnUninterruptedRunEnds() {
        Path differential = dir.resolve("differential");
        new FrozenWorkflow(6, settings(differential, true, false)).runAndStop();
        FrozenWorkflow uninterrupted = new FrozenWorkflow(6, settings(dir.resolve("other"), false, false));
        uninterrupted.runAndStop();

        FrozenWorkflow resumed = restore(snapshot(differential, 3), null);
        resumed.snapshotter.reconfigure(settings(dir.resolve("resumed"), true, false));
        resumed.initialize();
        resumed.resumeRun();
        assertThat(resumed.model.count).isEqualTo(6);
        assertThat(Arrays.equals(resumed.model.trained, uninterrupted.model.trained))
                .isTrue();
    }

    /**
     * A differential file cut short inside its blocks is named as truncated, whatever its codec:
     * its blocks are assembled into a private temporary file, and a failure to read them once
     * read "cannot assemble ... in a private file under /tmp: Truncated source" (or ": null").
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(
            value = Codec.class,
            names = {"NONE", "GZIP", "ZSTD", "LZ4", "SNAPPY", "XZ", "BZIP2"})
    void aTruncatedDifferentialSnapshotIsCalledTruncated(Codec codec) throws IOException {
        Path differential = dir.resolve("differential");
        SnapshotSettings settings = SnapshotSettings.builder()
                .prefix("frozen")
                .directory(differential.toString())
                .compression(codec)
                .compressionLevel(codec.defaultLevel())
                .incremental(true)
                .fullEvery(4)
                .build();
        new FrozenWorkflow(3, settings).runAndStop();
        Path whole = differential.resolve("frozen_3" + codec.extension());
        assertThat(manifest(whole).base).as("a differential snapshot").isNotNull();
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = differential.resolve("cut" + codec.extension());
        for (int eighths = 1; eighths < 8; eighths++) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * eighths / 8));
            assertThatThrownBy(() -> {
                        try (SnapshotReader reader = Snapshots.openFile(cut)) {
                            reader.verify();
                        }
                    })
                    .as(eighths + "/8 of " + whole.getFileName())
                    .isInstanceOf(io.veles.errors.CorruptSnapshotException.class)
                    .hasMessageStartingWith(cut + " is ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "private file"));
        }
    }

    /**
     * Uncompressed, a cut inside a block record's header ends the stream cleanly, and it is
     * DataInputStream that finds the record short: named as truncated all the same.
     */
    @Test
    void anUncompressedDifferentialSnapshotCutInsideARecordHeaderIsCalledTruncated() throws IOException {
        Path differential = dir.resolve("differential");
        SnapshotSettings settings = SnapshotSettings.builder()
                .prefix("frozen")
                .directory(differential.toString())
                .compression(Codec.NONE)
                .incremental(true)
                .fullEvery(4)
                .build();
        new FrozenWorkflow(3, settings).runAndStop();
        byte[] bytes = Files.readAllBytes(differential.resolve("frozen_3"));
        // magic, version and flags, then the manifest's length and the manifest: the records follow soon
        int manifestLength = java.nio.ByteBuffer.wrap(bytes, SnapshotFormat.MAGIC.length + 4, 4)
                .getInt();
        int firstRecord = SnapshotFormat.MAGIC.length + 8 + manifestLength;
        Path cut = differential.resolve("cut");
        for (int inHeader = 1; inHeader <= 24; inHeader++) { // past the records' start, into the first
            Files.write(cut, java.util.Arrays.copyOf(bytes, firstRecord + inHeader));
            assertThatThrownBy(() -> {
                        try (SnapshotReader reader = Snapshots.openFile(cut)) {
                            reader.verify();
                        }
                    })
                    .as("cut " + inHeader + " bytes into the first record")
                    .isInstanceOf(io.veles.errors.CorruptSnapshotException.class)
                    .hasMessageStartingWith(cut + " is truncated: ");
        }
    }

    @Test
    void aDamagedBaseIsRefusedInOneLineNamingIt() throws IOException {
        Path differential = dir.resolve("differential");
        new FrozenWorkflow(3, settings(differential, true, false)).runAndStop();
        Path base = snapshot(differential, 1);
        try (RandomAccessFile file = new RandomAccessFile(base.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0x5a);
        }
        assertThatThrownBy(() -> restore(snapshot(differential, 3), null))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("frozen_3.gz")
                .hasMessageContaining("its base frozen_1.gz is damaged")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> {
                    try (SnapshotReader reader = Snapshots.openFile(snapshot(differential, 2))) {
                        reader.verify();
                    }
                })
                .hasMessageContaining("its base frozen_1.gz is damaged");
    }

    /**
     * A base swapped for another whole snapshot of the same shape checks out on its own, but the
     * bytes the chain gives back are not those the differential snapshot was built on: said so,
     * naming the chain, rather than calling the differential snapshot (which is whole) corrupt.
     */
    @Test
    void aBaseSwappedForAnotherSnapshotIsNamedAsSuch() throws IOException {
        Path differential = dir.resolve("differential");
        new FrozenWorkflow(3, settings(differential, true, false)).runAndStop();
        Path other = dir.resolve("other");
        FrozenWorkflow changed = new FrozenWorkflow(1, settings(other, true, false));
        java.util.Arrays.fill(changed.model.frozen, 0.25f);
        changed.runAndStop();
        Files.copy(snapshot(other, 1), snapshot(differential, 1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> {
                    try (SnapshotReader reader = Snapshots.openFile(snapshot(differential, 2))) {
                        reader.verify();
                    }
                })
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("frozen_2.gz does not assemble from its chain (frozen_1.gz)")
                .hasMessageContaining("a snapshot of the chain was replaced");
    }

    @Test
    void verifyChecksEveryFileOfTheChainEvenOnesNoBlockComesFrom() throws IOException {
        Path differential = dir.resolve("differential");
        new FrozenWorkflow(4, settings(differential, true, false)).runAndStop();
        Path middle = snapshot(differential, 3);
        byte[] bytes = Files.readAllBytes(middle);
        bytes[bytes.length - 12] ^= 0x01; // inside the gzip trailer's CRC: the file no longer checks out
        Files.write(middle, bytes);
        assertThatThrownBy(() -> {
                    try (SnapshotReader reader = Snapshots.openFile(snapshot(differential, 4))) {
                        reader.verify();
                    }
                })
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("its base frozen_3.gz is damaged");
    }

    @Test
    void aDifferentialSnapshotCarriesItsCodeBackup() throws IOException {
        Path differential = dir.resolve("differential");
        new FrozenWorkflow(
                        2,
                        settings(differential, true, false).toBuilder()
                                .codeBackup(true)
                                .build())
                .runAndStop();
        try (SnapshotReader reader = Snapshots.openFile(snapshot(differential, 2))) {
            assertThat(reader.isDifferential()).isTrue();
            assertThat(reader.hasCodeBackup()).isTrue();
            Path code = dir.resolve("code");
            assertThat(io.veles.snapshot.format.CodeBackup.extract(reader.readCodeBackup(), code))
                    .isPositive();
            assertThat(code.resolve("io/veles/snapshot/DifferentialSnapshotTest$Model.class"))
                    .exists();
        }
    }

    @Test
    void aMissingBaseIsRefusedInOneLineNamingIt() throws IOException {
        Path differential = dir.resolve("differential");
        new FrozenWorkflow(3, settings(differential, true, false)).runAndStop();
        Files.delete(snapshot(differential, 1)); // the standalone one, which holds the frozen table
        assertThatThrownBy(() -> restore(snapshot(differential, 3), null))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("frozen_3.gz cannot be read: its base frozen_1.gz cannot be opened")
                .hasMessageContaining("missing from " + differential)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aSignedChainRestoresWithItsKeyAndIsRefusedWithAnother(@TempDir Path keys) throws IOException {
        Path keyFile = keys.resolve("key");
        Files.writeString(keyFile, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        SnapshotKey key = SnapshotKey.fromFile(keyFile);
        Path differential = dir.resolve("differential");
        FrozenWorkflow workflow = new FrozenWorkflow(3, settings(differential, true, false));
        workflow.snapshotter.signWith(key);
        workflow.runAndStop();
        assertThat(manifest(snapshot(differential, 3)).isDifferential()).isTrue();
        assertThat(restore(snapshot(differential, 3), key).model.count).isEqualTo(3);

        Path otherFile = keys.resolve("other");
        Files.writeString(otherFile, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
        assertThatThrownBy(() -> restore(snapshot(differential, 3), SnapshotKey.fromFile(otherFile)))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("signature");
    }

    /** Deletes a file once the model has run {@code atCount} times: an outside cleanup mid-run. */
    static final class Deleter extends Unit {
        private final transient Model model;
        private final transient Path victim;
        private final int atCount;

        Deleter(Workflow workflow, Model model, Path victim, int atCount) {
            super(workflow, "deleter");
            this.model = model;
            this.victim = victim;
            this.atCount = atCount;
        }

        @Override
        public void run() {
            if (model.count == atCount) {
                try {
                    Files.delete(victim);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    static final class CleanedWorkflow extends Workflow {
        final Model model;

        CleanedWorkflow(int iterations, SnapshotSettings settings, Path victim, int atCount) {
            super("frozen");
            Repeater repeater = new Repeater(this);
            model = new Model(this, iterations);
            Deleter deleter = new Deleter(this, model, victim, atCount);
            Snapshotter snapshotter = Snapshotter.create(this, settings);
            repeater.linkFrom(startPoint());
            model.linkFrom(repeater);
            deleter.linkFrom(model);
            snapshotter.linkFrom(deleter);
            repeater.linkFrom(snapshotter);
            endPoint().linkFrom(deleter).gateBlock(model.complete.not());
        }
    }

    /**
     * A base deleted from outside the run while it runs: the next snapshot is standalone rather
     * than differential against the missing file, and every snapshot written after it restores.
     */
    @Test
    void aBaseDeletedFromOutsideTheRunIsNotBuiltOn() throws IOException {
        Path where = dir.resolve("cleaned");
        CleanedWorkflow workflow = new CleanedWorkflow(4, settings(where, true, false), snapshot(where, 1), 2);
        workflow.initialize();
        workflow.run();
        workflow.stop();
        assertThat(snapshot(where, 1)).doesNotExist();
        assertThat(manifest(snapshot(where, 2)).isDifferential()).isFalse();
        assertThat(manifest(snapshot(where, 3)).base).isEqualTo("frozen_2.gz");
        for (int i = 2; i <= 4; i++) {
            CleanedWorkflow restored = Snapshots.restore(
                            snapshot(where, i).toString(),
                            CleanedWorkflow.class,
                            RestoreRules.forWorkflow(CleanedWorkflow.class),
                            null)
                    .workflow();
            assertThat(restored.model.count).isEqualTo(i);
        }
    }
}
