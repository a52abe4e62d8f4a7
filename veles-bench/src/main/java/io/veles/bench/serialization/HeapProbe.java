package io.veles.bench.serialization;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Does a big-arrays snapshot fit without a second full copy? One write, or one read from a file,
 * in a child JVM whose heap is the 256 MiB payload plus {@link #MARGIN_MIB}: a configuration that
 * buffers the whole snapshot (or its read side accumulates it) runs out of memory there.
 */
final class HeapProbe {
    static final int MARGIN_MIB = 128;
    static final int HEAP_MIB = (int) ((Graphs.ARRAY_PAYLOAD_BYTES + (1 << 20) - 1) >> 20) + MARGIN_MIB;
    private static final int BUFFER = 1 << 16;
    private static final int EXIT_OUT_OF_MEMORY = 3;

    private HeapProbe() {}

    /** Child side: {@code write CODEC} or {@code read CODEC FILE FINGERPRINT}. */
    public static void main(String[] args) throws IOException {
        Codec codec = Codec.named(args[1]);
        try {
            run(codec, args);
        } catch (RuntimeException e) {
            // Libraries wrap the error in their own exception.
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof OutOfMemoryError) {
                    System.exit(EXIT_OUT_OF_MEMORY);
                }
            }
            throw e;
        } catch (OutOfMemoryError e) {
            System.exit(EXIT_OUT_OF_MEMORY);
        }
    }

    private static void run(Codec codec, String[] args) throws IOException {
        if (args[0].equals("write")) {
            codec.write(Graphs.layers(), ByteSink.discarding());
            return;
        }
        Object root;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(args[2])), BUFFER)) {
            root = codec.read(in);
        }
        if (Graphs.fingerprint(root) != Long.parseLong(args[3])) {
            throw new AssertionError("read back different floats");
        }
    }

    /** Parent side: "ok"/"OOM" for writing and reading codec's snapshot of layers at HEAP_MIB. */
    static String[] check(String codecName, List<Layer> layers, long fingerprint, Path dir)
            throws IOException, InterruptedException {
        Path file = dir.resolve("heap-probe-" + codecName + ".bin");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
                Codec.named(codecName).write(layers, out);
            }
            return new String[] {
                child("write", codecName), child("read", codecName, file.toString(), Long.toString(fingerprint))
            };
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String child(String... args) throws IOException, InterruptedException {
        ChildJvm.Outcome outcome = ChildJvm.run(List.of("-Xmx" + HEAP_MIB + "m"), HeapProbe.class, args);
        switch (outcome.exit()) {
            case 0:
                return "ok";
            case EXIT_OUT_OF_MEMORY:
                return "OOM";
            default:
                return "failed (exit " + outcome.exit() + ")";
        }
    }
}
