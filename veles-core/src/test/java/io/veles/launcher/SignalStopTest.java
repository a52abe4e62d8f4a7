package io.veles.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A signal the JVM hands to our handler just as the last run puts the host's handlers back (the
 * handler is chosen when the signal comes, and runs on its own thread after) belongs to the host:
 * it was lost, and it made the next run's first signal a "second" one, which quits at once with
 * no final snapshot. Handlers are called directly here, as the JVM's dispatch would.
 */
class SignalStopTest {
    @Test
    void aSignalDispatchedToOursAfterTheRunsEndedGoesToTheHostAndCountsForNoLaterRun() throws Exception {
        Signal interrupt = new Signal("INT");
        CountDownLatch hostGotIt = new CountDownLatch(1);
        SignalHandler host = signal -> hostGotIt.countDown();
        SignalHandler before = Signal.handle(interrupt, host);
        try {
            SignalStop first = SignalStop.install(new Launcher(null));
            SignalHandler ours = Signal.handle(interrupt, host); // read ours, and put it straight back
            Signal.handle(interrupt, ours);
            first.remove();

            ours.handle(interrupt); // late: the run it was meant for has ended

            assertThat(hostGotIt.await(10, TimeUnit.SECONDS))
                    .as("the host's handler receives the signal")
                    .isTrue();
            Launcher next = new Launcher(null);
            SignalStop second = SignalStop.install(next);
            try {
                ours.handle(interrupt); // the next run's first signal: a stop, not a "second signal" halt
                assertThat(next.stopRequested()).isTrue();
            } finally {
                second.remove();
            }
        } finally {
            Signal.handle(interrupt, before);
        }
    }
}
