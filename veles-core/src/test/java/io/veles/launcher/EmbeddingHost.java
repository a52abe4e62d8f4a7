package io.veles.launcher;

/**
 * An application that embeds veles: it has its own shutdown hook, runs a {@link TickWorkflow}
 * through {@link Veles#run}, then goes on with its own work until a signal ends it.
 *
 * <p>Arguments: the mode, then the snapshot directory. Modes: {@code quiet}, a short run that
 * leaves signals to the host; {@code signals}, a run that lasts until SIGINT stops it, handling
 * signals itself; {@code hook}, a run that lasts until the host's shutdown hook stops it.
 */
public final class EmbeddingHost {
    private EmbeddingHost() {}

    public static void main(String[] args) throws InterruptedException {
        String mode = args[0];
        if (mode.equals("overlap")) {
            overlap(args[1]);
            return;
        }
        boolean endless = !mode.equals("quiet");
        RunHandle run = Veles.run(TickWorkflow.class)
                .settings(
                        "ticks.count=" + (endless ? 1_000_000 : 5),
                        "ticks.sleep_ms=" + (endless ? 10 : 0),
                        "snapshotter.interval=1000000",
                        "snapshotter.compression=none")
                .snapshotsTo(args[1])
                .handleSignals(mode.equals("signals"))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (mode.equals("hook")) {
                run.stop();
                try {
                    System.out.println("hook: " + describe(run.await()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            System.out.println("host shutdown hook ran");
        }));
        Launcher.Outcome outcome = run.await();
        System.out.println("run ended: " + describe(outcome));
        System.out.println("host working");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("host was never signalled");
        System.exit(3);
    }

    /**
     * Two runs handling signals that overlap, the first to start ending first: the second must
     * still stop on a signal, and the host's handling come back when it ends.
     */
    private static void overlap(String directory) throws InterruptedException {
        RunHandle first = ticking(directory + "/first", 200).start(); // about two seconds
        Thread.sleep(300); // the first run handles signals by now
        RunHandle second = ticking(directory + "/second", 1_000_000).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("host shutdown hook ran")));
        System.out.println("first ended: " + describe(first.await()));
        System.out.flush();
        System.out.println("run ended: " + describe(second.await()));
        System.out.println("host working");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("host was never signalled");
        System.exit(3);
    }

    private static RunBuilder ticking(String directory, int ticks) {
        return Veles.run(TickWorkflow.class)
                .settings(
                        "ticks.count=" + ticks,
                        "ticks.sleep_ms=10",
                        "snapshotter.interval=1000000",
                        "snapshotter.compression=none")
                .snapshotsTo(directory)
                .handleSignals(true);
    }

    private static String describe(Launcher.Outcome outcome) {
        return "stopped=" + outcome.stopped() + " final="
                + (outcome.finalSnapshots().isEmpty()
                        ? "-"
                        : outcome.finalSnapshots().get(0).outcome() + " "
                                + outcome.finalSnapshots().get(0).snapshot());
    }
}
