package io.veles.workflow;

import java.util.UUID;

/**
 * What a running workflow knows of the process that runs it: the run's identity and whether it
 * has been asked to stop. The launcher provides it; it is never part of a snapshot.
 */
public interface RunContext {
    /** The run's id, a UUID string; snapshots record it. */
    String id();

    /** The log id, a UUID string; snapshots record it. */
    String logId();

    /** True once the run should stop at the next unit boundary (e.g. on SIGTERM). */
    boolean stopRequested();

    /** A context for workflows run without a launcher (tests, embedding): fresh ids, never stops. */
    static RunContext standalone() {
        String id = UUID.randomUUID().toString();
        return new RunContext() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String logId() {
                return id;
            }

            @Override
            public boolean stopRequested() {
                return false;
            }
        };
    }
}
