package io.veles.internal.util;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Lowers the calling thread's CPU priority (raises its nice value) on Linux, so that work done
 * beside a run, such as compressing an asynchronous snapshot, gives way to the run whenever both
 * want a core. Java's own thread priorities do nothing there without root, hence libc's
 * {@code setpriority}. On Linux the nice value belongs to each thread, and a thread started
 * afterwards by this one starts with it: the pools a background write creates share it.
 *
 * <p>One way only: an unprivileged thread cannot take its priority back, so callers use this on
 * threads that do nothing else. Elsewhere (not Linux, no JNA, a refused call) it does nothing.
 */
public final class ThreadNice {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadNice.class);

    /** The lowest priority Linux has. */
    public static final int LOWEST = 19;

    private static final int PRIO_PROCESS = 0;
    private static final Path OWN_STAT = Path.of("/proc/thread-self/stat");

    /** libc's call, as in its man page. */
    interface LibC extends Library {
        int setpriority(int which, int who, int prio) throws LastErrorException;
    }

    private static final LibC LIBC = load();

    private ThreadNice() {}

    private static LibC load() {
        if (!Platform.isLinux() || !Files.isReadable(OWN_STAT)) {
            return null; // elsewhere PRIO_PROCESS would lower the whole process, the run included
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("no thread priorities: {}", e.toString());
            return null;
        }
    }

    /** Whether this machine lets a thread lower its own priority alone. */
    public static boolean available() {
        return LIBC != null;
    }

    /**
     * Lowers the calling thread's priority by {@code steps} nice values, as {@code nice -n} does,
     * down to {@link #LOWEST} at most; 0 leaves it alone. A run started with {@code nice} keeps its
     * background threads below itself. Returns whether the thread's priority changed.
     */
    public static boolean lowerCallingThreadBy(int steps) {
        if (steps <= 0 || LIBC == null) {
            return false;
        }
        OptionalInt now = callingThreadNice();
        if (now.isEmpty() || now.getAsInt() >= LOWEST) {
            return false;
        }
        try {
            // who 0 is the caller: on Linux the calling thread, not its process (man 2 setpriority, BUGS).
            LIBC.setpriority(PRIO_PROCESS, 0, Math.min(now.getAsInt() + steps, LOWEST));
            return true;
        } catch (LastErrorException e) {
            LOG.debug("thread {} keeps its priority: {}", Thread.currentThread().getName(), e.getMessage());
            return false;
        }
    }

    /** The calling thread's nice value, from {@code /proc}; empty where it cannot be read. */
    public static OptionalInt callingThreadNice() {
        try {
            return OptionalInt.of(niceOf(Files.readString(OWN_STAT, StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The nice value in a line of {@code /proc/.../stat}: "pid (name) state ppid ...". The name
     * may hold spaces and parentheses, so fields are counted from its last closing one; nice is
     * the 19th field, the 17th after the name (the 18th, priority, is 20 plus nice).
     */
    public static int niceOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
