package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Hostile and broken web servers, real ones on 127.0.0.1: one that never answers, one that stalls
 * after its headers, an endless body, a cut body, a refused connection, a plain server spoken to
 * with TLS, and a snapshot that fails verification. Each ends in one line naming the cause, and
 * none changes the user's snapshot directory; read-only commands leave nothing behind at all.
 */
@Tag("slow")
class HostileHttpTest {
    @TempDir
    static Path dir;

    static byte[] snapshot;
    static byte[] otherSnapshot;
    static HttpServer server;
    static String base;
    static final List<RawServer> RAW = new ArrayList<>();

    @BeforeAll
    static void serve() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir, "run", "walk", "walk.walkers=100", "walk.iterations=3", "--snapshot-dir", "origin");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        snapshot = Files.readAllBytes(dir.resolve("origin/walk_00003.gz"));
        otherSnapshot = Files.readAllBytes(dir.resolve("origin/walk_00002.gz"));
        byte[] damaged = snapshot.clone();
        damaged[damaged.length / 2] ^= 0x40;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serveBytes("/good/walk_00003.gz", snapshot);
        serveBytes("/damaged/walk_00003.gz", damaged);
        serveBytes("/named/walk_current.gz", snapshot);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void serveBytes(String path, byte[] body) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop(0);
        for (RawServer raw : RAW) {
            raw.close();
        }
    }

    /** A working directory whose snapshots/ holds the user's walk_00003.gz and a _current link to it. */
    private static Path userDirectory() throws IOException {
        Path work = Files.createTempDirectory(dir, "work");
        Path snaps = Files.createDirectories(work.resolve("snapshots"));
        Files.write(snaps.resolve("walk_00003.gz"), otherSnapshot);
        Files.createSymbolicLink(snaps.resolve("walk_current.gz"), Path.of("walk_00003.gz"));
        return work;
    }

    /** Every entry of {@code snapshots/}: its bytes, or for a link its target. */
    private static Map<String, String> state(Path work) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> files = Files.list(work.resolve("snapshots"))) {
            for (Path file : files.toList()) {
                state.put(
                        file.getFileName().toString(),
                        Files.isSymbolicLink(file)
                                ? "-> " + Files.readSymbolicLink(file)
                                : HexFormat.of().formatHex(Files.readAllBytes(file)));
            }
        }
        return state;
    }

    private static String onlyError(VelesProcess veles) {
        List<String> errors = veles.stderr()
                .lines()
                .filter(line -> line.startsWith("veles: error:"))
                .toList();
        assertThat(errors).as(veles.stderr()).hasSize(1);
        return errors.get(0);
    }

    @Test
    void aSnapshotFailingVerificationChangesNothingForAnyCommand() throws Exception {
        String address = base + "/damaged/walk_00003.gz";
        for (String[] command : new String[][] {
            {"run", "walk", "-w", address}, {"snapshot", "inspect", address}, {"snapshot", "verify", address}
        }) {
            Path work = userDirectory();
            Map<String, String> before = state(work);
            VelesProcess veles = VelesProcess.run(work, command);
            assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(1);
            assertThat(onlyError(veles)).contains(address);
            assertThat(state(work)).as(String.join(" ", command)).isEqualTo(before);
        }
    }

    @Test
    void inspectAndVerifyOfAnAddressLeaveNothingBehind() throws Exception {
        for (String command : new String[] {"inspect", "verify"}) {
            Path work = Files.createTempDirectory(dir, "readonly");
            Path temporaries = Files.createDirectories(work.resolve("tmp"));
            VelesProcess veles = VelesProcess.run(
                    work,
                    List.of("-Djava.io.tmpdir=" + temporaries),
                    "snapshot",
                    command,
                    base + "/good/walk_00003.gz");
            assertThat(veles.exitCode()).as(veles.stderr()).isZero();
            assertThat(work.resolve("snapshots")).doesNotExist();
            try (Stream<Path> left = Files.list(temporaries)) {
                assertThat(left.toList()).as("temporary downloads").isEmpty();
            }
        }
    }

    @Test
    void aRunKeepsAVerifiedDownloadUnderANameThatReplacesNothing() throws Exception {
        Path work = userDirectory();
        VelesProcess veles =
                VelesProcess.run(work, "run", "walk", "-w", base + "/good/walk_00003.gz", "--snapshot-dir", "mine");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        Path snaps = work.resolve("snapshots");
        assertThat(Files.readAllBytes(snaps.resolve("walk_00003.gz")))
                .as("the user's file")
                .isEqualTo(otherSnapshot);
        assertThat(Files.readAllBytes(snaps.resolve("walk_00003.1.gz"))).isEqualTo(snapshot);
        assertThat(Files.readSymbolicLink(snaps.resolve("walk_current.gz"))).isEqualTo(Path.of("walk_00003.gz"));

        // Served under a _current name, it lands as _downloaded: the link stays the user's.
        VelesProcess named =
                VelesProcess.run(work, "run", "walk", "-w", base + "/named/walk_current.gz", "--snapshot-dir", "mine");
        assertThat(named.exitCode()).as(named.stderr()).isZero();
        assertThat(Files.isSymbolicLink(snaps.resolve("walk_current.gz"))).isTrue();
        assertThat(Files.readSymbolicLink(snaps.resolve("walk_current.gz"))).isEqualTo(Path.of("walk_00003.gz"));
        assertThat(Files.readAllBytes(snaps.resolve("walk_downloaded.gz"))).isEqualTo(snapshot);
    }

    @Test
    void aServerThatNeverAnswersOrStallsAfterItsHeadersTimesOut() throws Exception {
        String silent = RawServer.start(socket -> {
            readRequest(socket);
            Thread.sleep(Long.MAX_VALUE);
        });
        String stalling = RawServer.start(socket -> {
            readRequest(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + snapshot.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(snapshot, 0, 100);
            out.flush();
            Thread.sleep(Long.MAX_VALUE);
        });
        for (String address : List.of(silent, stalling)) {
            Path work = Files.createTempDirectory(dir, "stall");
            VelesProcess veles = VelesProcess.run(work, "snapshot", "verify", "--http-read-timeout", "1", address);
            assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(1);
            assertThat(onlyError(veles)).contains("timed out").contains("sent nothing for 1 s (--http-read-timeout)");
        }
    }

    @Test
    void anEndlessBodyStopsAtTheCap() throws Exception {
        String endless = RawServer.start(socket -> {
            readRequest(socket);
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] zeros = new byte[1 << 16];
            while (true) {
                out.write(zeros); // until the client hangs up
            }
        });
        String announced = RawServer.start(socket -> {
            readRequest(socket);
            socket.getOutputStream()
                    .write("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(Long.MAX_VALUE);
        });
        Path work = Files.createTempDirectory(dir, "endless");
        Path temporaries = Files.createDirectories(work.resolve("tmp"));
        VelesProcess veles = VelesProcess.run(
                work,
                List.of("-Djava.io.tmpdir=" + temporaries),
                "snapshot",
                "inspect",
                "--http-max-size",
                "4M",
                endless);
        assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(1);
        assertThat(onlyError(veles)).contains("more than 4194304 bytes, the cap (--http-max-size)");
        try (Stream<Path> left = Files.list(temporaries)) {
            assertThat(left.toList()).as("nothing left of the refused download").isEmpty();
        }
        VelesProcess big = VelesProcess.run(work, "snapshot", "inspect", "--http-max-size", "4M", announced);
        assertThat(big.exitCode()).as(big.stderr()).isEqualTo(1);
        assertThat(onlyError(big)).contains("announces 1000000000000 bytes, more than the cap of 4194304");
    }

    @Test
    void causesAreNamed() throws Exception {
        String cut = RawServer.start(socket -> {
            readRequest(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + snapshot.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(snapshot, 0, 1000);
            out.flush();
            socket.close();
        });
        String plain = RawServer.start(
                socket -> { // answers in plain text, whatever was said
                    socket.getOutputStream()
                            .write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(Long.MAX_VALUE);
                });
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String[][] cases = {
            {cut, "truncated: the connection ended after 1000 of " + snapshot.length + " bytes"},
            {"http://127.0.0.1:" + closedPort + "/walk_00003.gz", "connection refused by 127.0.0.1:" + closedPort},
            {plain.replace("http:", "https:"), "TLS failed with 127.0.0.1:"},
        };
        for (String[] c : cases) {
            Path work = Files.createTempDirectory(dir, "cause");
            VelesProcess veles = VelesProcess.run(work, "run", "walk", "-w", c[0]);
            assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(1);
            assertThat(onlyError(veles)).contains("cannot download " + c[0] + ": " + c[1]);
            assertThat(Files.exists(work.resolve("snapshots"), LinkOption.NOFOLLOW_LINKS))
                    .as("nothing kept of a failed download")
                    .isFalse();
        }
    }

    private static void readRequest(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int b = in.read(); b >= 0 && matched < end.length; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            if (matched == end.length) {
                return;
            }
        }
    }

    /** A bare socket server on 127.0.0.1 that treats every connection the same way. */
    static final class RawServer implements AutoCloseable {
        interface Behaviour {
            void serve(Socket socket) throws Exception;
        }

        private final ServerSocket socket;

        private RawServer(ServerSocket socket) {
            this.socket = socket;
        }

        /** Starts a server; returns an address on it that names a snapshot file. */
        static String start(Behaviour behaviour) throws IOException {
            RawServer server = new RawServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            RAW.add(server);
            Thread acceptor = new Thread(() -> {
                while (!server.socket.isClosed()) {
                    try {
                        Socket connection = server.socket.accept();
                        Thread handler = new Thread(() -> {
                            try (connection) {
                                behaviour.serve(connection);
                            } catch (Exception ignored) {
                                // the client hung up: what the hostile server was waiting for
                            }
                        });
                        handler.setDaemon(true);
                        handler.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            return "http://127.0.0.1:" + server.socket.getLocalPort() + "/walk_00003.gz";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
