package io.veles.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a stop request, so that a run interrupted by the user or by a
 * scheduler's preemption ends at a unit boundary with a final snapshot. A second signal ends the
 * process at once.
 */
final class SignalStop {
    private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);

    private SignalStop() {
    }

    static void install(Launcher launcher) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (launcher.stopRequested()) {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                    LOG.warn("SIG{} received: stopping at the next unit boundary (again to quit at once)", name);
                    launcher.requestStop();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
