package io.veles.snapshot.codec;

import io.veles.internal.util.DaemonThreads;
import io.veles.snapshot.codec.Bzip2Engine.DecodedSegment;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads concatenated bzip2 streams, decoding several at once on a small pool, in order. The input
 * is cut into segments at the seams {@link Bzip2StreamStarts} finds (one per block that
 * {@link ParallelBlockOutputStream} wrote); each segment is decoded on its own and kept only if it
 * holds whole streams that end exactly at its end. A segment that does not (a false seam, damage,
 * truncation), or that is too large to hold in memory, ends the parallel reading: from its start
 * on, the input is read by one sequential decoder. A segment that decodes whole starts where the
 * next stream starts, so the output, and any error, is exactly what the sequential decoder of the
 * whole input gives.
 */
final class ParallelBzip2InputStream extends DecodedChunksInputStream {
    /** Larger than any stream we write (a 4 MiB block that did not compress); beyond it, read sequentially. */
    static final int MAX_SEGMENT_BYTES = 8 << 20;
    /** Decoded bytes a segment may give before it is left to the sequential decoder (a run of zeros). */
    static final int MAX_DECODED_BYTES = 16 << 20;

    /** One of our blocks, and a byte to tell its end: a segment that gives more (a run of zeros) gets a new array. */
    private static final int DECODED_ROOM = ParallelBlockOutputStream.BLOCK_BYTES + 1;

    private static final int READ_BYTES = 1 << 20;

    private final InputStream source;
    private final Bzip2Engine engine;
    private final ExecutorService pool;
    private final int maxPending;
    private final ArrayDeque<Segment> pending = new ArrayDeque<>();

    /** Input read but not yet cut into a segment; its first byte starts a stream. */
    private byte[] window = new byte[READ_BYTES];

    private int filled;
    /** Positions in the window below this were searched for a seam. */
    private int searched;
    /** False once the rest of the input goes to the sequential decoder, or is all cut. */
    private boolean splitting = true;

    /**
     * A segment's compressed bytes (the first {@code length} of {@code compressed}), kept in case
     * it falls to the sequential decoder, and its decoding.
     */
    private record Segment(byte[] compressed, int length, Future<DecodedSegment> decoded) {}

    ParallelBzip2InputStream(InputStream source, int threads) {
        this(source, threads, Bzip2Engine.best());
    }

    /** As {@link #ParallelBzip2InputStream(InputStream, int)}, decoding segments with {@code engine}. */
    ParallelBzip2InputStream(InputStream source, int threads, Bzip2Engine engine) {
        this.source = source;
        this.engine = engine;
        this.maxPending = Math.max(2, threads); // one per thread; a third would cost its 8 MiB and more, for no time
        this.pool = DaemonThreads.pool(threads, "veles-bunzip2");
    }

    @Override
    protected boolean nextChunk() throws IOException {
        topUp();
        Segment segment = pending.peek();
        if (segment == null) {
            return false;
        }
        DecodedSegment decoded =
                await(segment.decoded(), "bzip2"); // taken once done: an interrupted read retried gets it
        pending.poll();
        if (decoded == null) {
            readSequentiallyFrom(segment); // no segment is left: the rest is read sequentially
            return false;
        }
        serve(segment.compressed(), decoded.bytes(), decoded.length());
        return true;
    }

    @Override
    protected InputStream sequentialDecoder(InputStream rest) throws IOException {
        return RuntimeFailuresAsCorrupt.of("bzip2", () -> new BZip2CompressorInputStream(rest, true));
    }

    private void topUp() throws IOException {
        while (splitting && pending.size() < maxPending) {
            cutSegment();
        }
    }

    /** Reads until a seam, the end of input or the size bound, and queues what it found. */
    private void cutSegment() throws IOException {
        while (true) {
            int end = filled - Bzip2StreamStarts.START_BYTES + 1;
            int seam = Bzip2StreamStarts.find(window, searched, end);
            if (seam > 0) {
                submit(seam);
                System.arraycopy(window, seam, window, 0, filled - seam);
                filled -= seam;
                searched = 1;
                return;
            }
            searched = Math.max(searched, end);
            if (filled == MAX_SEGMENT_BYTES) {
                // No seam where we would put one: a stream from another tool. Decode the rest in one go.
                handOver(List.of(remainder()));
                splitting = false;
                return;
            }
            if (filled == window.length) {
                window = Arrays.copyOf(window, Math.min(MAX_SEGMENT_BYTES, 2 * window.length));
            }
            int got = source.read(window, filled, Math.min(READ_BYTES, window.length - filled));
            if (got < 0) {
                if (filled > 0) {
                    submit(filled);
                }
                window = null;
                splitting = false;
                return;
            }
            filled += got;
        }
    }

    /** Queues the window's first {@code length} bytes as a segment, copied into a buffer of its own. */
    private void submit(int length) {
        // room for segments a little larger than this one, so that their buffers stay in use
        byte[] compressed = spareInputs.take(length, length + length / 8);
        System.arraycopy(window, 0, compressed, 0, length);
        byte[] into = spareOutputs.take(DECODED_ROOM, DECODED_ROOM);
        pending.add(new Segment(compressed, length, pool.submit(() -> decode(compressed, length, into))));
    }

    /** The segment's decoded bytes if they are whole streams ending at its end, within the bound; else null. */
    private DecodedSegment decode(byte[] compressed, int length, byte[] into) {
        return engine.decode(compressed, length, into, MAX_DECODED_BYTES);
    }

    /** Hands {@code failed}, the segments after it and the input not yet cut to one sequential decoder. */
    private void readSequentiallyFrom(Segment failed) {
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(failed.compressed(), 0, failed.length()));
        for (Segment later : pending) {
            later.decoded().cancel(true); // a decoding under way goes on into buffers no longer used
            parts.add(new ByteArrayInputStream(later.compressed(), 0, later.length()));
        }
        pending.clear();
        InputStream earlier = takeHandedOver();
        parts.add(splitting ? remainder() : earlier != null ? earlier : InputStream.nullInputStream());
        splitting = false;
        handOver(parts);
    }

    /** The window's bytes, then the rest of the source. */
    private InputStream remainder() {
        InputStream rest = new SequenceInputStream(new ByteArrayInputStream(window, 0, filled), source);
        window = null;
        return rest;
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        pending.clear();
        source.close();
    }
}
