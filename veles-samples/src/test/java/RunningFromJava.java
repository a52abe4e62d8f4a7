import io.veles.launcher.Launcher;
import io.veles.launcher.RunHandle;
import io.veles.launcher.Veles;
import io.veles.samples.walk.RandomWalkWorkflow;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** Runs the walk sample from Java, continues it from its newest snapshot, and reads a snapshot back. */
public final class RunningFromJava {
    public static void main(String[] args) throws InterruptedException {
        // When this application shuts down (SIGTERM, System.exit), the run going on then stops at
        // the next unit boundary with a final snapshot. Veles leaves signals alone unless
        // .handleSignals(true).
        AtomicReference<RunHandle> current = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RunHandle running = current.get();
            if (running == null) {
                return;
            }
            running.stop();
            try {
                running.await();
            } catch (InterruptedException | RuntimeException e) {
                System.err.println("the run ended with " + e);
            }
        }));

        // A new run: a snapshot every 10 iterations into ./runs, the results as JSON.
        current.set(Veles.run(RandomWalkWorkflow.class)
                .settings("walk.walkers=10000", "walk.iterations=100", "snapshotter.interval=10")
                .snapshotsTo("runs")
                .resultFile(Path.of("first.json"))
                .start());
        Launcher.Outcome first = current.get().await();
        System.out.println("first run: " + first.lastSnapshot());

        // Continue from the newest snapshot in ./runs, 50 iterations longer.
        current.set(Veles.run(RandomWalkWorkflow.class)
                .resumeFrom("runs")
                .settings("walk.iterations=150")
                .snapshotsTo("runs")
                .resultFile(Path.of("longer.json"))
                .start());
        Launcher.Outcome longer = current.get().await();
        System.out.println("continued: " + longer.lastSnapshot());

        // What a snapshot holds, restored without running it (for tools).
        RandomWalkWorkflow saved = Veles.restore(RandomWalkWorkflow.class)
                .from(first.lastSnapshot())
                .load()
                .workflow();
        System.out.println(
                "iterations in " + first.lastSnapshot() + ": " + saved.results().get("iterations"));
    }
}
