package io.veles.snapshot.file;

import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.delta.ContentChunker;
import io.veles.internal.util.Closeables;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.snapshot.format.SnapshotKey;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Rebuilds a differential snapshot's logical container (the bytes a standalone snapshot of its
 * state holds) in a private temporary file: its own stored blocks first, then, from each file of
 * its chain that it references, the referenced bytes, reading each such file once and checking
 * it whole (checksums, and the signature with a key). Only then is the container opened as a
 * standalone snapshot, whose own checksum and signature cover the assembled bytes again.
 */
final class ChainAssembly {
    private ChainAssembly() {}

    /** Takes bytes of a stream with the offset of the first. */
    @FunctionalInterface
    interface StreamSink {
        void accept(long offset, byte[] bytes, int from, int length) throws IOException;
    }

    /** The differential records a reader meets: stored bytes and references. */
    interface Records {
        void literal(long target, InputStream bytes, int length) throws IOException;

        void reference(long target, int holder, long offset, int length);
    }

    static SnapshotReader assemble(
            SnapshotReader delta, SnapshotReader.Bases bases, SnapshotKey key, java.util.Set<String> read) {
        String source = delta.source();
        Manifest manifest = delta.manifest();
        FileChannel temporary = null;
        try {
            temporary = privateTemporary();
            FileChannel target = temporary;
            List<List<Reference>> needed = new ArrayList<>();
            for (int i = 0; i < manifest.chain.size(); i++) {
                needed.add(new ArrayList<>());
            }
            DataInputStream data = new DataInputStream(new DamageNamed(delta));
            try {
                readRecords(delta, data, new Records() {
                    @Override
                    public void literal(long at, InputStream bytes, int length) throws IOException {
                        copy(bytes, length, target, at, source);
                    }

                    @Override
                    public void reference(long at, int holder, long offset, int length) {
                        needed.get(holder).add(new Reference(offset, length, at));
                    }
                });
            } catch (java.io.EOFException e) { // a record's header cut short: DataInputStream's own EOF
                throw SnapshotReader.integrityError(source, delta.codec(), e);
            }
            delta.checkTrailer(); // this file is whole and authentic before its chain is read
            List<java.util.concurrent.Callable<Void>> copies = new ArrayList<>();
            for (int holder = needed.size() - 1; holder >= 0; holder--) { // the standalone base, the largest, first
                if (!needed.get(holder).isEmpty()) {
                    String baseKey = manifest.chain.get(holder);
                    List<Reference> references = needed.get(holder);
                    copies.add(() -> {
                        copyFromBase(delta, baseKey, references, bases, key, target);
                        return null;
                    });
                    read.add(baseKey);
                }
            }
            runAll(copies);
            temporary.position(0);
            SnapshotReader logical = SnapshotReader.open(Channels.newInputStream(temporary), source, key);
            logical.assembledFrom(manifest.chain);
            if (logical.isDifferential()) {
                Closeables.closeQuietly(logical);
                throw new CorruptSnapshotException(
                        source + " is corrupt: its blocks assemble into another differential snapshot");
            }
            if (!sameState(logical.manifest(), manifest)) {
                Closeables.closeQuietly(logical);
                throw new CorruptSnapshotException(source + " is corrupt: its blocks assemble into snapshot "
                        + logical.manifest().name + ", not the one its manifest describes (a base was replaced?)");
            }
            return logical;
        } catch (IOException e) {
            Closeables.closeQuietly(temporary);
            throw new SnapshotStoreException(
                    "cannot assemble " + source + " from its chain in a private file under "
                            + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(),
                    e);
        } catch (RuntimeException | Error e) {
            Closeables.closeQuietly(temporary);
            throw e;
        }
    }

    /**
     * Checks, file by file, the snapshots of {@code delta}'s chain that its assembly did not read
     * (those none of its blocks come from): {@code verify} covers the whole chain.
     */
    static void verifyUnread(
            SnapshotReader delta, SnapshotReader.Bases bases, SnapshotKey key, java.util.Set<String> read) {
        for (String baseKey : delta.manifest().chain) {
            if (read.contains(baseKey)) {
                continue;
            }
            try (SnapshotReader base = bases.open(baseKey, key)) {
                base.verifyOwnBytes();
            } catch (SnapshotStoreException e) { // the store failed, not the base: it may be whole
                throw new SnapshotStoreException(
                        delta.source() + " cannot be read: its base " + shown(baseKey) + " cannot be read: "
                                + e.getMessage(),
                        e);
            } catch (CorruptSnapshotException e) {
                throw new CorruptSnapshotException(
                        delta.source() + " cannot be read: its base " + shown(baseKey) + " is damaged: "
                                + e.getMessage(),
                        e);
            } catch (SnapshotException e) {
                throw new CorruptSnapshotException(
                        delta.source() + " cannot be read: its base " + shown(baseKey) + " cannot be opened: "
                                + e.getMessage(),
                        e);
            } catch (IOException e) {
                throw new SnapshotStoreException("cannot close " + shown(baseKey) + ": " + e.getMessage(), e);
            }
        }
    }

    /** The assembled container's manifest must be the differential one's, but for the base and chain. */
    private static boolean sameState(Manifest assembled, Manifest differential) throws IOException {
        return java.util.Arrays.equals(
                SnapshotWriter.JSON.writeValueAsBytes(assembled),
                SnapshotWriter.JSON.writeValueAsBytes(
                        differential.toBuilder().standalone().build()));
    }

    /**
     * Runs the copies from the chain's files, each file read by one thread, on as many threads as
     * there are cores: the files are independent, and their decompression is most of a restore.
     */
    private static void runAll(List<java.util.concurrent.Callable<Void>> copies) throws IOException {
        if (copies.size() <= 1) {
            for (java.util.concurrent.Callable<Void> copy : copies) {
                call(copy);
            }
            return;
        }
        int threads = Math.min(copies.size(), Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, run -> {
            Thread thread = new Thread(run, "veles-chain");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<java.util.concurrent.Future<Void>> results = new ArrayList<>();
            for (java.util.concurrent.Callable<Void> copy : copies) {
                results.add(pool.submit(copy));
            }
            for (java.util.concurrent.Future<Void> result : results) {
                try {
                    result.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IOException(cause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading a snapshot's chain");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void call(java.util.concurrent.Callable<Void> copy) throws IOException {
        try {
            copy.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** A reference to bytes of one file of the chain, and where the logical container wants them. */
    private record Reference(long offset, int length, long target) {}

    private static void copyFromBase(
            SnapshotReader delta,
            String baseKey,
            List<Reference> references,
            SnapshotReader.Bases bases,
            SnapshotKey key,
            FileChannel target)
            throws IOException {
        String source = delta.source();
        RangeCopy ranges = new RangeCopy(references, target, source, baseKey);
        SnapshotReader base;
        try {
            base = bases.open(baseKey, key);
        } catch (SnapshotStoreException e) { // the store failed, not the base: it may be whole
            throw new SnapshotStoreException(
                    source + " cannot be read: its base " + shown(baseKey) + " cannot be read: " + e.getMessage(), e);
        } catch (CorruptSnapshotException e) {
            throw new CorruptSnapshotException(
                    source + " cannot be read: its base " + shown(baseKey) + " is damaged: " + e.getMessage(), e);
        } catch (SnapshotException e) {
            throw new CorruptSnapshotException(
                    source + " cannot be read: its base " + shown(baseKey) + " cannot be opened: " + e.getMessage(), e);
        }
        try (base) {
            base.walk(ranges);
        } catch (SnapshotStoreException e) {
            throw new SnapshotStoreException(
                    source + " cannot be read: its base " + shown(baseKey) + " cannot be read: " + e.getMessage(), e);
        } catch (SnapshotException e) {
            throw new CorruptSnapshotException(
                    source + " cannot be read: its base " + shown(baseKey) + " is damaged: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new CorruptSnapshotException(
                    source + " cannot be read: its base " + shown(baseKey) + " is truncated", e);
        } catch (io.veles.internal.store.StoreReadException e) {
            throw new SnapshotStoreException(
                    source + " cannot be read: its base " + shown(baseKey) + " cannot be read: " + e.getMessage(), e);
        }
        ranges.checkComplete();
    }

    /**
     * Reads differential records from {@code data} to the end record, handing them to
     * {@code records} (or only passing over them when null); returns the logical length.
     */
    static long readRecords(SnapshotReader reader, DataInputStream data, Records records) throws IOException {
        String source = reader.source();
        int holders = reader.manifest().chain.size();
        // The logical container is the state plus a header, at most a code backup and a trailer.
        long most = reader.payloadLength()
                + reader.headerLength()
                + (reader.hasCodeBackup() ? SnapshotFormat.MAX_CODE_BYTES : 0)
                + 4096;
        // The writer cuts blocks of at least ContentChunker.MIN_BYTES, all but the last: millions
        // of one-byte records (a few MB of file) would each take a reference's memory to assemble.
        long mostRecords = most / ContentChunker.MIN_BYTES + 2;
        long recordsRead = 0;
        long at = 0;
        byte[] scratch = records == null ? new byte[1 << 16] : null;
        while (true) {
            int kind = data.read();
            if (kind != SnapshotFormat.RECORD_END && ++recordsRead > mostRecords) {
                throw new CorruptSnapshotException(source + " is corrupt: it has more than " + mostRecords
                        + " blocks, and blocks of at least " + (ContentChunker.MIN_BYTES >> 10) + " KiB make "
                        + reader.payloadLength() + " bytes of state in fewer");
            }
            if (kind == SnapshotFormat.RECORD_END) {
                long length = data.readLong();
                if (length != at) {
                    throw new CorruptSnapshotException(
                            source + " is corrupt: its records make " + at + " bytes, its end record says " + length);
                }
                return at;
            }
            if (kind != SnapshotFormat.RECORD_LITERAL && kind != SnapshotFormat.RECORD_REFERENCE) {
                throw kind < 0
                        ? new CorruptSnapshotException(source + " is truncated: it ends inside its blocks")
                        : new CorruptSnapshotException(source + " is corrupt: unknown block record " + kind);
            }
            int length = data.readInt();
            if (length <= 0 || length > SnapshotFormat.MAX_BLOCK_BYTES || at + length > most) {
                throw new CorruptSnapshotException(source + " is corrupt: a block of " + length + " bytes at " + at
                        + " is impossible for " + reader.payloadLength() + " bytes of state");
            }
            if (kind == SnapshotFormat.RECORD_LITERAL) {
                if (records == null) {
                    skipExactly(data, length, scratch, source);
                } else {
                    records.literal(at, data, length);
                }
            } else {
                int holder = data.readUnsignedShort();
                long offset = data.readLong();
                if (holder >= holders || offset < 0) {
                    throw new CorruptSnapshotException(source + " is corrupt: a block references holder " + holder
                            + " at " + offset + ", its chain has " + holders);
                }
                if (records != null) {
                    records.reference(at, holder, offset, length);
                }
            }
            at += length;
        }
    }

    /**
     * A differential file's own bytes, read while its blocks are assembled: a failure to read
     * them is that file's damage (truncated, altered) or its store's, named as the file's own
     * reader names it, not as a failure of the private file the state is assembled in.
     */
    private static final class DamageNamed extends java.io.FilterInputStream {
        private final SnapshotReader delta;

        DamageNamed(SnapshotReader delta) {
            super(delta.content());
            this.delta = delta;
        }

        @Override
        public int read() {
            try {
                return in.read();
            } catch (IOException e) {
                throw SnapshotReader.integrityError(delta.source(), delta.codec(), e);
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            try {
                return in.read(bytes, offset, length);
            } catch (IOException e) {
                throw SnapshotReader.integrityError(delta.source(), delta.codec(), e);
            }
        }

        @Override
        public long skip(long count) {
            try {
                return in.skip(count);
            } catch (IOException e) {
                throw SnapshotReader.integrityError(delta.source(), delta.codec(), e);
            }
        }
    }

    private static void skipExactly(InputStream in, long length, byte[] scratch, String source) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw new CorruptSnapshotException(source + " is truncated: it ends " + left + " bytes early");
            }
            left -= n;
        }
    }

    private static void copy(InputStream in, int length, FileChannel target, long at, String source)
            throws IOException {
        byte[] buffer = new byte[Math.min(length, 1 << 20)];
        int left = length;
        long position = at;
        while (left > 0) {
            int n = in.read(buffer, 0, Math.min(buffer.length, left));
            if (n < 0) {
                throw new CorruptSnapshotException(source + " is truncated: it ends inside a block");
            }
            writeFully(target, buffer, 0, n, position);
            position += n;
            left -= n;
        }
    }

    private static void writeFully(FileChannel target, byte[] bytes, int from, int length, long position)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, from, length);
        long at = position;
        while (buffer.hasRemaining()) {
            at += target.write(buffer, at);
        }
    }

    /** A file under java.io.tmpdir that only this user can read, gone when closed. */
    private static FileChannel privateTemporary() throws IOException {
        Path file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(
                        "veles-chain-",
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile("veles-chain-", ".tmp");
        try {
            return FileChannel.open(
                    file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Copies the referenced ranges of one file's stream, which arrives in order, into the
     * assembled container; ranges referenced more than once are copied to each place.
     */
    private static final class RangeCopy implements StreamSink {
        private final List<Range> ranges = new ArrayList<>();
        private final FileChannel target;
        private final String source;
        private final String baseKey;
        private int next;

        private record Range(long offset, int length, List<Long> targets) {}

        RangeCopy(List<Reference> references, FileChannel target, String source, String baseKey) {
            this.target = target;
            this.source = source;
            this.baseKey = baseKey;
            TreeMap<Long, Range> byOffset = new TreeMap<>();
            for (Reference reference : references) {
                Range range = byOffset.computeIfAbsent(
                        reference.offset(), offset -> new Range(offset, reference.length(), new ArrayList<>()));
                if (range.length() != reference.length()) {
                    throw overlap(reference.offset());
                }
                range.targets().add(reference.target());
            }
            ranges.addAll(byOffset.values());
            ranges.sort(Comparator.comparingLong(Range::offset));
            for (int i = 1; i < ranges.size(); i++) {
                Range before = ranges.get(i - 1);
                if (before.offset() + before.length() > ranges.get(i).offset()) {
                    throw overlap(ranges.get(i).offset());
                }
            }
        }

        private CorruptSnapshotException overlap(long offset) {
            return new CorruptSnapshotException(
                    source + " is corrupt: it references overlapping blocks of " + shown(baseKey) + " at " + offset);
        }

        @Override
        public void accept(long offset, byte[] bytes, int from, int length) throws IOException {
            long end = offset + length;
            while (next < ranges.size()) {
                Range range = ranges.get(next);
                long rangeEnd = range.offset() + range.length();
                if (range.offset() >= end) {
                    return;
                }
                long start = Math.max(range.offset(), offset);
                long stop = Math.min(rangeEnd, end);
                if (stop > start) {
                    for (long place : range.targets()) {
                        writeFully(
                                target,
                                bytes,
                                from + (int) (start - offset),
                                (int) (stop - start),
                                place + (start - range.offset()));
                    }
                }
                if (rangeEnd > end) {
                    return;
                }
                next++;
            }
        }

        void checkComplete() {
            if (next < ranges.size()) {
                throw new CorruptSnapshotException(source + " cannot be read: its base " + baseKey
                        + " does not hold the block it references at "
                        + ranges.get(next).offset()
                        + " (it was replaced by another snapshot or cut short)");
            }
        }
    }

    /** Hands everything read through it to a sink, with offsets. */
    static final class Tee extends FilterInputStream {
        private final StreamSink sink;
        private long position;

        Tee(InputStream in, StreamSink sink, long position) {
            super(in);
            this.sink = sink;
            this.position = position;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int from, int length) throws IOException {
            int n = in.read(bytes, from, length);
            if (n > 0) {
                sink.accept(position, bytes, from, n);
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
            int read = read(scratch, 0, scratch.length);
            return Math.max(read, 0);
        }

        void skipExactly(long length, String source) throws IOException {
            ChainAssembly.skipExactly(this, length, new byte[1 << 16], source);
        }
    }
    /**
     * A base as a message names it: a file or object by its key, a table row by its name (a row's
     * key joins its id, log id, name and time with NUL characters).
     */
    static String shown(String baseKey) {
        String[] row = baseKey.split("\u0000", -1);
        return row.length == 4 ? row[2] : baseKey;
    }
}
