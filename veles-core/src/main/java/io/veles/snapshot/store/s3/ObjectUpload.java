package io.veles.snapshot.store.s3;

import io.veles.internal.store.InFlightWrites;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream one snapshot is written into: a multipart upload with bounded memory. Bytes fill a
 * part buffer; a full one is uploaded on a worker while the next fills, at most
 * {@link S3Options#partsInFlight} at once, so a write holds {@code partsInFlight + 1} parts of
 * memory whatever the snapshot's size. Nothing is visible until {@link #complete}: the object
 * appears whole when the server completes the upload, and {@link #abort} discards its parts. A
 * body smaller than one part goes up as one PutObject instead.
 *
 * <p>{@link #close()} only marks the stream closed (a codec closes its sink when it finishes);
 * the store decides whether to complete or abort.
 */
final class ObjectUpload extends OutputStream {
    /** User metadata ({@code x-amz-meta-veles-writer}) naming the upload that wrote an object. */
    static final String WRITER = "veles-writer";
    /**
     * User metadata ({@code x-amz-meta-veles-started}): when the upload began, to the nanosecond
     * the clock gives. A listing's times have whole seconds; this orders snapshots of one second.
     */
    static final String STARTED = "veles-started";

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final S3Options options;
    private final ExecutorService workers;
    private final ConditionalWrites conditional;
    /** Buffers free for filling; its capacity is the memory bound. */
    private final BlockingQueue<byte[]> free;

    private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
    /** Marks the object as this upload's, so a retried request that meets its own first attempt knows it. */
    private final Map<String, String> writer =
            Map.of(WRITER, UUID.randomUUID().toString(), STARTED, Instant.now().toString());

    private String uploadId;
    private byte[] buffer;
    private int filled;
    private long written;
    private boolean closed;

    ObjectUpload(
            S3Client s3,
            String bucket,
            String key,
            S3Options options,
            ExecutorService workers,
            ConditionalWrites conditional) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.options = options;
        this.workers = workers;
        this.conditional = conditional;
        this.free = new ArrayBlockingQueue<>(options.partsInFlight() + 1);
        for (int i = 0; i < options.partsInFlight() + 1; i++) {
            free.add(new byte[0]); // allocated to the part's size when first taken
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (length > 0) {
            if (buffer == null) {
                buffer = takeBuffer(options.partSize(parts.size() + 1));
                filled = 0;
            }
            int chunk = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, chunk);
            filled += chunk;
            written += chunk;
            offset += chunk;
            length -= chunk;
            if (filled == buffer.length) {
                sendPart();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    long bytesWritten() {
        return written;
    }

    /**
     * Makes the object visible: uploads the last part and completes the upload, or puts a body
     * smaller than one part in one request. Where the server honours {@code If-None-Match: *},
     * an object that appeared under the key meanwhile is not replaced (the write fails instead).
     */
    void complete() throws IOException {
        closed = true;
        if (uploadId == null) {
            byte[] body = buffer == null ? new byte[0] : buffer;
            int length = filled;
            conditionally(() -> s3.putObject(
                    request -> request.bucket(bucket).key(key).metadata(writer).ifNoneMatch(conditional.ifNoneMatch()),
                    RequestBody.fromContentProvider(
                            () -> new ByteArrayInputStream(body, 0, length), length, "application/octet-stream")));
            return;
        }
        if (filled > 0) {
            sendPart();
        }
        List<CompletedPart> completed = new ArrayList<>(parts.size());
        for (CompletableFuture<CompletedPart> part : parts) {
            completed.add(await(part));
        }
        synchronized (parts) {
            if (abandoned) { // the process is halting: its abort takes the upload, which stays invisible
                throw new IOException("the upload was abandoned: the process is exiting");
            }
            completing = true;
        }
        conditionally(() -> s3.completeMultipartUpload(request -> request.bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .ifNoneMatch(conditional.ifNoneMatch())
                .multipartUpload(
                        CompletedMultipartUpload.builder().parts(completed).build())));
        InFlightWrites.endedElsewhere(abandon);
    }

    /** The abort of this upload's parts, noted with {@link InFlightWrites}: a process halting mid-upload runs it. */
    private Runnable abandon;

    /** Set when a halting process abandons this upload: no part starts after it. Guarded by {@code parts}. */
    private boolean abandoned;

    /** Set when the upload is being completed: a halting process then leaves it whole. Guarded by {@code parts}. */
    private boolean completing;

    /**
     * How long a halting process waits for the parts it is sending, over all its uploads, before
     * it aborts them. A part sent while the abort runs can be stored after it (S3 documents that
     * an abort may have to be repeated; a test server kept the part's directory), and a halt
     * cuts it off mid-request.
     */
    static final Duration ABANDON_WAIT = Duration.ofSeconds(5);

    /**
     * When a halting process stops waiting for parts (System.nanoTime), set by the first upload
     * it abandons: a process abandons its uploads once, as it halts.
     */
    private static final AtomicLong ABANDON_DEADLINE = new AtomicLong();

    /** What a halting process runs for this upload, null before its first part is sent. */
    Runnable abandonment() {
        return abandon;
    }

    private void opened() {
        String id = uploadId;
        abandon = () -> {
            List<CompletableFuture<CompletedPart>> inFlight;
            synchronized (parts) {
                if (completing) {
                    return; // whole once the server completes it, as a write that finished
                }
                abandoned = true;
                inFlight = List.copyOf(parts);
            }
            long now = System.nanoTime();
            long deadline = ABANDON_DEADLINE.updateAndGet(set -> set != 0 ? set : now + ABANDON_WAIT.toNanos());
            boolean interrupted = false;
            try {
                CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0]))
                        .get(Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                // a part failed, or is still going: abort now all the same
            }
            try { // the interrupt put back only after: the SDK sends no request under one
                s3.abortMultipartUpload(
                        request -> request.bucket(bucket).key(key).uploadId(id));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        InFlightWrites.startedElsewhere(abandon);
    }

    /**
     * Runs a conditional request; once more without the condition if the server does not
     * implement it. A 412 can answer the SDK's retry of a request whose first attempt created the
     * object (its response lost): the object's writer metadata tells that case from a taken name.
     */
    private void conditionally(Runnable request) {
        try {
            request.run();
        } catch (S3Exception e) {
            if (ConditionalWrites.keyTaken(e) && writtenByThisUpload()) {
                return;
            }
            if (!conditional.refusedBy(e)) {
                throw e;
            }
            request.run();
        }
    }

    private boolean writtenByThisUpload() {
        try {
            Map<String, String> metadata =
                    s3.headObject(request -> request.bucket(bucket).key(key)).metadata();
            return writer.get(WRITER).equals(metadata.get(WRITER));
        } catch (S3Exception e) {
            return false;
        }
    }

    /** Discards everything uploaded: waits for parts in flight, then aborts the multipart upload. */
    void abort() {
        closed = true;
        for (CompletableFuture<CompletedPart> part : parts) {
            try {
                part.join();
            } catch (RuntimeException ignored) {
                // the part failed: nothing of it to wait for
            }
        }
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(
                        request -> request.bucket(bucket).key(key).uploadId(uploadId));
            } finally {
                InFlightWrites.endedElsewhere(abandon); // tried once: a long-lived JVM does not keep it
            }
        }
    }

    /** S3's most parts in one multipart upload. */
    static final int MAX_PARTS = 10_000;

    private void sendPart() throws IOException {
        if (parts.size() == MAX_PARTS) {
            // said now, not by the server's HTTP 400 once every byte has been sent
            throw new IOException("the snapshot is larger than the " + options.largestObject(MAX_PARTS) + " bytes that "
                    + MAX_PARTS + " parts, S3's most for one object, take at this part size");
        }
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(
                            request -> request.bucket(bucket).key(key).metadata(writer))
                    .uploadId();
            opened();
        }
        failIfAPartFailed();
        byte[] part = buffer;
        int length = filled;
        int partNumber = parts.size() + 1;
        buffer = null;
        filled = 0;
        synchronized (parts) {
            if (abandoned) { // the process is halting, and its abort has taken the parts in flight
                throw new IOException("the upload was abandoned: the process is exiting");
            }
            parts.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            UploadPartResponse response = s3.uploadPart(
                                    request -> request.bucket(bucket)
                                            .key(key)
                                            .uploadId(uploadId)
                                            .partNumber(partNumber),
                                    RequestBody.fromContentProvider(
                                            () -> new ByteArrayInputStream(part, 0, length),
                                            length,
                                            "application/octet-stream"));
                            return CompletedPart.builder()
                                    .partNumber(partNumber)
                                    .eTag(response.eTag())
                                    .checksumCRC32(response.checksumCRC32())
                                    .build();
                        } finally {
                            free.add(part);
                        }
                    },
                    workers));
        }
    }

    private byte[] takeBuffer(int size) throws IOException {
        byte[] taken;
        try {
            taken = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an S3 part upload");
        }
        failIfAPartFailed();
        return taken.length == size ? taken : new byte[size];
    }

    /** A failed part fails the write at its next step rather than after the whole body. */
    private void failIfAPartFailed() throws IOException {
        for (CompletableFuture<CompletedPart> part : parts) {
            if (part.isCompletedExceptionally()) {
                await(part);
            }
        }
    }

    private static CompletedPart await(CompletableFuture<CompletedPart> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an S3 part upload");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }
}
