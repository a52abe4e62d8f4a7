package io.veles.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Downloads are private temporaries deleted when done, and forgotten then: reading many web
 * addresses leaves no file and no entry behind (File.deleteOnExit kept one per download).
 */
class TemporaryFilesTest {
    /** The download temporaries in the temporary directory now. */
    private static java.util.Set<String> downloads() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("veles-download-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void manyDownloadsLeaveNoFileAndNoEntryBehind() throws Exception {
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        SnapshotWriter.write(
                new LoopWorkflow(1, 10, -1), Manifest.builder().name("loop").build(), Codec.GZIP, 1, snapshot);
        byte[] bytes = snapshot.toByteArray();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean good = exchange.getRequestURI().getPath().endsWith("good.gz");
            byte[] body = good ? bytes : new byte[] {1, 2, 3};
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        java.util.Set<String> downloadsBefore = downloads();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            int before = TemporaryFiles.tracked();
            for (int i = 0; i < 20; i++) {
                try (SnapshotReader reader = Snapshots.open(base + "good.gz")) {
                    assertThat(reader.manifest().name).isEqualTo("loop");
                }
                assertThatThrownBy(() -> Snapshots.open(base + "bad.gz").close());
            }
            assertThat(TemporaryFiles.tracked()).isEqualTo(before);
        } finally {
            server.stop(0);
        }
        assertThat(downloads()).as("no download left behind").isSubsetOf(downloadsBefore);
    }
}
