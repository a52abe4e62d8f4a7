package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --snapshot http://...} against a local HTTP server: downloaded into the snapshot
 * directory, verified, restored; a redirect is followed; 404 and a connection cut mid-body give
 * one clear line and leave no file.
 */
@Tag("slow")
class HttpSourceTest {
    @TempDir
    static Path dir;

    static HttpServer server;
    static String base;
    static byte[] snapshot;

    @BeforeAll
    static void serve() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir, "run", "walk", "walk.walkers=1000", "walk.iterations=3", "--snapshot-dir", "origin");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        snapshot = Files.readAllBytes(dir.resolve("origin/walk_00003.gz"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/snaps/walk_00003.gz", exchange -> {
            exchange.sendResponseHeaders(200, snapshot.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(snapshot);
            }
        });
        server.createContext("/latest", exchange -> {
            exchange.getResponseHeaders().add("Location", "/snaps/walk_00003.gz");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/cut/walk_00003.gz", exchange -> {
            exchange.sendResponseHeaders(200, snapshot.length);
            OutputStream out = exchange.getResponseBody();
            out.write(snapshot, 0, snapshot.length / 2);
            out.flush();
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void aSnapshotIsDownloadedVerifiedAndRestored() throws Exception {
        Path work = Files.createTempDirectory(dir, "ok");
        VelesProcess veles = VelesProcess.run(
                work, "run", "walk", "-w", base + "/snaps/walk_00003.gz", "--result-file", "result.json");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        assertThat(veles.stderr()).contains("restored walk from");
        assertThat(Files.readAllBytes(work.resolve("snapshots/walk_00003.gz"))).isEqualTo(snapshot);
        VelesProcess redirected = VelesProcess.run(work, "snapshot", "verify", base + "/latest");
        assertThat(redirected.exitCode()).as(redirected.stderr()).isZero();
    }

    @Test
    void aDownloadNeverReplacesALocalSnapshotOfTheSameName() throws Exception {
        Path work = Files.createTempDirectory(dir, "taken");
        Path local = Files.createDirectories(work.resolve("snapshots")).resolve("walk_00003.gz");
        byte[] other = Files.readAllBytes(dir.resolve("origin/walk_00002.gz"));
        Files.write(local, other);
        VelesProcess verify = VelesProcess.run(work, "snapshot", "verify", base + "/snaps/walk_00003.gz");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(Files.readAllBytes(local))
                .as("the local snapshot stays byte for byte")
                .isEqualTo(other);
        try (var files = Files.list(work.resolve("snapshots"))) {
            assertThat(files.toList()).as("verify keeps nothing").containsExactly(local);
        }

        // A restore keeps its download, under a name that replaces nothing.
        VelesProcess run = VelesProcess.run(work, "run", "walk", "-w", base + "/snaps/walk_00003.gz");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readAllBytes(local))
                .as("the local snapshot stays byte for byte")
                .isEqualTo(other);
        assertThat(Files.readAllBytes(work.resolve("snapshots/walk_00003.1.gz")))
                .isEqualTo(snapshot);
    }

    @Test
    void notFoundAndACutConnectionGiveOneLineAndNoFile() throws Exception {
        for (String[] c : new String[][] {{"/missing.gz", "HTTP 404"}, {"/cut/walk_00003.gz", "cannot download"}}) {
            Path work = Files.createTempDirectory(dir, "bad");
            VelesProcess veles = VelesProcess.run(work, "run", "walk", "-w", base + c[0]);
            assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(1);
            List<String> errors = veles.stderr()
                    .lines()
                    .filter(line -> line.startsWith("veles: error:"))
                    .toList();
            assertThat(errors).as(veles.stderr()).hasSize(1);
            assertThat(errors.get(0)).contains(c[1]);
            Path snaps = work.resolve("snapshots");
            if (Files.isDirectory(snaps)) {
                try (var files = Files.list(snaps)) {
                    assertThat(files.toList())
                            .as("nothing left of a failed download")
                            .isEmpty();
                }
            }
        }
    }
}
