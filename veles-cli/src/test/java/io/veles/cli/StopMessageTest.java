package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.launcher.Launcher;
import io.veles.snapshot.Snapshotter.FinalSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The snapshot in a stop's "continue with" command is one shell word, whatever it holds. */
class StopMessageTest {
    /**
     * Two snapshotters, the second only for the best epochs: its skip at the stop loses nothing,
     * since the first wrote the state the run stopped in, and the message says so, whatever
     * their order.
     */
    @Test
    void aStopTellsOfTheFinalSnapshotWrittenWhenAnotherSnapshotterSkipped() {
        FinalSnapshot written = new FinalSnapshot(
                FinalSnapshot.Outcome.WRITTEN, "snapshots/wine_e7_stop.gz", 12, "gd", Map.of("epoch", 7));
        FinalSnapshot skipped = new FinalSnapshot(FinalSnapshot.Outcome.SKIPPED, null, 12, "gd", Map.of());
        for (String message : bothOrders(written, skipped, "snapshots/wine_e7_stop.gz")) {
            assertThat(message)
                    .contains("final snapshot snapshots/wine_e7_stop.gz holds epoch 7")
                    .endsWith("continue with: veles run wine -w snapshots/wine_e7_stop.gz")
                    .doesNotContain("not saved");
        }
        // The regular snapshotter ran last before the stop: nothing new since its snapshot.
        FinalSnapshot nothingNew = new FinalSnapshot(FinalSnapshot.Outcome.NOTHING_NEW, null, 0, "gd", Map.of());
        for (String message : bothOrders(nothingNew, skipped, "snapshots/wine_e7.gz")) {
            assertThat(message)
                    .contains("nothing ran since snapshots/wine_e7.gz")
                    .doesNotContain("not saved");
        }
    }

    /** The stop messages of a run whose two snapshotters ended as {@code a} and {@code b}, in either order. */
    private static List<String> bothOrders(FinalSnapshot a, FinalSnapshot b, String lastSnapshot) {
        return List.of(List.of(a, b), List.of(b, a)).stream()
                .map(finals ->
                        StopMessage.describe("wine", new Launcher.Outcome(null, false, lastSnapshot, true, finals)))
                .toList();
    }

    @Test
    void aSourceIsOneShellWordAsTheShellReadsIt() throws Exception {
        assertThat(StopMessage.shellWord("snapshots/wine_3_0.00_stop.gz")).isEqualTo("snapshots/wine_3_0.00_stop.gz");
        for (String source : new String[] {
            "odbc://DRIVER={SQLite3};DATABASE=/tmp/team.db&veles&7f3a&&wine_3",
            "snap shots/it's $HOME `x` \"q\".gz",
            "s3://bucket/runs/wine_3.gz"
        }) {
            Process shell = new ProcessBuilder("sh", "-c", "printf %s " + StopMessage.shellWord(source)).start();
            String read = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shell.waitFor()).isZero();
            assertThat(read).as(source).isEqualTo(source);
        }
    }
}
