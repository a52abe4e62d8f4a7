package io.veles.snapshot.store;

import io.veles.progress.Progress;
import io.veles.snapshot.SnapshotException;
import io.veles.snapshot.codec.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a snapshot from an {@code http://} or {@code https://} address into a directory,
 * following redirects, atomically (a cut connection leaves no file), never over a file already
 * there (a taken name gets a numbered one), and showing progress on long downloads. The caller verifies the file before it restores anything from it.
 */
public final class HttpDownload {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDownload.class);

    private HttpDownload() {
    }

    public static boolean matches(String source) {
        return source != null && (source.startsWith("http://") || source.startsWith("https://"));
    }

    /** Downloads {@code address} into {@code directory}; returns the file. */
    public static Path download(String address, Path directory) {
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new SnapshotException("not a web address: " + address);
        }
        String name = Path.of(uri.getPath() == null || uri.getPath().isEmpty() ? "/download" : uri.getPath())
                .getFileName().toString();
        if (name.isEmpty() || name.startsWith(".")) {
            name = "download";
        }
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SnapshotException("cannot download " + address + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException("download of " + address + " interrupted", e);
        }
        if (response.statusCode() != 200) {
            closeQuietly(response.body());
            throw new SnapshotException("cannot download " + address + ": HTTP " + response.statusCode());
        }
        long expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SnapshotException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        String fileName = name;
        Path target;
        try (InputStream body = Progress.track(response.body(), "downloading " + name, expected)) {
            // Never over a snapshot already here: a taken name gets a numbered one (wine_3.gz: wine_3+2.gz).
            target = AtomicFiles.writeNew(attempt -> directory.resolve(numbered(fileName, attempt)), out -> {
                long received = body.transferTo(out);
                if (expected >= 0 && received != expected) {
                    throw new IOException("the connection ended after " + received + " of " + expected + " bytes");
                }
            }).file();
        } catch (IOException e) {
            throw new SnapshotException("cannot download " + address + ": " + describe(e), e);
        } catch (SnapshotException e) {
            throw new SnapshotException("cannot download " + address + ": " + e.getMessage(), e);
        }
        if (!target.getFileName().toString().equals(name)) {
            LOG.info("{} is taken in {}, and stays: downloaded {} to {}", name, directory, address, target);
        } else {
            LOG.info("downloaded {} to {}", address, target);
        }
        return target;
    }

    /** {@code name}, then {@code <stem>+2<ext>}, {@code <stem>+3<ext>}, ... keeping the codec's extension last. */
    static String numbered(String name, int attempt) {
        if (attempt == 0) {
            return name;
        }
        String extension = Codec.fromFileName(name).extension();
        String stem = name.substring(0, name.length() - extension.length());
        return stem + "+" + (attempt + 1) + extension;
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the status is the error to report
        }
    }
}
