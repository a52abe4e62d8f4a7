package io.veles.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A private s3proxy server (filesystem backend, the test credentials of {@link TestS3}) for tests
 * that kill and restart it, so that the shared server of {@code .ci/s3-server} is never harmed. The
 * jar is the one {@code .ci/s3-server} fetches into the local Maven repository (the build passes
 * its path as {@code veles.s3proxy.jar}); without it the test skips with a message, unless
 * {@code VELES_REQUIRE_S3=1}.
 */
public final class S3ProxyProcess implements AutoCloseable {
    private final Path jar;
    private final Path dir;
    private final int port;
    private Process process;

    private S3ProxyProcess(Path jar, Path dir, int port) {
        this.jar = jar;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server keeping its data under {@code dir}, on a free port of 127.0.0.1. */
    public static S3ProxyProcess start(Path dir) throws IOException, InterruptedException {
        String jarPath = System.getProperty("veles.s3proxy.jar", "");
        Path jar = Path.of(jarPath);
        if (jarPath.isEmpty() || !Files.isRegularFile(jar)) {
            Requirement.skipOrFail(
                    "VELES_REQUIRE_S3", "the s3proxy jar '" + jarPath + "' is missing; .ci/s3-server start fetches it");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3ProxyProcess server = new S3ProxyProcess(jar, dir, port);
        server.restart();
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Kills the server with SIGKILL, as a crashed or preempted node would lose it. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on its port, with the data it had. */
    public void restart() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                                "\n",
                                "s3proxy.endpoint=" + endpoint(),
                                "s3proxy.authorization=aws-v2-or-v4",
                                "s3proxy.identity=" + TestS3.ACCESS_KEY,
                                "s3proxy.credential=" + TestS3.SECRET_KEY,
                                "jclouds.provider=filesystem",
                                "jclouds.filesystem.basedir=" + dir.resolve("data"))
                        + "\n");
        process = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx256m",
                        "-jar",
                        jar.toString(),
                        "--properties",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        for (int i = 0; i < 120; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        throw new IOException(
                "s3proxy did not start on port " + port + ": " + Files.readString(dir.resolve("s3proxy.log")));
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }
}
