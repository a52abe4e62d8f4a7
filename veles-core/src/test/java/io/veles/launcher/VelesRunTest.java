package io.veles.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.snapshot.Snapshotter.FinalSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Running and restoring workflows from Java through {@link Veles}, in this JVM. */
class VelesRunTest {
    @TempDir
    Path dir;

    @Test
    void aRunWritesItsSnapshotsWhereToldAndItsResultFile() throws Exception {
        Path result = dir.resolve("out/result.json");
        RunHandle run = Veles.run(TickWorkflow.class)
                .settings("ticks.count=7", "snapshotter.compression=none")
                .snapshotsTo(dir.resolve("snaps").toString())
                .resultFile(result)
                .start();
        Launcher.Outcome outcome = run.await();

        assertThat(run.isDone()).isTrue();
        assertThat(outcome.stopped()).isFalse();
        assertThat(((TickWorkflow) outcome.workflow()).tick.count).isEqualTo(7);
        assertThat(Path.of(outcome.lastSnapshot()))
                .startsWith(dir.resolve("snaps"))
                .exists();
        Map<?, ?> written = new ObjectMapper().readValue(result.toFile(), Map.class);
        assertThat(written.get("id")).isEqualTo(run.id());
        assertThat(written.get("snapshot")).isEqualTo(outcome.lastSnapshot());
        assertThat(written.get("stopped")).isEqualTo(false);
    }

    /** Three ticks with their snapshots in {@code snapshots} and their results in {@code result}. */
    private static Launcher.Outcome ticksWithResultIn(Path snapshots, Path result) throws Exception {
        return Veles.run(TickWorkflow.class)
                .settings("ticks.count=3", "snapshotter.compression=none")
                .snapshotsTo(snapshots.toString())
                .resultFile(result)
                .start()
                .await();
    }

    /**
     * A result file is JSON; given the path of a snapshot (the one resumed from, one the run
     * writes, the _current link), it would replace it with a page of JSON. Refused before the run
     * where it is there then, when writing the results where the run put it there; the snapshot
     * stays whole.
     */
    @Test
    void aResultFileNeverReplacesASnapshotOrItsLink() throws Exception {
        Path snaps = dir.resolve("snaps");
        Launcher.Outcome first = Veles.run(TickWorkflow.class)
                .settings("ticks.count=3", "snapshotter.compression=none")
                .snapshotsTo(snaps.toString())
                .start()
                .await();
        Path snapshot = Path.of(first.lastSnapshot());
        byte[] bytes = java.nio.file.Files.readAllBytes(snapshot);

        assertThatThrownBy(() -> ticksWithResultIn(dir.resolve("elsewhere"), snapshot))
                .as("the path of a snapshot already there")
                .isInstanceOf(LaunchException.class)
                .hasMessage("the result file " + snapshot + " holds something other than a result (a snapshot? a"
                        + " database?), which it would replace: give another path");
        java.nio.file.Path link;
        try (var listing = java.nio.file.Files.list(snaps)) {
            link = listing.filter(java.nio.file.Files::isSymbolicLink)
                    .findFirst()
                    .orElseThrow();
        }
        assertThatThrownBy(() -> ticksWithResultIn(dir.resolve("elsewhere"), link))
                .as("the _current link")
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("is a symbolic link");

        Path again = dir.resolve("again");
        Path written = again.resolve(snapshot.getFileName());
        assertThatThrownBy(() -> ticksWithResultIn(again, written))
                .as("the path of the snapshot the run writes")
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("holds something other than a result");
        assertThat(java.nio.file.Files.readAllBytes(snapshot)).isEqualTo(bytes);
        assertThat(java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(written), 8))
                .as("the second run's snapshot, kept")
                .isEqualTo(io.veles.snapshot.format.SnapshotFormat.MAGIC);
        assertThat(java.nio.file.Files.isSymbolicLink(link)).isTrue();

        Path result = dir.resolve("result.json");
        ticksWithResultIn(dir.resolve("third"), result);
        String earlier = java.nio.file.Files.readString(result);
        ticksWithResultIn(dir.resolve("fourth"), result);
        assertThat(java.nio.file.Files.readString(result))
                .as("an earlier result is replaced")
                .isNotEqualTo(earlier)
                .startsWith("{");
    }

    /**
     * start → snapshotter → work, no end point: the run ends when work runs out, and the snapshot
     * taken as it ended held a run neither running nor finished, which a resume started again.
     */
    public static final class RunsOutOfWork extends io.veles.workflow.Workflow {
        final Work work;

        public RunsOutOfWork(Config config) {
            super("drains");
            io.veles.snapshot.Snapshotter snapshotter = io.veles.snapshot.Snapshotter.create(
                    this,
                    io.veles.snapshot.SnapshotSettings.from(
                            config.section("snapshotter"), io.veles.snapshot.SnapshotSettings.defaults("drains")));
            work = new Work(this);
            snapshotter.linkFrom(startPoint());
            work.linkFrom(snapshotter);
        }

        static final class Work extends io.veles.workflow.Unit {
            int runs;

            Work(io.veles.workflow.Workflow workflow) {
                super(workflow, "work");
            }

            @Override
            public void run() {
                runs++;
            }
        }
    }

    @Test
    void aRunThatRanOutOfWorkRunsNothingWhenResumedFromItsEnd() throws Exception {
        String snaps = dir.resolve("snaps").toString();
        Launcher.Outcome whole = Veles.run(RunsOutOfWork.class)
                .settings("snapshotter.compression=none")
                .snapshotsTo(snaps)
                .start()
                .await();
        assertThat(((RunsOutOfWork) whole.workflow()).work.runs).isEqualTo(1);

        Launcher.Outcome resumed = Veles.run(RunsOutOfWork.class)
                .resumeFrom(snaps)
                .snapshotsTo(snaps)
                .start()
                .await();

        assertThat(resumed.restored()).isTrue();
        assertThat(((RunsOutOfWork) resumed.workflow()).work.runs)
                .as("the uninterrupted run ran its work once")
                .isEqualTo(1);
        assertThat(resumed.lastSnapshot()).isEqualTo(whole.lastSnapshot());
    }

    @Test
    void aFinishedRunResumedFromItsDirectoryNamesTheSnapshotItFoundThere() throws Exception {
        String snaps = dir.resolve("snaps").toString();
        Launcher.Outcome whole = Veles.run(TickWorkflow.class)
                .settings("ticks.count=5", "snapshotter.compression=none")
                .snapshotsTo(snaps)
                .start()
                .await();
        Launcher.Outcome resumed = Veles.run(TickWorkflow.class)
                .resumeFrom(snaps)
                .snapshotsTo(snaps)
                .start()
                .await();
        assertThat(resumed.restored()).isTrue();
        assertThat(resumed.lastSnapshot())
                .as("the file, not the directory given")
                .isEqualTo(whole.lastSnapshot());
    }

    @Test
    void aRunStoppedFromAnotherThreadResumesToTheSameEndAsAnUninterruptedRun() throws Exception {
        String settings = "ticks.count=60";
        String expected = ((TickWorkflow) Veles.run(TickWorkflow.class)
                        .settings(settings)
                        .snapshotsTo(dir.resolve("whole").toString())
                        .start()
                        .await()
                        .workflow())
                .state();

        Path result = dir.resolve("stopped.json");
        RunHandle run = Veles.run(TickWorkflow.class)
                .settings(settings, "ticks.sleep_ms=20", "snapshotter.interval=1000")
                .snapshotsTo(dir.resolve("stopped").toString())
                .resultFile(result)
                .start();
        Thread.sleep(200);
        run.stop();
        Launcher.Outcome stopped = run.await();
        assertThat(stopped.stopped()).isTrue();
        // the result file says the run stopped early: its results are of the state then
        assertThat(new ObjectMapper().readValue(result.toFile(), Map.class).get("stopped"))
                .isEqualTo(true);
        FinalSnapshot last = stopped.finalSnapshots().get(0);
        assertThat(last.outcome()).isEqualTo(FinalSnapshot.Outcome.WRITTEN);
        int ticksBeforeTheStop = ((TickWorkflow) stopped.workflow()).tick.count;
        assertThat(ticksBeforeTheStop).isBetween(1, 59);

        TickWorkflow saved = Veles.restore(TickWorkflow.class)
                .from(dir.resolve("stopped").toString())
                .load()
                .workflow();
        assertThat(saved.tick.count).isEqualTo(ticksBeforeTheStop);
        Launcher.Outcome resumed = Veles.run(TickWorkflow.class)
                .resumeFrom(dir.resolve("stopped").toString())
                .snapshotsTo(dir.resolve("stopped").toString())
                .start()
                .await();
        assertThat(resumed.restored()).isTrue();
        assertThat(((TickWorkflow) resumed.workflow()).state()).isEqualTo(expected);
    }

    @Test
    void snapshotsGoToADatabaseTableGivenAsAnOdbcLocation() throws Exception {
        String table = "odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("snaps.db") + "&runs";
        Launcher.Outcome outcome =
                Veles.run(TickWorkflow.class).snapshotsTo(table).start().await();

        assertThat(outcome.lastSnapshot()).startsWith("odbc://").contains(dir.resolve("snaps.db") + "&runs&");
        TickWorkflow restored = Veles.restore(TickWorkflow.class)
                .from(outcome.lastSnapshot())
                .load()
                .workflow();
        assertThat(restored.state()).isEqualTo(((TickWorkflow) outcome.workflow()).state());
    }

    /**
     * A directory given after a table: the table took the snapshots and the directory stayed
     * empty, without a word. Refused; whichever snapshotsTo comes last wins over what came before.
     */
    @Test
    void aDirectoryAndATableBothGivenAreRefusedAndSnapshotsToGivenLastWins() throws Exception {
        String table = "odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("snaps.db") + "&runs";
        String directory = dir.resolve("snaps").toString();
        assertThatThrownBy(() -> Veles.run(TickWorkflow.class)
                        .snapshotsTo(table)
                        .settings("snapshotter.directory=" + directory)
                        .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("snapshotter.directory and snapshotter.odbc each name where snapshots go");
        assertThat(dir.resolve("snaps.db")).doesNotExist();

        Launcher.Outcome toTable = Veles.run(TickWorkflow.class)
                .settings("snapshotter.directory=" + directory)
                .snapshotsTo(table)
                .start()
                .await();
        assertThat(toTable.lastSnapshot()).startsWith("odbc://");
        Launcher.Outcome toDirectory = Veles.run(TickWorkflow.class)
                .snapshotsTo(table)
                .snapshotsTo(directory)
                .start()
                .await();
        assertThat(Path.of(toDirectory.lastSnapshot())).startsWith(dir.resolve("snaps"));
    }

    /**
     * A constructor making a subclass of the class given: the run trained and snapshotted, and
     * only the resume found that no snapshot was of the class it restores. Refused before the run.
     */
    @Test
    void aFactoryMakingAnotherClassThanItDeclaresIsRefusedBeforeTheRun() {
        RunHandle run = Veles.run(io.veles.workflow.Workflow.class, TickWorkflow::new)
                .snapshotsTo(dir.resolve("snaps").toString())
                .start();
        assertThatThrownBy(run::await)
                .isInstanceOf(LaunchException.class)
                .hasMessage("the workflow factory io.veles.workflow.Workflow declares io.veles.workflow.Workflow"
                        + " but made io.veles.launcher.TickWorkflow: no resume could restore its snapshots;"
                        + " declare the class it makes");
        assertThat(dir.resolve("snaps")).doesNotExist();
    }

    @Test
    void aLocationNamingOneSnapshotIsNotWhereSnapshotsGo() {
        assertThatThrownBy(
                        () -> Veles.run(TickWorkflow.class)
                                .snapshotsTo(
                                        "odbc://DRIVER={SQLite3};DATABASE=x.db;PWD=secret&runs&0b7c2a51-5d6e-4c83-9a51-1d3f6f0e8a11"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshots go to a table, not to one snapshot")
                .hasMessageNotContaining("secret");
    }

    @Test
    void theRunsFailureIsThrownByAwait() {
        RunHandle run =
                Veles.run(TickWorkflow.class).settings("ticks.count=many").start();
        assertThatThrownBy(run::await).isInstanceOf(ConfigException.class).hasMessageContaining("ticks.count");
    }

    /** A host that never awaits the run (it only stops it at shutdown) learns from the log where it failed. */
    @Test
    void aFailedRunLogsTheUnitThatFailedAndTheSnapshotToResumeFrom() throws Exception {
        String snaps = dir.resolve("snaps").toString();
        String log = io.veles.testing.CapturedStderr.during(() -> {
            RunHandle run = Veles.run(TickWorkflow.class)
                    .settings("ticks.count=7", "ticks.fail_at=4", "snapshotter.compression=none")
                    .snapshotsTo(snaps)
                    .start();
            assertThatThrownBy(run::await).hasMessageContaining("tick 4 fails");
        });
        assertThat(log.lines().filter(line -> line.contains("failed in unit")))
                .as(log)
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .containsPattern("run \\S+ failed in unit 'tick'; the last complete snapshot is \\S+ticks_3$");
    }

    @Test
    void aRunThatFailedLetsTheNextRunInThisJvmHaveItsSnapshotPrefix() throws Exception {
        String snaps = dir.resolve("snaps").toString();
        RunHandle failed = Veles.run(TickWorkflow.class)
                .settings("ticks.count=7", "ticks.fail_at=4", "snapshotter.interval=1")
                .snapshotsTo(snaps)
                .start();
        assertThatThrownBy(failed::await)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tick 4 fails");

        Launcher.Outcome retried = Veles.run(TickWorkflow.class)
                .settings("ticks.count=7")
                .snapshotsTo(snaps)
                .start()
                .await();
        assertThat(((TickWorkflow) retried.workflow()).tick.count).isEqualTo(7);
        assertThat(Path.of(retried.lastSnapshot()))
                .startsWith(dir.resolve("snaps"))
                .exists();
    }

    @Test
    void aConstructorBuildsTheWorkflowOfANewRun() throws Exception {
        Launcher.Outcome outcome = Veles.run(
                        TickWorkflow.class,
                        config -> new TickWorkflow(config.with(Config.parse(List.of("ticks.count=3")))))
                .snapshotsTo(dir.resolve("snaps").toString())
                .start()
                .await();
        assertThat(((TickWorkflow) outcome.workflow()).tick.count).isEqualTo(3);
    }

    @Test
    void aRestoreNeedsASource() {
        assertThatThrownBy(() -> Veles.restore(TickWorkflow.class).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no snapshot named");
    }
}
