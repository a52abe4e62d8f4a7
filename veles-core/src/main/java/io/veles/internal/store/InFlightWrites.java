package io.veles.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writes going on right now (temporary files, and uploads elsewhere such as S3 multipart
 * uploads), so that a process told to quit at once (a second SIGINT during a snapshot) can remove
 * them before it halts: a halted write then leaves nothing behind, not even a hidden temporary for
 * the next run to clean up, nor an upload's parts stored unseen.
 *
 * <p>A command-line tool also asks for this at the JVM's end ({@link #abandonAtExit}): Ctrl-C or
 * SIGTERM during {@code snapshot convert} ends the JVM through its shutdown hooks. The library
 * never does so by itself: a host's own shutdown hook may be writing a final snapshot then, and
 * hooks run at the same time.
 */
public final class InFlightWrites {
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();
    /** How to abandon the writes going on elsewhere than in a file (an upload's abort). */
    private static final Set<Runnable> ELSEWHERE = ConcurrentHashMap.newKeySet();

    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private InFlightWrites() {}

    static void started(Path temporary) {
        TEMPORARIES.add(temporary);
    }

    static void ended(Path temporary) {
        TEMPORARIES.remove(temporary);
    }

    /** Notes a write going on elsewhere, which {@code abandon} discards, until {@link #endedElsewhere}. */
    public static void startedElsewhere(Runnable abandon) {
        ELSEWHERE.add(abandon);
    }

    /** Forgets {@code abandon}: its write completed or was discarded. */
    public static void endedElsewhere(Runnable abandon) {
        ELSEWHERE.remove(abandon);
    }

    /** For a command-line tool: abandons the writes still going on when the JVM ends. */
    public static void abandonAtExit() {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(InFlightWrites::abandonAll, "veles-in-flight-writes"));
        }
    }

    /**
     * Deletes every temporary still being written and abandons every write going on elsewhere. A
     * write that finished in the meantime is whole and stays.
     */
    public static void abandonAll() {
        for (Path temporary : TEMPORARIES) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // The halt goes on; a leftover temporary is hidden and removed by the next run.
            }
        }
        for (Runnable abandon : ELSEWHERE) {
            try {
                abandon.run();
            } catch (RuntimeException e) {
                // The halt goes on; prune or a lifecycle rule reclaims what stays.
            }
        }
    }
}
