package io.veles.snapshot.codec;

import io.veles.internal.util.DaemonThreads;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * Reads Snappy's framing format, decoding batches of chunks on a small pool, in order. Every chunk
 * states its length, so the input is cut exactly at chunk boundaries; each batch's chunks are
 * decompressed and their CRC32C checked on a pool thread. A batch that does not decode cleanly
 * (damage, truncation, a reserved chunk type), or input that does not start as a framed stream,
 * ends the parallel reading: from that batch on, the input goes to snappy-java's sequential
 * {@link SnappyFramedInputStream}, so the output, and any error, is the sequential decoder's.
 */
final class ParallelSnappyInputStream extends DecodedChunksInputStream {
    /** Chunks decoded together: 64 of at most 64 KiB each, as many bytes as one of our blocks. */
    static final int CHUNKS_PER_BATCH = 64;

    /** The framing format's bound on a chunk's decoded bytes. */
    private static final int MAX_CHUNK_DATA = 1 << 16;
    /**
     * Above any data chunk (64 KiB that did not compress, and its checksum); a longer chunk, which
     * can only be padding or a skippable one, goes to the sequential decoder, which streams it.
     */
    private static final int MAX_CHUNK_BYTES = 1 << 17;

    private static final byte[] STREAM_ID = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};
    private static final int HEADER_BYTES = 4;
    private static final int CHECKSUM_BYTES = 4;

    private final InputStream source;
    private final ExecutorService pool;
    private final int maxPending;
    private final ArrayDeque<Batch> pending = new ArrayDeque<>();
    /** Input bytes cut into batches so far: a fallback after the first byte needs a stream header. */
    private long cut;
    /** False once the rest of the input goes to the sequential decoder, or is all cut. */
    private boolean splitting = true;

    /**
     * A batch: its whole chunks as read (the first {@code inputLength} bytes of {@code input}),
     * where they start in the input, and their decoding into {@code output}, whose length the
     * future gives (-1 when they do not decode cleanly).
     */
    private record Batch(byte[] input, int inputLength, long start, byte[] output, Future<Integer> decoded) {}

    ParallelSnappyInputStream(InputStream source, int threads) {
        this.source = source;
        this.maxPending = Math.max(2, threads);
        this.pool = DaemonThreads.pool(threads, "veles-unsnappy");
    }

    @Override
    protected boolean nextChunk() throws IOException {
        while (splitting && pending.size() < maxPending) {
            cutBatch();
        }
        Batch batch = pending.peek();
        if (batch == null) {
            return false;
        }
        int decoded = await(batch.decoded(), "snappy"); // taken once done: an interrupted read retried gets it
        pending.poll();
        if (decoded < 0) {
            readSequentiallyFrom(batch);
            return false;
        }
        serve(batch.input(), batch.output(), decoded);
        return true;
    }

    @Override
    protected InputStream sequentialDecoder(InputStream rest) throws IOException {
        return new SnappyFramedInputStream(rest, true);
    }

    /**
     * Reads up to {@link #CHUNKS_PER_BATCH} whole chunks and queues them. Input that ends inside a
     * chunk, or does not start with the stream identifier (empty input included), and a chunk too
     * long to be data, go to the sequential decoder instead.
     */
    private void cutBatch() throws IOException {
        byte[] batch = spareInputs.take(0, 1 << 20); // any spare: it grows as chunks need
        int length = 0;
        int chunks = 0;
        for (; chunks < CHUNKS_PER_BATCH; chunks++) {
            if (batch.length - length < HEADER_BYTES) {
                batch = Arrays.copyOf(batch, 2 * batch.length);
            }
            int header = source.readNBytes(batch, length, HEADER_BYTES);
            if (header == 0 && cut + length > 0) {
                break; // the end of input, between chunks
            }
            int chunkLength = header < HEADER_BYTES ? -1 : lengthAt(batch, length); // empty input too
            if (chunkLength < 0
                    || chunkLength > MAX_CHUNK_BYTES
                    || (cut == 0 && length == 0 && !startsWithStreamId(batch, chunkLength))) {
                stopSplitting(batch, length + header);
                return;
            }
            if (batch.length - length - HEADER_BYTES < chunkLength) {
                batch = Arrays.copyOf(batch, 2 * batch.length); // at most 64 chunks of 128 KiB: 8 MiB
            }
            int body = source.readNBytes(batch, length + HEADER_BYTES, chunkLength);
            if (body < chunkLength) {
                stopSplitting(batch, length + HEADER_BYTES + body);
                return;
            }
            length += HEADER_BYTES + chunkLength;
        }
        if (length == 0) {
            splitting = false;
            return;
        }
        byte[] input = batch;
        int inputLength = length;
        byte[] output = spareOutputs.take(chunks * MAX_CHUNK_DATA, chunks * MAX_CHUNK_DATA);
        pending.add(new Batch(input, inputLength, cut, output, pool.submit(() -> decode(input, inputLength, output))));
        cut += length;
    }

    private static int lengthAt(byte[] bytes, int header) {
        return (bytes[header + 1] & 0xff) | (bytes[header + 2] & 0xff) << 8 | (bytes[header + 3] & 0xff) << 16;
    }

    private static boolean startsWithStreamId(byte[] batch, int chunkLength) {
        return (batch[0] & 0xff) == 0xff && chunkLength == STREAM_ID.length - HEADER_BYTES;
    }

    /**
     * Decodes the first {@code inputLength} bytes of {@code compressed} into {@code out}; returns
     * the decoded length, or -1 if any chunk is damaged or of a reserved unskippable type: the
     * sequential decoder then reports it.
     */
    private static int decode(byte[] compressed, int inputLength, byte[] out) {
        int length = 0;
        CRC32C crc = new CRC32C();
        try {
            for (int at = 0; at < inputLength; ) {
                int type = compressed[at] & 0xff;
                int chunkLength = lengthAt(compressed, at);
                int body = at + HEADER_BYTES;
                at = body + chunkLength;
                if (type == 0xff) {
                    if (!Arrays.equals(compressed, body, at, STREAM_ID, HEADER_BYTES, STREAM_ID.length)) {
                        return -1;
                    }
                    continue;
                }
                if (type >= 0x80) {
                    continue; // padding and reserved skippable chunks
                }
                if (type > 0x01 || chunkLength < CHECKSUM_BYTES) {
                    return -1; // reserved unskippable, or too short to hold its checksum
                }
                int data = body + CHECKSUM_BYTES;
                int dataLength = at - data;
                int decoded;
                if (type == 0x00) {
                    decoded = Snappy.uncompressedLength(compressed, data, dataLength);
                    if (decoded > MAX_CHUNK_DATA
                            || Snappy.uncompress(compressed, data, dataLength, out, length) != decoded) {
                        return -1;
                    }
                } else {
                    decoded = dataLength;
                    if (decoded > MAX_CHUNK_DATA) {
                        return -1;
                    }
                    System.arraycopy(compressed, data, out, length, decoded);
                }
                crc.reset();
                crc.update(out, length, decoded);
                if (masked((int) crc.getValue()) != intAt(compressed, body)) {
                    return -1;
                }
                length += decoded;
            }
        } catch (IOException | RuntimeException e) {
            return -1; // damage: the sequential decoder decides, and reports
        }
        return length;
    }

    /** The framing format's masked CRC32C, which keeps a checksum of checksums from being trivial. */
    private static int masked(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    private static int intAt(byte[] bytes, int at) {
        return (bytes[at] & 0xff)
                | (bytes[at + 1] & 0xff) << 8
                | (bytes[at + 2] & 0xff) << 16
                | (bytes[at + 3] & 0xff) << 24;
    }

    /** Hands the first {@code length} bytes of {@code read} and the rest of the input to the sequential decoder. */
    private void stopSplitting(byte[] read, int length) {
        List<InputStream> parts = new ArrayList<>();
        if (cut > 0) {
            parts.add(new ByteArrayInputStream(STREAM_ID)); // it resumes between chunks
        }
        parts.add(new ByteArrayInputStream(read, 0, length));
        parts.add(source);
        handOver(parts);
        splitting = false;
    }

    /** Hands {@code failed}, the batches after it and the input not yet cut to the sequential decoder. */
    private void readSequentiallyFrom(Batch failed) {
        List<InputStream> parts = new ArrayList<>();
        if (failed.start() > 0) {
            parts.add(new ByteArrayInputStream(STREAM_ID)); // it resumes between chunks
        }
        parts.add(new ByteArrayInputStream(failed.input(), 0, failed.inputLength()));
        for (Batch later : pending) {
            later.decoded().cancel(true);
            parts.add(new ByteArrayInputStream(later.input(), 0, later.inputLength()));
        }
        pending.clear();
        InputStream earlier = takeHandedOver();
        parts.add(earlier != null ? earlier : splitting ? source : InputStream.nullInputStream());
        handOver(parts);
        splitting = false;
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        pending.clear();
        source.close();
    }
}
