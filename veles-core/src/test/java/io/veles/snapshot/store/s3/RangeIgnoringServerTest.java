package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;

/**
 * A server (or a proxy before it) that ignores the Range header answers every ranged read with
 * the object from its first byte. Read as asked, each range would hold the wrong bytes; the
 * download refuses the answer instead, naming the cause. The server here is a stand-in that
 * answers HEAD and GET as S3 does, but for the range.
 */
class RangeIgnoringServerTest {
    @Test
    void aRangeAnsweredWithTheWholeObjectIsRefused() throws Exception {
        // Large enough that reading the whole answer to each range, and asking again, shows.
        byte[] object = new byte[64 << 20];
        Arrays.fill(object, (byte) 1);
        java.util.List<String> ranges = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bucket/runs/run_1.gz", exchange -> {
            exchange.getResponseHeaders().add("ETag", "\"0123456789abcdef\"");
            exchange.getResponseHeaders().add("Last-Modified", "Sun, 06 Dec 2026 12:00:00 GMT");
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Content-Length", Integer.toString(object.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                ranges.add(exchange.getRequestHeaders().getFirst("Range"));
                exchange.sendResponseHeaders(200, object.length); // Range asked for, whole object sent
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(object);
                } catch (IOException dropped) {
                    // the reader hung up: it need not read the rest
                }
            }
            exchange.close();
        });
        server.start();
        try (ObjectStore store = ObjectStore.open(
                S3Location.parse("s3://bucket/runs"),
                TestS3.options(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort())))) {
            StoredSnapshot snapshot = store.resolve(S3Location.parse("s3://bucket/runs/run_1.gz"));
            assertThat(snapshot.bytes()).isEqualTo(object.length);
            assertThatThrownBy(() -> {
                        try (InputStream in = store.open(snapshot)) {
                            in.readAllBytes();
                        }
                    })
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot read s3://bucket/runs/run_1.gz")
                    .hasMessageContaining("the server ignored the byte range asked for (bytes=0-");
            assertThat(ranges).as("no range asked for twice").doesNotHaveDuplicates();
        } finally {
            server.stop(0);
        }
    }
}
