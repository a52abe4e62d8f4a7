package io.veles.internal.store;

import java.time.Duration;

/**
 * How long a download may wait and how much it may fetch: a server that stalls, never answers or
 * sends an endless body must end in an error, not hang the run or fill the disk.
 *
 * @param connectTimeout the longest wait for the connection to open
 * @param readTimeout    the longest wait for any next bytes, the response's headers included
 * @param maxBytes       the most bytes a download may have
 */
public record HttpLimits(Duration connectTimeout, Duration readTimeout, long maxBytes) {
    /** 10 s to connect, 60 s of silence, 64 GiB: far above a real snapshot, far below a full disk. */
    public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 64L << 30);

    private static volatile HttpLimits current = DEFAULT;

    public HttpLimits {
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || readTimeout.isNegative()
                || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the size cap must be positive");
        }
    }

    /**
     * The limits for this process's downloads. A web address can come in wherever a snapshot is
     * named, so the command line sets them once rather than through every caller.
     */
    public static HttpLimits current() {
        return current;
    }

    public static void use(HttpLimits limits) {
        current = limits;
    }

    public HttpLimits withConnectTimeout(Duration timeout) {
        return new HttpLimits(timeout, readTimeout, maxBytes);
    }

    public HttpLimits withReadTimeout(Duration timeout) {
        return new HttpLimits(connectTimeout, timeout, maxBytes);
    }

    public HttpLimits withMaxBytes(long bytes) {
        return new HttpLimits(connectTimeout, readTimeout, bytes);
    }
}
