package io.veles.znicz.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.workflow.Workflow;
import io.veles.znicz.loader.FullBatchLoader;
import io.veles.znicz.nn.LearningRate;
import org.junit.jupiter.api.Test;

/**
 * Limits given on a resume complete the run as if they had been set from the start: a run that
 * gives up after fail_iterations epochs without improvement does so at an epoch's end, also when
 * it resumes between that epoch's validation and its training.
 */
class DecisionLimitsTest {
    private static final class Host extends Workflow {
        Host() {
            super("host");
        }
    }

    private static void minibatch(Decision decision, int set, int errors, boolean last) {
        decision.minibatchSet = set;
        decision.minibatchCount = 10;
        decision.errors = errors;
        decision.loss = 0.5;
        decision.lastOfSet = last;
        decision.run();
    }

    /** One epoch: validation (with {@code errors}), then training. */
    private static void epoch(Decision decision, int errors) {
        minibatch(decision, FullBatchLoader.VALIDATION, errors, true);
        minibatch(decision, FullBatchLoader.TRAINING, 0, true);
    }

    @Test
    void limitsGivenMidEpochCompleteTheRunOnlyAtTheEpochsEnd() {
        Decision decision = new Decision(new Host(), 100, 2, null, new LearningRate(0.1, 0));
        epoch(decision, 3); // the best
        epoch(decision, 5); // one without improvement
        // the third epoch's validation: a second without improvement, counted now
        minibatch(decision, FullBatchLoader.VALIDATION, 5, true);
        decision.limits(200, 2); // a resume here, the limits given again
        assertThat(decision.complete.get())
                .as("the epoch's training is still to run")
                .isFalse();
        minibatch(decision, FullBatchLoader.TRAINING, 0, true);
        assertThat(decision.complete.get()).as("given up at the epoch's end").isTrue();
        assertThat(decision.epoch()).isEqualTo(3);

        Decision raised = new Decision(new Host(), 100, 2, null, new LearningRate(0.1, 0));
        epoch(raised, 3);
        epoch(raised, 5);
        epoch(raised, 5);
        assertThat(raised.complete.get()).isTrue();
        raised.limits(100, 5); // patience raised after the run gave up: it goes on
        assertThat(raised.complete.get()).isFalse();
    }
    /**
     * A limit lowered mid-epoch to the epochs already done completes the run at this epoch's end,
     * not after its next minibatch; at an epoch's end, it completes the run at once.
     */
    @Test
    void aLimitTheEpochsDoneReachCompletesTheRunAtTheEpochsEnd() {
        Decision decision = new Decision(new Host(), 100, 50, null, new LearningRate(0.1, 0));
        epoch(decision, 3);
        epoch(decision, 3);
        assertThat(decision.atEpochEnd()).isTrue();
        minibatch(decision, FullBatchLoader.VALIDATION, 3, true); // the third epoch has begun
        assertThat(decision.atEpochEnd()).isFalse();
        decision.limits(2, 50);
        assertThat(decision.complete.get()).as("mid-epoch").isFalse();
        minibatch(decision, FullBatchLoader.TRAINING, 0, false);
        assertThat(decision.complete.get()).as("still mid-epoch").isFalse();
        minibatch(decision, FullBatchLoader.TRAINING, 0, true);
        assertThat(decision.complete.get()).as("at the epoch's end").isTrue();

        Decision atTheEnd = new Decision(new Host(), 100, 50, null, new LearningRate(0.1, 0));
        epoch(atTheEnd, 3);
        epoch(atTheEnd, 3);
        atTheEnd.limits(2, 50);
        assertThat(atTheEnd.complete.get()).isTrue();
    }
}
