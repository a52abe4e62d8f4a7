package io.veles.internal.store;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.util.Secrets;
import io.veles.progress.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Downloads a snapshot from an {@code http://} or {@code https://} address into a private
 * temporary file (created exclusively, readable by its owner only), following redirects, with
 * connect and read timeouts and a size cap, and showing progress on long downloads. The caller
 * verifies the temporary, decides whether to keep it, and deletes it.
 */
public final class HttpDownload {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDownload.class);
    private static final int MAX_REDIRECTS = 5;

    private HttpDownload() {}

    public static boolean matches(String source) {
        return source != null && (source.startsWith("http://") || source.startsWith("https://"));
    }

    /** The last part of the address's path, as the server names the snapshot; may be empty. */
    public static String fileName(String address) {
        try {
            String path = URI.create(address).getRawPath(); // raw: a decoded name could hold control characters
            return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Downloads {@code address} within {@code limits} into a new private temporary file. */
    public static Path toTemporary(String address, HttpLimits limits) {
        HttpURLConnection connection = connect(address, limits);
        long expected = connection.getContentLengthLong();
        if (expected > limits.maxBytes()) {
            connection.disconnect();
            throw new SnapshotException(cannotDownload(address) + "the server announces " + expected
                    + " bytes, more than the cap of " + limits.maxBytes() + " (--http-max-size)");
        }
        Path temporary;
        try {
            // exclusive, 0600 on POSIX; deleted at the JVM's end if a SIGINT ends it mid-download
            temporary = TemporaryFiles.track(Files.createTempFile("veles-download-", ".tmp"));
        } catch (IOException e) {
            connection.disconnect();
            throw new SnapshotStoreException(
                    "cannot create a temporary file for " + Secrets.redact(address) + ": " + e.getMessage(), e);
        }
        try (InputStream body =
                        Progress.track(connection.getInputStream(), "downloading " + fileName(address), expected);
                OutputStream out = Files.newOutputStream(
                        temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            copy(address, body, out, expected, limits);
        } catch (IOException e) {
            delete(temporary);
            throw new SnapshotStoreException(
                    cannotDownload(address) + HttpFailure.describe(e, Secrets.redact(address), limits), e);
        } catch (RuntimeException | Error e) {
            delete(temporary);
            throw e;
        } finally {
            connection.disconnect();
        }
        LOG.debug("downloaded {} to {}", Secrets.redact(address), temporary);
        return temporary;
    }

    /**
     * Opens {@code address} and reads the response's headers, following up to five redirects, but
     * never from https to http: a redirect must not drop the protection the user asked for.
     */
    private static HttpURLConnection connect(String address, HttpLimits limits) {
        URL url;
        try {
            url = URI.create(address).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new SnapshotException("not a web address: " + Secrets.redact(address));
        }
        for (int redirects = 0; ; redirects++) {
            HttpURLConnection connection;
            int status;
            try {
                connection = (HttpURLConnection) url.openConnection();
                connection.setConnectTimeout(
                        Math.toIntExact(Math.max(1, limits.connectTimeout().toMillis())));
                connection.setReadTimeout(
                        Math.toIntExact(Math.max(1, limits.readTimeout().toMillis())));
                connection.setInstanceFollowRedirects(false);
                connection.setRequestProperty("Accept-Encoding", "identity");
                status = connection.getResponseCode();
            } catch (IOException e) {
                throw new SnapshotStoreException(
                        cannotDownload(address) + HttpFailure.describe(e, Secrets.redact(url.toString()), limits), e);
            }
            if (status == 200) {
                return connection;
            }
            String location = connection.getHeaderField("Location");
            connection.disconnect();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || location == null) {
                throw new SnapshotStoreException(cannotDownload(address) + "HTTP " + status);
            }
            if (redirects == MAX_REDIRECTS) {
                throw new SnapshotStoreException(cannotDownload(address) + "more than " + MAX_REDIRECTS + " redirects");
            }
            url = redirectTarget(address, url, location);
        }
    }

    private static URL redirectTarget(String address, URL from, String location) {
        URL to;
        try {
            to = from.toURI().resolve(location).toURL();
        } catch (Exception e) {
            throw new SnapshotException(cannotDownload(address) + "the server redirects to a bad address");
        }
        boolean web = to.getProtocol().equals("http") || to.getProtocol().equals("https");
        if (!web || (from.getProtocol().equals("https") && !to.getProtocol().equals("https"))) {
            throw new SnapshotException(cannotDownload(address) + "the server redirects from " + from.getProtocol()
                    + " to " + to.getProtocol() + ", which is refused");
        }
        return to;
    }

    /**
     * How a failed download's message starts, the address shown without its query: a pre-signed
     * address carries its credentials there.
     */
    private static String cannotDownload(String address) {
        return "cannot download " + Secrets.redact(address) + ": ";
    }

    /**
     * The fewest bytes a server must send in each read-timeout period (64 KiB, about 1 KiB/s at
     * the default 60 s): the read timeout bounds a wait for the next byte, and a server that sends
     * one byte a minute would otherwise never end the download.
     */
    static final long MIN_BYTES_PER_PERIOD = 64 << 10;

    /** Copies the body, refusing more than the cap, a trickle, and a body shorter than the server announced. */
    private static void copy(String address, InputStream body, OutputStream out, long expected, HttpLimits limits)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long received = 0;
        long period = limits.readTimeout().toNanos();
        long periodStart = System.nanoTime();
        long receivedBefore = 0;
        try {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                received += n;
                long now = System.nanoTime();
                if (now - periodStart >= period) {
                    if (received - receivedBefore < MIN_BYTES_PER_PERIOD && received != expected) {
                        throw new SnapshotException(cannotDownload(address) + "the server sent "
                                + (received - receivedBefore) + " bytes in "
                                + limits.readTimeout().toSeconds()
                                + " s, fewer than " + MIN_BYTES_PER_PERIOD + " (--http-read-timeout)");
                    }
                    periodStart = now;
                    receivedBefore = received;
                }
                if (received > limits.maxBytes()) {
                    throw new SnapshotException(cannotDownload(address) + "more than " + limits.maxBytes()
                            + " bytes, the cap (--http-max-size)");
                }
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw new HttpFailure.Truncated(received, expected, e);
        }
        if (expected >= 0 && received != expected) {
            throw new HttpFailure.Truncated(received, expected, null);
        }
    }

    private static void delete(Path file) {
        try {
            TemporaryFiles.delete(file);
        } catch (IOException e) {
            LOG.warn("cannot remove the temporary download {}: {}", file, e.getMessage());
        }
    }
}
