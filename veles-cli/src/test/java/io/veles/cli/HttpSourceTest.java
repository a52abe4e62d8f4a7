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
        // half the snapshot, then nothing for a minute: a download to stop halfway
        server.createContext("/slow/walk_00003.gz", exchange -> {
            exchange.sendResponseHeaders(200, snapshot.length);
            OutputStream out = exchange.getResponseBody();
            out.write(snapshot, 0, snapshot.length / 2);
            out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        // a byte at a time, each well within the read timeout: a trickle that would never end
        server.createContext("/trickle/walk_00003.gz", exchange -> {
            exchange.sendResponseHeaders(200, snapshot.length);
            OutputStream out = exchange.getResponseBody();
            try {
                for (int i = 0; i < 100; i++) {
                    out.write(snapshot[i]);
                    out.flush();
                    Thread.sleep(300);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException clientGone) {
                // the download was refused: what this test wants
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "test-http");
            thread.setDaemon(true); // the slow answer's sleep must not keep the test JVM alive
            return thread;
        }));
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

    /** A pre-signed address carries its credentials in its query: they show nowhere, nor when it fails. */
    @Test
    void aPresignedAddressesCredentialsAreNeverShown() throws Exception {
        String query = "?X-Amz-Credential=AKIAEXAMPLE%2F20261206&X-Amz-Security-Token=sessiontoken42"
                + "&X-Amz-Signature=5ecre75ignature";
        Path work = Files.createTempDirectory(dir, "signed");
        VelesProcess run = VelesProcess.run(
                work, "run", "walk", "-w", base + "/snaps/walk_00003.gz" + query, "--result-file", "result.json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        VelesProcess missing = VelesProcess.run(work, "snapshot", "verify", base + "/missing.gz" + query);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("HTTP 404");
        String shown = run.stdout()
                + run.stderr()
                + Files.readString(work.resolve("result.json"))
                + missing.stdout()
                + missing.stderr();
        assertThat(shown)
                .contains(base + "/snaps/walk_00003.gz?***")
                .doesNotContain("AKIAEXAMPLE")
                .doesNotContain("sessiontoken42")
                .doesNotContain("5ecre75ignature");
    }

    /** Ctrl-C in the middle of a download leaves no partial download behind. */
    @Test
    void aDownloadStoppedHalfwayLeavesNoTemporary() throws Exception {
        Path work = Files.createTempDirectory(dir, "stopped");
        Path temporaries = Files.createDirectory(work.resolve("tmp"));
        VelesProcess run = VelesProcess.startInterruptible(
                work, List.of("-Djava.io.tmpdir=" + temporaries), "run", "walk", "-w", base + "/slow/walk_00003.gz");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (downloaded(temporaries) < snapshot.length / 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(downloaded(temporaries)).as("half the snapshot downloaded").isEqualTo(snapshot.length / 2);
        assertThat(run.interrupt()).isTrue();
        run.waitFor(60);
        assertThat(run.exitCode()).isNotZero();
        try (var files = Files.list(temporaries)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("no partial download left")
                    .noneMatch(name -> name.startsWith("veles-download-"));
        }
    }

    private static long downloaded(Path temporaries) throws java.io.IOException {
        try (var files = Files.list(temporaries)) {
            return files.filter(file -> file.getFileName().toString().startsWith("veles-download-"))
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }

    /** A server that sends a byte now and then, each within the read timeout, is refused within about one period. */
    @Test
    void aTricklingServerIsRefused() throws Exception {
        Path work = Files.createTempDirectory(dir, "trickle");
        VelesProcess veles = VelesProcess.run(
                work, "--http-read-timeout", "1", "snapshot", "verify", base + "/trickle/walk_00003.gz");
        assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(1);
        assertThat(veles.stderr()).containsPattern("the server sent \\d+ bytes in 1 s, fewer than 65536");
    }
}
