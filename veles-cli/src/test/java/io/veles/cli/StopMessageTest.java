package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** The snapshot in a stop's "continue with" command is one shell word, whatever it holds. */
class StopMessageTest {
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
