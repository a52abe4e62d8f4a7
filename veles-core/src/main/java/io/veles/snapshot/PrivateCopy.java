package io.veles.snapshot;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A temporary file only this process can reach, for bytes that must be read again exactly as they
 * were read once: it is created exclusively (mode 0600) in a fresh directory (mode 0700) under
 * {@code java.io.tmpdir}, and both are unlinked at once, so that no other process can open or
 * replace it and nothing is left behind even if the JVM dies. Its space is freed when it closes.
 */
final class PrivateCopy implements Closeable {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final FileChannel channel;
    private final Path directory;
    private final Path file;

    private PrivateCopy(FileChannel channel, Path directory, Path file) {
        this.channel = channel;
        this.directory = directory;
        this.file = file;
    }

    static PrivateCopy create() throws IOException {
        Path directory = POSIX
                ? Files.createTempDirectory(
                        "veles-restore",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory("veles-restore");
        Path file = directory.resolve("snapshot");
        FileAttribute<?>[] owner = POSIX
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    file,
                    java.util.Set.of(
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.DELETE_ON_CLOSE),
                    owner);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(directory);
            throw e;
        }
        PrivateCopy copy = new PrivateCopy(channel, directory, file);
        if (POSIX) {
            copy.unlink(); // an open file outlives its name
        }
        return copy;
    }

    /**
     * {@code source}, with every byte read from it also written to this copy: the copy then holds
     * exactly the bytes that were read. Closing it closes {@code source}, not the copy.
     */
    InputStream copying(InputStream source) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                int n = source.read(bytes, offset, length);
                if (n > 0) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, n);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
    }

    /** The bytes written, from the first; closing it closes the copy. */
    InputStream input() throws IOException {
        channel.position(0);
        return new FilterInputStream(Channels.newInputStream(channel)) {
            @Override
            public void close() throws IOException {
                PrivateCopy.this.close();
            }
        };
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            unlink();
        }
    }

    private void unlink() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }
}
