package io.veles.snapshot.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.internal.format.UnitColumns;
import io.veles.internal.pickle.DeferredShuffle;
import io.veles.internal.pickle.GraphWriter;
import io.veles.progress.Progress;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.CodeFingerprint;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.snapshot.format.Version;
import io.veles.workflow.Workflow;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes one snapshot of a main workflow as a stream of its codec: header and manifest, payload,
 * trailer (see {@link SnapshotFormat}). The state is measured first, then streamed: the measuring
 * pass keeps the payload but its large numeric arrays (up to 64 MiB), so that streaming it is a
 * copy; memory use beyond the state is that and a few buffers, whatever the state's size.
 *
 * <p>The work is split in two for asynchronous snapshots: {@link #prepare} measures the state and
 * {@link #writeUnfinished} copies the uncompressed container into memory, unshuffled and without
 * its trailer (the pause), after which {@link Unfinished#finish} shuffles, checksums, signs,
 * compresses and stores it while the workflow runs.
 */
public final class SnapshotWriter {
    /** Manifests as snapshot files hold them: their units in columns ({@link UnitColumns}), read in either shape. */
    static final ObjectMapper JSON = UnitColumns.inManifests(new ObjectMapper());

    /**
     * Manifests as format 1 and 2 wrote them, units as a list of objects: what a differential
     * snapshot of then holds in its logical container. Every other JSON of a manifest is written so.
     */
    static final ObjectMapper JSON_BEFORE_COLUMNS = new ObjectMapper();

    private SnapshotWriter() {}

    /**
     * How a snapshot is written.
     *
     * @param level      the codec's level; negative for its default
     * @param key        signs the snapshot unless null
     * @param codeBackup a {@link io.veles.snapshot.format.CodeBackup} zip carried after the payload, unless null
     * @param shuffle    large numeric arrays go through the byte-shuffle filter
     * @param threads    threads that compress blocks in parallel
     */
    public record Options(Codec codec, int level, SnapshotKey key, byte[] codeBackup, boolean shuffle, int threads) {
        public Options {
            level = codec.checkLevel(level);
            threads = Math.max(1, threads);
        }

        /**
         * The defaults for {@code codec}: compressed on every core, and shuffled when the codec is
         * one chosen for its ratio (see {@link #shufflesByDefault}).
         */
        public static Options of(Codec codec, int level) {
            return new Options(
                    codec,
                    level,
                    null,
                    null,
                    shufflesByDefault(codec, codec.checkLevel(level)),
                    Runtime.getRuntime().availableProcessors());
        }

        /**
         * Whether large numeric arrays go through the shuffle filter by default: for gz, bz2, xz,
         * zst and LZ4's high-compression levels (3 and up), not for none, Snappy and LZ4's fast
         * levels. Those are picked for speed, and on float32 weights the filter cost them more
         * time than it saved bytes: 1 GiB of W1 took 1.23–1.30 s shuffled against 0.77–0.84 s
         * not with LZ4 level 1 (0.92 of the size against 1.00), 1.21–1.25 s against 0.79–0.81 s
         * with Snappy (0.92 against 1.00), as each codec's own tool, which does not shuffle, does.
         */
        public static boolean shufflesByDefault(Codec codec, int level) {
            switch (codec) {
                case NONE:
                case SNAPPY:
                    return false;
                case LZ4:
                    return level >= 3;
                default:
                    return true;
            }
        }

        public Options withKey(SnapshotKey newKey) {
            return new Options(codec, level, newKey, codeBackup, shuffle, threads);
        }

        public Options withCodeBackup(byte[] zip) {
            return new Options(codec, level, key, zip, shuffle, threads);
        }

        public Options withShuffle(boolean on) {
            return new Options(codec, level, key, codeBackup, on, threads);
        }

        public Options withThreads(int count) {
            return new Options(codec, level, key, codeBackup, shuffle, count);
        }
    }

    /** A measured snapshot, ready to be written: its layout and final manifest. */
    public static final class Prepared {
        private final GraphWriter.Layout layout;
        private final Manifest manifest;
        private final byte[] manifestBytes;

        private Prepared(GraphWriter.Layout layout, Manifest manifest, byte[] manifestBytes) {
            this.layout = layout;
            this.manifest = manifest;
            this.manifestBytes = manifestBytes;
        }

        public Manifest manifest() {
            return manifest;
        }

        /** Bytes of the uncompressed container: what an in-memory copy of the snapshot takes. */
        public long containerBytes(Options options) {
            return SnapshotFormat.MAGIC.length
                    + 2
                    + 2
                    + 4
                    + manifestBytes.length
                    + 4
                    + 8
                    + layout.payloadBytes()
                    + (options.codeBackup() == null ? 0 : 8 + options.codeBackup().length)
                    + trailerBytes(options.key() != null);
        }
    }

    /** Writes {@code root}'s state to {@code sink} with the default options for {@code codec}, and closes it. */
    public static Manifest write(Workflow root, Manifest manifest, Codec codec, int level, OutputStream sink)
            throws IOException {
        return write(root, manifest, Options.of(codec, level), sink);
    }

    /** As {@link #write(Workflow, Manifest, Codec, int, OutputStream)}, signed with {@code key} unless null. */
    public static Manifest write(
            Workflow root, Manifest manifest, Codec codec, int level, SnapshotKey key, OutputStream sink)
            throws IOException {
        return write(root, manifest, Options.of(codec, level).withKey(key), sink);
    }

    /** As above, carrying {@code codeBackup} (a {@link io.veles.snapshot.format.CodeBackup} zip) after the payload unless null. */
    public static Manifest write(
            Workflow root,
            Manifest manifest,
            Codec codec,
            int level,
            SnapshotKey key,
            byte[] codeBackup,
            OutputStream sink)
            throws IOException {
        return write(root, manifest, Options.of(codec, level).withKey(key).withCodeBackup(codeBackup), sink);
    }

    /**
     * Writes {@code root}'s state to {@code sink} and closes it. {@code manifest} carries what the
     * caller knows (name, run ids, info); the rest is filled in on a copy, which is returned: the
     * manifest written.
     */
    public static Manifest write(Workflow root, Manifest manifest, Options options, OutputStream sink)
            throws IOException {
        return write(root, manifest, options, null, sink);
    }

    /**
     * As {@link #write(Workflow, Manifest, Options, OutputStream)}, as {@code pending} of a run's
     * {@link Differential} snapshots unless it is null: a differential snapshot stores only the
     * blocks its base's chain lacks. Returns the manifest of the file written (with its base and
     * chain if differential).
     */
    public static Manifest write(
            Workflow root, Manifest manifest, Options options, Differential.Pending pending, OutputStream sink)
            throws IOException {
        Prepared prepared = prepare(root, manifest, options);
        String what = "writing " + (manifest.name != null ? manifest.name : "snapshot");
        try (OutputStream compressed = Progress.track(
                options.codec().compress(sink, options.level(), options.threads()),
                what,
                prepared.containerBytes(options))) {
            if (pending == null) {
                writeContainer(root, prepared, options, compressed);
            } else {
                DeltaEncoder encoder = pending.open(compressed, prepared.manifest(), options);
                boolean finished = false;
                try {
                    writeContainer(root, prepared, options, encoder);
                    encoder.finish();
                    finished = true;
                } finally {
                    if (!finished) {
                        encoder.abandon();
                    }
                }
            }
        }
        return pending == null ? prepared.manifest() : pending.fileManifest(prepared.manifest());
    }

    /**
     * Writes {@code pending}'s file into {@code plain} (the codec's stream, left open) from its logical
     * container, which {@code container} writes into the stream it is given: how an asynchronous
     * snapshot's in-memory copy becomes a differential file.
     */
    public static void encode(
            Differential.Pending pending,
            Manifest logical,
            Options options,
            ContainerSource container,
            OutputStream plain)
            throws IOException {
        DeltaEncoder encoder = pending.open(plain, logical, options);
        boolean finished = false;
        try {
            container.writeTo(encoder);
            encoder.finish();
            finished = true;
        } finally {
            if (!finished) {
                encoder.abandon();
            }
        }
    }

    /** Writes a logical container's bytes into a stream: an in-memory copy of one. */
    @FunctionalInterface
    public interface ContainerSource {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Measures {@code root}'s state and completes a copy of {@code manifest} (see
     * {@link Prepared#manifest()}); nothing is written.
     */
    public static Prepared prepare(Workflow root, Manifest manifest, Options options) throws IOException {
        GraphWriter.Layout layout = GraphWriter.measure(root);
        Manifest.Builder completed = manifest.toBuilder()
                .workflowClass(root.getClass().getName())
                .workflowName(root.name())
                .writer(Version.writer())
                .codec(options.codec().argument())
                .level(options.level())
                .payloadBytes(layout.payloadBytes())
                .units(layout.units())
                .classes(layout.classes())
                .arrayElementsFinal(layout.arrayElementsFinal())
                .genericFields(layout.genericFields())
                .filters(options.shuffle() ? List.of("shuffle") : List.of())
                .codeFingerprint(
                        CodeFingerprint.of(layout.classes(), root.getClass().getClassLoader()));
        if (manifest.created == null) {
            completed.created(Instant.now().toString());
        }
        if (options.codeBackup() != null) {
            completed.info("code_backup_bytes", options.codeBackup().length);
        }
        Manifest written = completed.build();
        io.veles.internal.format.BoundedFacts.checkWritable(written.info);
        return new Prepared(layout, written, JSON.writeValueAsBytes(written));
    }

    /**
     * Writes {@code like}'s JSON once and discards it, so that Jackson's set-up and its serializers
     * for manifests like it are ready before the first snapshot: otherwise they are part of that
     * snapshot's pause (here about 0.17 s of a first pause of 0.43 s, against 0.1 s for later ones).
     * The launcher does it on an asynchronous snapshotter's background thread.
     */
    public static void warmUp(Manifest like) {
        try {
            JSON.writeValueAsBytes(like);
        } catch (IOException e) {
            throw new UncheckedIOException("a manifest's JSON goes to memory", e);
        }
    }

    static int flags(boolean signed, boolean hasCode, boolean shuffled) {
        return (signed ? SnapshotFormat.FLAG_SIGNED : 0)
                | (hasCode ? SnapshotFormat.FLAG_CODE : 0)
                | (shuffled ? SnapshotFormat.FLAG_SHUFFLE : 0);
    }

    /** Magic, version, flags, manifest and its CRC, and the payload length: all before the payload. */
    static void writeHeader(
            DataOutputStream data, CrcOutputStream content, int flags, byte[] manifestBytes, long payloadLength)
            throws IOException {
        writeHeader(data, content, SnapshotFormat.VERSION, flags, manifestBytes, payloadLength);
    }

    /**
     * As above, for a payload of format {@code version}: a converted copy keeps its source's payload,
     * so it keeps the version that tells how that payload was written.
     */
    static void writeHeader(
            DataOutputStream data,
            CrcOutputStream content,
            int version,
            int flags,
            byte[] manifestBytes,
            long payloadLength)
            throws IOException {
        writeHeaderUpToCrc(data, content, version, flags, manifestBytes);
        data.writeLong(payloadLength);
    }

    /** The header without the payload length: all of a differential snapshot's, which has no single payload. */
    static void writeHeaderUpToCrc(DataOutputStream data, CrcOutputStream content, int flags, byte[] manifestBytes)
            throws IOException {
        writeHeaderUpToCrc(data, content, SnapshotFormat.VERSION, flags, manifestBytes);
    }

    private static void writeHeaderUpToCrc(
            DataOutputStream data, CrcOutputStream content, int version, int flags, byte[] manifestBytes)
            throws IOException {
        data.write(SnapshotFormat.MAGIC);
        data.writeShort(version);
        data.writeShort(flags);
        data.writeInt(manifestBytes.length);
        data.write(manifestBytes);
        data.writeInt(content.crc());
    }

    /** The trailer over everything {@code content} has counted: magic, length, CRC, signature if signing. */
    static void writeTrailer(DataOutputStream data, CrcOutputStream content) throws IOException {
        long total = content.count();
        int crc = content.crc();
        byte[] signature = content.signature();
        data.write(SnapshotFormat.TRAILER_MAGIC);
        data.writeLong(total);
        data.writeInt(crc);
        if (signature != null) {
            data.write(signature);
        }
    }

    /**
     * The part of an asynchronous snapshot that the run waits for: all of the container but its
     * trailer, into {@code copy}, with large numeric arrays as they are in memory and no checksum
     * beyond the header's. {@link Unfinished#finish} later streams the copy out, on the background
     * thread, as exactly the container {@link #writeContainer} writes: shuffled, checksummed and
     * signed, with its trailer. The state must not change between {@link #prepare} and this call.
     */
    public static Unfinished writeUnfinished(Workflow root, Prepared prepared, Options options, OutputStream copy)
            throws IOException {
        // The header's CRC is computed now; the content's CRC and MAC over everything, in finish.
        DeferredShuffle deferred =
                writeAllButTrailer(root, prepared, options, new CrcOutputStream(copy, null), copy, true);
        return new Unfinished(options.key(), deferred);
    }

    /** An asynchronous snapshot's container as copied in the pause, to be finished in the background. */
    public static final class Unfinished {
        private final SnapshotKey key;
        private final DeferredShuffle deferred;

        private Unfinished(SnapshotKey key, DeferredShuffle deferred) {
            this.key = key;
            this.deferred = deferred;
        }

        /** Bytes the trailer adds to the copy. */
        public int trailerBytes() {
            return SnapshotWriter.trailerBytes(key != null);
        }

        /**
         * Writes the finished container to {@code plain} (not closed), from the copy that
         * {@code copy} writes into the stream it is given.
         */
        public void finish(ContainerSource copy, OutputStream plain) throws IOException {
            CrcOutputStream content = new CrcOutputStream(plain, key == null ? null : key.newMac());
            if (deferred == null) {
                copy.writeTo(content);
            } else {
                OutputStream shuffling = deferred.applyTo(content);
                copy.writeTo(shuffling);
                shuffling.close(); // checks that the copy covered every block; not after a failed write
            }
            DataOutputStream data = new DataOutputStream(content);
            writeTrailer(data, content);
            data.flush();
        }
    }

    /**
     * Writes the uncompressed container of a prepared snapshot to {@code plain} (not closed). The
     * state must not change between {@link #prepare} and this call.
     */
    public static void writeContainer(Workflow root, Prepared prepared, Options options, OutputStream plain)
            throws IOException {
        SnapshotKey key = options.key();
        CrcOutputStream content = new CrcOutputStream(plain, key == null ? null : key.newMac());
        writeAllButTrailer(root, prepared, options, content, content, false);
        DataOutputStream data = new DataOutputStream(content);
        writeTrailer(data, content);
        data.flush();
    }

    /**
     * Header, payload and code backup: the container but its trailer. The header goes through
     * {@code header}, whose running CRC it records; the payload and code backup go to
     * {@code payload}, which is either the same stream or the one {@code header} wraps. When the
     * options shuffle and {@code deferShuffle} is set, the arrays are left as they are and the
     * blocks to shuffle later are returned; otherwise null.
     */
    private static DeferredShuffle writeAllButTrailer(
            Workflow root,
            Prepared prepared,
            Options options,
            CrcOutputStream header,
            OutputStream payload,
            boolean deferShuffle)
            throws IOException {
        byte[] codeBackup = options.codeBackup();
        DataOutputStream headerData = new DataOutputStream(header);
        writeHeader(
                headerData,
                header,
                flags(options.key() != null, codeBackup != null, options.shuffle()),
                prepared.manifestBytes,
                prepared.layout.payloadBytes());
        DeferredShuffle deferred = null;
        if (options.shuffle() && deferShuffle) {
            deferred = new DeferredShuffle(header.count());
            GraphWriter.write(root, payload, prepared.layout, deferred);
        } else {
            GraphWriter.write(root, payload, prepared.layout, options.shuffle());
        }
        DataOutputStream tail = new DataOutputStream(payload);
        if (codeBackup != null) {
            tail.writeLong(codeBackup.length);
            tail.write(codeBackup);
        }
        return deferred; // nothing to flush: a DataOutputStream writes through
    }

    /** Bytes of the trailer, with the signature when signed. */
    static int trailerBytes(boolean signed) {
        return SnapshotFormat.TRAILER_BYTES + (signed ? SnapshotKey.SIGNATURE_BYTES : 0);
    }
}
