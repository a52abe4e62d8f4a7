package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.LoopWorkflow;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicReference;

class ResumeTest {
    private static String uninterrupted(int iterations) {
        LoopWorkflow workflow = new LoopWorkflow(iterations, 16, -1);
        workflow.random().reseed(7);
        workflow.initialize();
        workflow.run();
        return workflow.state();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 9, 10})
    void aSnapshotTakenMidIterationResumesToTheSameStateBitForBit(int captureAt) {
        LoopWorkflow original = new LoopWorkflow(10, 16, captureAt);
        original.random().reseed(7);
        original.initialize();
        original.run();
        byte[] snapshot = original.capture.snapshot;
        assertThat(snapshot).isNotNull();

        LoopWorkflow resumed = RoundTrip.restore(snapshot, LoopWorkflow.class);
        assertThat(resumed.isRunning()).isTrue();
        assertThat(resumed.runningUnit().name()).isEqualTo("capture");
        resumed.initialize();
        resumed.resumeRun();
        assertThat(resumed.state()).isEqualTo(uninterrupted(10)).isEqualTo(original.state());
    }

    @Test
    void aFinishedWorkflowRestoresFinishedAndRunsAgainFromTheStart() {
        LoopWorkflow workflow = new LoopWorkflow(3, 4, -1);
        workflow.initialize();
        workflow.run();
        LoopWorkflow restored = RoundTrip.copy(workflow);
        assertThat(restored.isRunning()).isFalse();
        assertThat(restored.state()).isEqualTo(workflow.state());
    }

    /** A chain of units, each linked from the previous one and holding a reference to it. */
    static final class Link extends Unit {
        Link previous;
        int index;

        Link(Workflow workflow, Link previous, int index) {
            super(workflow, "link" + index);
            this.previous = previous;
            this.index = index;
            if (previous != null) {
                linkFrom(previous);
            }
        }

        @Override
        public void run() {}
    }

    static final class ChainWorkflow extends Workflow {
        ChainWorkflow() {
            super("chain");
        }
    }

    @Test
    void aChainOf100000UnitsSnapshotsAndRestoresOnASmallStack() throws InterruptedException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        // 512 KiB: half the default thread stack, so that depth along units would overflow.
        Thread thread = new Thread(
                null,
                () -> {
                    try {
                        ChainWorkflow chain = new ChainWorkflow();
                        Link previous = null;
                        for (int i = 0; i < 100_000; i++) {
                            previous = new Link(chain, previous, i);
                        }
                        chain.endPoint().linkFrom(previous);
                        ((Link) chain.findUnit("link0")).linkFrom(chain.startPoint());
                        ChainWorkflow restored = RoundTrip.copy(chain);
                        Link last = (Link) restored.findUnit("link99999");
                        int steps = 0;
                        for (Link link = last; link.previous != null; link = link.previous) {
                            steps++;
                        }
                        restored.initialize();
                        restored.run();
                        outcome.set(steps + " " + restored.isFinished() + " "
                                + last.linkedFrom().get(0).name());
                    } catch (Throwable e) {
                        outcome.set(e);
                    }
                },
                "small-stack",
                512 * 1024);
        thread.start();
        thread.join();
        assertThat(outcome.get()).isEqualTo("99999 true link99998");
    }
}
