package io.veles.snapshot.store.s3;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * One object read as a sequential stream, from ranged GETs fetched in parallel: while the reader
 * consumes one range, {@link S3Options#rangesAhead} more are on their way, each into a buffer that
 * the consumed range gives back, so a read holds {@code rangesAhead + 1} ranges whatever the
 * object's size. Every range asks for the object's ETag ({@code If-Match}), so an object replaced
 * mid-read fails the read instead of mixing two objects' bytes.
 */
final class ObjectDownload extends InputStream {
    private static final int ATTEMPTS = 3;

    private final S3Client s3;
    private final S3Location location;
    private final String key;
    private final String eTag;
    private final long size;
    private final int rangeBytes;
    private final ExecutorService workers;
    private final Deque<CompletableFuture<Range>> ahead = new ArrayDeque<>();

    private long nextRangeStart;
    private Range current;
    private int position;
    private boolean closed;

    private record Range(byte[] bytes, int length) {}

    ObjectDownload(
            S3Client s3,
            S3Location location,
            String key,
            String eTag,
            long size,
            S3Options options,
            ExecutorService workers) {
        this.s3 = s3;
        this.location = location;
        this.key = key;
        this.eTag = eTag;
        this.size = size;
        this.rangeBytes = (int) Math.min(options.rangeBytes(), Math.max(size, 1));
        this.workers = workers;
        for (int i = 0; i <= options.rangesAhead(); i++) {
            fetchNext(null);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (length == 0) {
            return 0;
        }
        if (current == null || position == current.length()) {
            if (current != null) {
                fetchNext(current.bytes());
                current = null;
            }
            if (ahead.isEmpty()) {
                return -1;
            }
            current = await(ahead.removeFirst());
            position = 0;
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.bytes(), position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length() - position;
    }

    @Override
    public void close() {
        closed = true;
        ahead.forEach(range -> range.cancel(false));
        ahead.clear();
        current = null;
    }

    /** Starts fetching the next range, into {@code reuse} when it is large enough. */
    private void fetchNext(byte[] reuse) {
        if (nextRangeStart >= size) {
            return;
        }
        long start = nextRangeStart;
        int length = (int) Math.min(rangeBytes, size - start);
        nextRangeStart += length;
        byte[] buffer = reuse != null && reuse.length >= length ? reuse : new byte[rangeBytes];
        ahead.addLast(CompletableFuture.supplyAsync(() -> fetch(start, length, buffer), workers));
    }

    private Range fetch(long start, int length, byte[] buffer) {
        String range = "bytes=" + start + "-" + (start + length - 1);
        for (int attempt = 1; ; attempt++) {
            try (ResponseInputStream<GetObjectResponse> body = s3.getObject(request ->
                    request.bucket(location.bucket()).key(key).range(range).ifMatch(eTag))) {
                String served = body.response().contentRange();
                if (served == null || !served.startsWith("bytes " + start + "-")) {
                    // A server or proxy that ignores Range sends the object from its first byte.
                    // Closing would read the rest (the whole object) to reuse the connection, and
                    // asking again gets the same answer: dropped at once, and not retried.
                    body.abort();
                    throw new ReadFailure(new IOException("the server ignored the byte range asked for (" + range
                            + ") and sent " + (served == null ? "the object from its start" : served)));
                }
                int read = body.readNBytes(buffer, 0, length);
                if (read != length) {
                    throw new IOException("truncated: " + read + " of " + length + " bytes of range " + range);
                }
                return new Range(buffer, length);
            } catch (IOException | SdkException e) {
                // The SDK retries failed requests; a body that breaks mid-range is retried here.
                if (attempt == ATTEMPTS || (e instanceof SdkException sdk && !sdk.retryable())) {
                    throw new ReadFailure(e);
                }
            }
        }
    }

    private Range await(CompletableFuture<Range> range) throws IOException {
        try {
            return range.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + location.addressOf(key));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof ReadFailure failure ? failure.getCause() : e.getCause();
            throw new io.veles.internal.store.StoreReadException(
                    "cannot read " + location.addressOf(key) + ": " + S3Failure.describe(cause, location), cause);
        }
    }

    /** Carries a range's failure out of its worker. */
    private static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadFailure(Exception cause) {
            super(cause);
        }
    }
}
