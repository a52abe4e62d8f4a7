package io.veles.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class WorkflowSchedulingTest {
    /** Records its name into a shared trace each time it runs. */
    static class Recorder extends Unit {
        final List<String> trace;

        Recorder(Workflow workflow, String name, List<String> trace) {
            super(workflow, name);
            this.trace = trace;
        }

        @Override
        public void run() {
            trace.add(name());
        }
    }

    private final List<String> trace = new ArrayList<>();

    /** A unit whose stop fails, as a snapshotter's end snapshot may. */
    static final class FailingStop extends Recorder {
        FailingStop(Workflow workflow, String name, List<String> trace) {
            super(workflow, name, trace);
        }

        @Override
        public void stop() {
            trace.add("stop " + name());
            throw new IllegalStateException(name() + " could not stop");
        }
    }

    /** Every unit is stopped though an earlier one failed to; the first failure is raised, the next added. */
    @Test
    void everyUnitStopsThoughAnEarlierOneFailedAndTheFirstFailureIsRaised() {
        Workflow workflow = new Workflow("w");
        new FailingStop(workflow, "a", trace);
        new FailingStop(workflow, "b", trace);
        new FailingStop(workflow, "c", trace);
        assertThatThrownBy(workflow::stop)
                .hasMessage("a could not stop")
                .satisfies(e -> assertThat(e.getSuppressed())
                        .extracting(Throwable::getMessage)
                        .containsExactly("b could not stop", "c could not stop"));
        assertThat(trace).containsExactly("stop a", "stop b", "stop c");
    }

    /**
     * A stop asked while the end point runs: the run has reached its end, and it was left both
     * running (the end point kept as the unit a resume passes control on from) and finished,
     * which a resume of a finished run refused as "has not reached its end".
     */
    @Test
    void aStopAskedAsTheEndPointRunsLeavesAFinishedRun() {
        Workflow workflow = new Workflow("w");
        Recorder a = new Recorder(workflow, "a", trace);
        a.linkFrom(workflow.startPoint());
        workflow.endPoint().linkFrom(a);
        workflow.attach(new RunContext() {
            @Override
            public String id() {
                return "run";
            }

            @Override
            public String logId() {
                return "log";
            }

            @Override
            public boolean stopRequested() {
                return workflow.runningUnit() == workflow.endPoint();
            }
        });
        workflow.initialize();
        workflow.run();
        assertThat(trace).containsExactly("a");
        assertThat(workflow.isFinished()).isTrue();
        assertThat(workflow.isRunning()).isFalse();
        assertThat(workflow.resumeFinishedRun())
                .as("its end holds: nothing to run")
                .isFalse();
    }

    @Test
    void unitRunsAfterAllItsSourcesInLinkOrder() {
        Workflow workflow = new Workflow("w");
        Recorder a = new Recorder(workflow, "a", trace);
        Recorder b = new Recorder(workflow, "b", trace);
        Recorder c = new Recorder(workflow, "c", trace);
        Recorder d = new Recorder(workflow, "d", trace);
        a.linkFrom(workflow.startPoint());
        b.linkFrom(a);
        c.linkFrom(a);
        d.linkFrom(b, c);
        workflow.endPoint().linkFrom(d);
        workflow.initialize();
        workflow.run();
        assertThat(trace).containsExactly("a", "b", "c", "d");
        assertThat(workflow.isFinished()).isTrue();
        assertThat(workflow.isRunning()).isFalse();
    }

    @Test
    void blockedUnitNeitherRunsNorPassesOnAndSkippedUnitPassesOnWithoutRunning() {
        Workflow workflow = new Workflow("w");
        Recorder blocked = new Recorder(workflow, "blocked", trace);
        Recorder afterBlocked = new Recorder(workflow, "afterBlocked", trace);
        Recorder skipped = new Recorder(workflow, "skipped", trace);
        Recorder afterSkipped = new Recorder(workflow, "afterSkipped", trace);
        blocked.linkFrom(workflow.startPoint()).gateBlock(new Bool(true));
        afterBlocked.linkFrom(blocked);
        skipped.linkFrom(workflow.startPoint()).gateSkip(new Bool(true));
        afterSkipped.linkFrom(skipped);
        workflow.initialize();
        workflow.run();
        assertThat(trace).containsExactly("afterSkipped");
    }

    @Test
    void gatesAreEvaluatedWhenChecked() {
        Bool a = new Bool(false);
        Bool b = new Bool(true);
        Bool expression = a.or(b.not()).and(b);
        assertThat(expression.get()).isFalse();
        a.set(true);
        assertThat(expression.get()).isTrue();
        b.set(false);
        assertThat(expression.get()).isFalse();
        assertThat(expression.isSettable()).isFalse();
        assertThatThrownBy(() -> expression.set(true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void repeaterLoopsUntilTheGatedEndPointOpens() {
        Workflow workflow = new Workflow("w");
        Repeater repeater = new Repeater(workflow);
        Bool done = new Bool(false);
        Unit counter = new Unit(workflow, "counter") {
            int count;

            @Override
            public void run() {
                count++;
                trace.add("run" + count);
                done.set(count == 3);
            }
        };
        repeater.linkFrom(workflow.startPoint());
        counter.linkFrom(repeater);
        repeater.linkFrom(counter);
        workflow.endPoint().linkFrom(counter).gateBlock(done.not());
        workflow.initialize();
        workflow.run();
        assertThat(trace).containsExactly("run1", "run2", "run3");
    }

    @Test
    void nestedWorkflowRunsToItsEndBeforeControlPassesOn() {
        Workflow main = new Workflow("main");
        Workflow inner = new Workflow(main, "inner");
        Recorder innerUnit = new Recorder(inner, "innerUnit", trace);
        innerUnit.linkFrom(inner.startPoint());
        inner.endPoint().linkFrom(innerUnit);
        Recorder after = new Recorder(main, "after", trace);
        inner.linkFrom(main.startPoint());
        after.linkFrom(inner);
        main.endPoint().linkFrom(after);
        main.initialize();
        main.run();
        assertThat(trace).containsExactly("innerUnit", "after");
        assertThat(main.allUnits()).contains(innerUnit, inner.startPoint());
    }

    /** Data links share objects and read primitives as they are when the consumer runs. */
    static final class Producer extends Unit {
        float[] output = {1, 2};
        int count;

        Producer(Workflow workflow) {
            super(workflow, "producer");
        }

        @Override
        public void run() {
            count++;
        }
    }

    static final class Consumer extends Unit {
        float[] input;
        int seen;

        Consumer(Workflow workflow) {
            super(workflow, "consumer");
        }

        @Override
        public void run() {
            input[0] = 42;
        }
    }

    @Test
    void dataLinksShareObjectsNotCopies() {
        Workflow workflow = new Workflow("w");
        Producer producer = new Producer(workflow);
        Consumer consumer = new Consumer(workflow);
        producer.linkFrom(workflow.startPoint());
        consumer.linkFrom(producer).linkAttrs(producer, "input", "output").linkAttrs(producer, "seen", "count");
        workflow.endPoint().linkFrom(consumer);
        workflow.initialize();
        assertThat(consumer.input).isSameAs(producer.output);
        workflow.run();
        assertThat(producer.output[0]).isEqualTo(42f);
        assertThat(consumer.seen).isEqualTo(1);
    }

    @Test
    void dataLinksAreCheckedWhenMade() {
        Workflow workflow = new Workflow("w");
        Producer producer = new Producer(workflow);
        Consumer consumer = new Consumer(workflow);
        assertThatThrownBy(() -> consumer.linkAttrs(producer, "input", "count"))
                .hasMessageContaining("consumer.input (float[]) cannot take producer.count (int)");
        assertThatThrownBy(() -> consumer.linkAttrs(producer, "missing", "output"))
                .hasMessageContaining("has no field 'missing'");
    }

    @Test
    void unlinkRemovesBothDirectionsAndLinksStayWithinOneWorkflow() {
        Workflow workflow = new Workflow("w");
        Recorder a = new Recorder(workflow, "a", trace);
        Recorder b = new Recorder(workflow, "b", trace);
        b.linkFrom(a);
        assertThat(a.linkedTo()).containsExactly(b);
        b.unlinkFrom(a);
        assertThat(a.linkedTo()).isEmpty();
        assertThat(b.linkedFrom()).isEmpty();
        Workflow other = new Workflow("other");
        Recorder stranger = new Recorder(other, "stranger", trace);
        assertThatThrownBy(() -> b.linkFrom(stranger)).hasMessageContaining("same workflow");
    }
}
