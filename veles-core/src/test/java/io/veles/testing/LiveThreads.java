package io.veles.testing;

import io.veles.internal.util.ThreadNice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** This JVM's live threads as Linux sees them, for tests that check what priority a thread runs at. */
public final class LiveThreads {
    private LiveThreads() {}

    /**
     * The nice value of each live thread whose name (as the kernel keeps it: its first 15
     * characters) starts with {@code prefix}, by thread id; read from {@code /proc/self/task}.
     */
    public static Map<Integer, NiceThread> named(String prefix) throws IOException {
        Map<Integer, NiceThread> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith(prefix)) {
                        int nice = ThreadNice.niceOf(Files.readString(task.resolve("stat")));
                        threads.put(Integer.parseInt(task.getFileName().toString()), new NiceThread(name, nice));
                    }
                } catch (IOException gone) {
                    // the thread ended while being read
                }
            }
        }
        return threads;
    }

    /** A thread's name and nice value. */
    public record NiceThread(String name, int nice) {
        @Override
        public String toString() {
            return name + " at nice " + nice;
        }
    }
}
