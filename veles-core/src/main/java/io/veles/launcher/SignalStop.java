package io.veles.launcher;

import io.veles.internal.store.InFlightWrites;
import io.veles.internal.util.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns SIGINT, SIGTERM and SIGHUP into a stop request, so that a run interrupted by the user, by
 * a scheduler's preemption or by its terminal going away (a closed window, a dropped ssh session)
 * ends at a unit boundary with a final snapshot. A process started with SIGHUP ignored ({@code
 * nohup}) keeps ignoring it: the JVM refuses a handler for an ignored signal, and none is installed. A second signal ends the
 * process at once: a snapshot being written then is abandoned, its temporary file removed, so
 * that nothing partial is left and the last complete snapshot stays what a resume takes.
 *
 * <p>Installed only while a run that asked for it goes on: the handlers are installed once for
 * all such runs of the process, a signal stops every one of them, and the handlers they replaced
 * are put back when the last ends, so that after the runs a signal does what the host application
 * set up (by default the JVM's: exit with 128 + the signal's number, running the shutdown hooks).
 * Runs that overlap in one JVM may end in any order: handlers installed and put back run by run
 * would give a later run's signals to an earlier run's handler, or to the host's.
 */
final class SignalStop {
    private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);

    private static final Object LOCK = new Object();
    /** The runs that handle signals now, in the order they started. */
    private static final List<Launcher> ACTIVE = new ArrayList<>();
    /** The handlers ours replaced, while any run handles signals; null otherwise. */
    private static Map<Signal, SignalHandler> replaced;
    /**
     * Whether a signal came while the runs now handling them went on: the next one quits at once.
     * A stop asked otherwise (RunHandle.stop, by the host) does not make a signal the second.
     */
    private static boolean signalled;

    private final Launcher launcher;

    private SignalStop(Launcher launcher) {
        this.launcher = launcher;
    }

    static SignalStop install(Launcher launcher) {
        synchronized (LOCK) {
            if (ACTIVE.isEmpty()) {
                signalled = false;
                replaced = installHandlers();
            }
            ACTIVE.add(launcher);
        }
        return new SignalStop(launcher);
    }

    /** This run no longer handles signals; the last to end puts back the handlers ours replaced. */
    void remove() {
        synchronized (LOCK) {
            ACTIVE.remove(launcher);
            if (!ACTIVE.isEmpty() || replaced == null) {
                return;
            }
            signalled = false;
            replaced.forEach((signal, previous) -> {
                try {
                    Signal.handle(signal, previous);
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    LOG.debug("cannot restore the handler of SIG{}: {}", signal.getName(), e.getMessage());
                }
            });
            replaced = null;
        }
    }

    private static Map<Signal, SignalHandler> installHandlers() {
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, received -> handle(name, received.getNumber())));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return previous;
    }

    /** A first signal asks every run to stop; a second, while they are stopping, quits at once. */
    private static void handle(String name, int number) {
        List<Launcher> runs;
        boolean second;
        synchronized (LOCK) {
            runs = List.copyOf(ACTIVE);
            if (runs.isEmpty()) {
                // Dispatched to ours as the last run put the host's handlers back: the JVM chose
                // the handler when the signal came, and its thread waited for the lock. The signal
                // is the host's now; raised again, it reaches whatever handles it today.
                reraise(name);
                return;
            }
            second = signalled;
            signalled = true;
        }
        if (second) {
            quitAtOnce(runs, name, 128 + number);
        }
        LOG.warn(
                "SIG{} received: stopping at the next unit boundary, then taking a final snapshot (again to quit at once)",
                name);
        runs.forEach(Launcher::requestStop);
    }

    private static void reraise(String name) {
        try {
            Signal.raise(new Signal(name));
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot raise SIG{} again: {}", name, e.getMessage());
        }
    }

    private static void quitAtOnce(List<Launcher> runs, String name, int status) {
        try {
            // A database write is rolled back by the server when the process dies; an S3 upload
            // waits up to 5 s in all for the parts it is sending, so that its abort leaves none.
            InFlightWrites.abandonAll();
            for (Launcher launcher : runs) {
                describeQuit(launcher, name);
            }
        } finally { // whatever describing failed on, the second signal quits
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }
    }

    private static void describeQuit(Launcher launcher, String name) {
        String writing = launcher.snapshotBeingWritten();
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
    }
}
