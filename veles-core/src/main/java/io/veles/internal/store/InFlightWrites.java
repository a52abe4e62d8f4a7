package io.veles.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary files being written right now, so that a process told to quit at once (a second
 * SIGINT during a snapshot) can remove them before it halts: a halted write then leaves nothing
 * behind, not even a hidden temporary for the next run to clean up. A JVM that ends otherwise
 * (Ctrl-C or SIGTERM during {@code snapshot convert}, {@code System.exit} mid-snapshot) removes
 * them in a shutdown hook: a write still going then can no longer finish.
 */
public final class InFlightWrites {
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private InFlightWrites() {}

    static void started(Path temporary) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(InFlightWrites::abandonAll, "veles-in-flight-writes"));
        }
        TEMPORARIES.add(temporary);
    }

    static void ended(Path temporary) {
        TEMPORARIES.remove(temporary);
    }

    /**
     * Deletes every temporary still being written. A write that finished in the meantime is
     * whole and stays.
     */
    public static void abandonAll() {
        for (Path temporary : TEMPORARIES) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // The halt goes on; a leftover temporary is hidden and removed by the next run.
            }
        }
    }
}
