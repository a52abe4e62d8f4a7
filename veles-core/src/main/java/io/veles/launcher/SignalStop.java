package io.veles.launcher;

import io.veles.internal.store.InFlightWrites;
import io.veles.internal.util.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns SIGINT and SIGTERM into a stop request, so that a run interrupted by the user or by a
 * scheduler's preemption ends at a unit boundary with a final snapshot. A second signal ends the
 * process at once: a snapshot being written then is abandoned, its temporary file removed, so
 * that nothing partial is left and the last complete snapshot stays what a resume takes.
 *
 * <p>Installed for one run only, and only when asked for: {@link #remove()} puts back the handlers
 * it replaced, so that after the run a signal does what the host application set up (by default
 * the JVM's: exit with 128 + the signal's number, running the shutdown hooks).
 */
final class SignalStop {
    private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);

    private final Map<Signal, SignalHandler> replaced;

    private SignalStop(Map<Signal, SignalHandler> replaced) {
        this.replaced = replaced;
    }

    static SignalStop install(Launcher launcher) {
        Map<Signal, SignalHandler> replaced = new LinkedHashMap<>();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                replaced.put(signal, Signal.handle(signal, received -> {
                    if (launcher.stopRequested()) {
                        quitAtOnce(launcher, name, 128 + received.getNumber());
                    }
                    LOG.warn(
                            "SIG{} received: stopping at the next unit boundary, then taking a final snapshot"
                                    + " (again to quit at once)",
                            name);
                    launcher.requestStop();
                }));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return new SignalStop(replaced);
    }

    /** Puts back the handlers {@link #install} replaced. */
    void remove() {
        replaced.forEach((signal, previous) -> {
            try {
                Signal.handle(signal, previous);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot restore the handler of SIG{}: {}", signal.getName(), e.getMessage());
            }
        });
    }

    private static void quitAtOnce(Launcher launcher, String name, int status) {
        String writing = launcher.snapshotBeingWritten();
        InFlightWrites.abandonAll(); // a database write is rolled back by the server when the process dies
        String last = launcher.lastCompleteSnapshot();
        String resume =
                last == null ? "no snapshot holds this run" : "the last complete snapshot is " + Printable.escape(last);
        // Printed directly: the process halts next, before an asynchronous logger could write.
        if (writing == null) {
            System.err.println("second SIG" + name + ": quitting at once, no snapshot was being written; " + resume);
        } else {
            System.err.println("second SIG" + name + ": quitting at once, abandoned the snapshot being written to "
                    + Printable.escape(writing) + " (nothing partial is left); " + resume);
        }
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
