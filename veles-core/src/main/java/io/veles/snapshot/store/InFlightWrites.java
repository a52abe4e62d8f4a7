package io.veles.snapshot.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary files being written right now, so that a process told to quit at once (a second
 * SIGINT during a snapshot) can remove them before it halts: a halted write then leaves nothing
 * behind, not even a hidden temporary for the next run to clean up.
 */
public final class InFlightWrites {
    private static final Map<Path, Path> TARGET_BY_TEMPORARY = new ConcurrentHashMap<>();

    private InFlightWrites() {
    }

    static void started(Path temporary, Path target) {
        TARGET_BY_TEMPORARY.put(temporary, target);
    }

    static void ended(Path temporary) {
        TARGET_BY_TEMPORARY.remove(temporary);
    }

    /**
     * Deletes every temporary still being written and returns the snapshots they would have
     * become. A write that finished in the meantime is whole and stays; it is not returned.
     */
    public static List<Path> abandonAll() {
        List<Path> abandoned = new ArrayList<>();
        for (Map.Entry<Path, Path> write : TARGET_BY_TEMPORARY.entrySet()) {
            try {
                if (Files.deleteIfExists(write.getKey())) {
                    abandoned.add(write.getValue());
                }
            } catch (IOException e) {
                // The halt goes on; a leftover temporary is hidden and removed by the next run.
            }
        }
        return abandoned;
    }
}
