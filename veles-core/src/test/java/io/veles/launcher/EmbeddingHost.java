package io.veles.launcher;

/**
 * An application that embeds veles: it has its own shutdown hook, runs a {@link TickWorkflow}
 * through {@link Veles#run}, then goes on with its own work until a signal ends it.
 *
 * <p>Arguments: {@code quiet} (a short run; signals are the host's) or {@code signals} (a run
 * that lasts until SIGINT stops it, with the run handling signals), then the snapshot directory.
 */
public final class EmbeddingHost {
    private EmbeddingHost() {
    }

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("host shutdown hook ran")));
        boolean handleSignals = args[0].equals("signals");
        Launcher.Outcome outcome = Veles.run(TickWorkflow.class)
                .settings("ticks.count=" + (handleSignals ? 1_000_000 : 5), "ticks.sleep_ms=" + (handleSignals ? 10 : 0),
                        "snapshotter.interval=1000000", "snapshotter.compression=none")
                .snapshotsTo(args[1])
                .handleSignals(handleSignals)
                .start()
                .await();
        String last = outcome.finalSnapshots().isEmpty() ? "-" : outcome.finalSnapshots().get(0).outcome()
                + " " + outcome.finalSnapshots().get(0).snapshot();
        System.out.println("run ended: stopped=" + outcome.stopped() + " final=" + last);
        System.out.println("host working");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("host was never signalled");
        System.exit(3);
    }
}
