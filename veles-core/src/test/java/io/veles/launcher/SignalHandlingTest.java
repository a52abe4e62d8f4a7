package io.veles.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.FreshJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application embedding veles keeps its signals: a run handles SIGINT, SIGTERM and SIGHUP only when
 * asked, and after the run the host's handling (here the JVM's: its shutdown hooks, then exit
 * 143) is back; a host's own shutdown hook can stop a run with a final snapshot, as the README's
 * example does. Real child JVMs, real signals.
 */
@Tag("slow")
class SignalHandlingTest {
    private static final int SIGTERM_EXIT = 128 + 15;

    @TempDir
    Path dir;

    @Test
    void aRunWithoutSignalHandlingLeavesTheHostsShutdownToTheHost() throws Exception {
        FreshJvm.Running host = FreshJvm.start(
                dir,
                System.getProperty("java.class.path"),
                EmbeddingHost.class,
                "quiet",
                dir.resolve("snaps").toString());
        assertThat(host.awaitOutput("host working")).as(host.output()).isTrue();
        assertThat(host.output()).contains("run ended: stopped=false");

        host.signal("TERM");
        assertThat(host.waitFor(60)).as(host.output()).isEqualTo(SIGTERM_EXIT);
        assertThat(host.output()).contains("host shutdown hook ran").doesNotContain("SIGTERM received");
    }

    @Test
    void aRunHandlingSignalsStopsWithAFinalSnapshotOnSigintAndGivesThemBackWhenItEnds() throws Exception {
        FreshJvm.Running host = FreshJvm.start(
                dir,
                System.getProperty("java.class.path"),
                EmbeddingHost.class,
                "signals",
                dir.resolve("snaps").toString());
        assertThat(host.awaitOutput("first tick")).as(host.output()).isTrue();

        host.signal("INT");
        assertThat(host.awaitOutput("host working")).as(host.output()).isTrue();
        Matcher ended =
                Pattern.compile("run ended: stopped=true final=WRITTEN (\\S+)").matcher(host.output());
        assertThat(ended.find()).as(host.output()).isTrue();
        assertThat(host.output()).contains("SIGINT received");
        TickWorkflow stopped = Veles.restore(TickWorkflow.class)
                .from(dir.resolve(ended.group(1)).toString())
                .load()
                .workflow();
        assertThat(stopped.tick.count).isPositive();

        host.signal("TERM"); // the run is over: this one is the host's
        assertThat(host.waitFor(60)).as(host.output()).isEqualTo(SIGTERM_EXIT);
        assertThat(host.output()).contains("host shutdown hook ran").doesNotContain("SIGTERM received");
    }

    /**
     * A hang-up (a closed terminal, a dropped ssh session) ended the run with the JVM's exit 129
     * and no final snapshot: it now stops it as SIGTERM does, and is the host's again after.
     */
    @Test
    void aHangUpStopsTheRunWithAFinalSnapshot() throws Exception {
        FreshJvm.Running host = FreshJvm.start(
                dir,
                System.getProperty("java.class.path"),
                EmbeddingHost.class,
                "signals",
                dir.resolve("snaps").toString());
        assertThat(host.awaitOutput("first tick")).as(host.output()).isTrue();

        host.signal("HUP");
        assertThat(host.awaitOutput("host working")).as(host.output()).isTrue();
        assertThat(host.output())
                .contains("SIGHUP received")
                .containsPattern("run ended: stopped=true final=WRITTEN \\S+");

        host.signal("HUP"); // the run is over: this one is the host's, the JVM's exit
        assertThat(host.waitFor(60)).as(host.output()).isEqualTo(128 + 1);
        assertThat(host.output()).contains("host shutdown hook ran");
    }

    @Test
    void aHostsShutdownHookCanStopTheRunWithAFinalSnapshot() throws Exception {
        FreshJvm.Running host = FreshJvm.start(
                dir,
                System.getProperty("java.class.path"),
                EmbeddingHost.class,
                "hook",
                dir.resolve("snaps").toString());
        assertThat(host.awaitOutput("first tick")).as(host.output()).isTrue();

        host.signal("TERM");
        assertThat(host.waitFor(60)).as(host.output()).isEqualTo(SIGTERM_EXIT);
        Matcher stopped =
                Pattern.compile("hook: stopped=true final=WRITTEN (\\S+)").matcher(host.output());
        assertThat(stopped.find()).as(host.output()).isTrue();
        assertThat(host.output()).contains("host shutdown hook ran").doesNotContain("SIGTERM received");
        TickWorkflow saved = Veles.restore(TickWorkflow.class)
                .from(dir.resolve(stopped.group(1)).toString())
                .load()
                .workflow();
        assertThat(saved.tick.count).isPositive();
    }

    /**
     * Two runs handling signals overlap and the first to start ends first: a signal then still
     * stops the second with a final snapshot (it once went to the host's handler, which the first
     * run had put back), and once both ended the host's handling is back.
     */
    @Test
    void overlappingRunsKeepTheirSignalsWhicheverEndsFirst() throws Exception {
        FreshJvm.Running host = FreshJvm.start(
                dir, System.getProperty("java.class.path"), EmbeddingHost.class, "overlap", dir.toString());
        assertThat(host.awaitOutput("first ended")).as(host.output()).isTrue();
        assertThat(host.output()).contains("first ended: stopped=false");

        host.signal("INT");
        assertThat(host.awaitOutput("host working")).as(host.output()).isTrue();
        assertThat(host.output()).containsPattern("run ended: stopped=true final=WRITTEN \\S+");

        host.signal("TERM");
        assertThat(host.waitFor(60)).as(host.output()).isEqualTo(SIGTERM_EXIT);
        assertThat(host.output()).contains("host shutdown hook ran").doesNotContain("SIGTERM received");
    }
}
