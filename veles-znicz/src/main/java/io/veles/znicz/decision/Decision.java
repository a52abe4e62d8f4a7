package io.veles.znicz.decision;

import io.veles.config.ConfigException;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Bool;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import io.veles.znicz.loader.FullBatchLoader;
import io.veles.znicz.nn.LearningRate;

import java.util.Locale;

/**
 * Decides how training goes, minibatch by minibatch: it counts validation errors and training
 * loss, and at the end of each epoch records the validation error, whether it improved on the
 * best so far (and the best's epoch), moves the learning rate on, names the next snapshot after
 * the epoch and the error, and completes the run after {@code max_epochs} epochs or
 * {@code fail_iterations} epochs without improvement.
 *
 * <p>Its cells gate the rest: {@link #gradientSkip} is set on validation minibatches, so that
 * gradient descent learns from training ones only; {@link #improved} can gate the snapshotter.
 */
public final class Decision extends Unit {
    private int maxEpochs;
    private int failIterations;
    private final Snapshotter snapshotter;
    private final LearningRate learningRate;
    public final Bool complete = new Bool(false);
    public final Bool improved = new Bool(false);
    public final Bool gradientSkip = new Bool(false);

    // Linked from the loader and the evaluator.
    int minibatchSet;
    int minibatchCount;
    boolean lastOfSet;
    double loss;
    int errors;

    private int epoch;
    private int validationErrors;
    private int validationSamples;
    private double trainingLoss;
    private int trainingSamples;
    private double validationError = 1;
    private int testErrors;
    private int testSamples;
    private double testError = Double.NaN;
    private double bestValidationError = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int epochsWithoutImprovement;
    /**
     * {@link #epochsWithoutImprovement} as the last epoch's end saw it: the count moves when
     * validation ends, mid-epoch, but completes the run only at the epoch's end. -1 in a snapshot
     * taken before this field was (the count itself is used then).
     */
    private int withoutImprovementAtEpochEnd = -1;

    private double lastTrainingLoss;

    public Decision(
            Workflow workflow, int maxEpochs, int failIterations, Snapshotter snapshotter, LearningRate learningRate) {
        super(workflow, "decision");
        checkLimits(maxEpochs, failIterations);
        this.maxEpochs = maxEpochs;
        this.failIterations = failIterations;
        this.snapshotter = snapshotter;
        this.learningRate = learningRate;
    }

    @Override
    public void run() {
        if (minibatchSet == FullBatchLoader.TEST) {
            gradientSkip.set(true);
            testErrors += errors;
            testSamples += minibatchCount;
            if (lastOfSet) {
                testError = (double) testErrors / testSamples;
                testErrors = 0;
                testSamples = 0;
            }
        } else if (minibatchSet == FullBatchLoader.VALIDATION) {
            gradientSkip.set(true);
            validationErrors += errors;
            validationSamples += minibatchCount;
            if (lastOfSet) {
                endValidation();
            }
        } else {
            gradientSkip.set(false);
            trainingLoss += loss;
            trainingSamples += minibatchCount;
            if (lastOfSet) {
                endEpoch();
            }
        }
    }

    private void endValidation() {
        validationError = (double) validationErrors / validationSamples;
        validationErrors = 0;
        validationSamples = 0;
        boolean better = validationError < bestValidationError;
        improved.set(better);
        if (better) {
            bestValidationError = validationError;
            bestEpoch = epoch + 1;
            epochsWithoutImprovement = 0;
        } else {
            epochsWithoutImprovement++;
        }
    }

    /**
     * Changes the limits of a resumed run (to train longer, or stop sooner), and whether the run
     * is complete by them, as if they had been set from the start.
     */
    public void limits(int newMaxEpochs, int newFailIterations) {
        checkLimits(newMaxEpochs, newFailIterations);
        this.maxEpochs = newMaxEpochs;
        this.failIterations = newFailIterations;
        // as the last epoch's end decided it: a resume mid-epoch ends where the epoch does
        int withoutImprovement =
                withoutImprovementAtEpochEnd >= 0 ? withoutImprovementAtEpochEnd : epochsWithoutImprovement;
        complete.set(atEpochEnd() && (epoch >= maxEpochs || withoutImprovement >= failIterations));
    }

    /**
     * Whether this decision's last run ended an epoch (and nothing has run it since): limits given
     * mid-epoch, even ones the epochs done already reach, complete the run at the epoch's end.
     */
    public boolean atEpochEnd() {
        return minibatchSet == FullBatchLoader.TRAINING && lastOfSet;
    }

    /** A run of no epoch, or one that gives up before its first, is a typing error: refused. */
    private static void checkLimits(int maxEpochs, int failIterations) {
        if (maxEpochs < 1) {
            throw new ConfigException("decision.max_epochs: must be at least 1, got " + maxEpochs);
        }
        if (failIterations < 1) {
            throw new ConfigException("decision.fail_iterations: must be at least 1, got " + failIterations);
        }
    }

    public int maxEpochs() {
        return maxEpochs;
    }

    public int failIterations() {
        return failIterations;
    }

    private void endEpoch() {
        epoch++;
        lastTrainingLoss = trainingLoss / trainingSamples;
        trainingLoss = 0;
        trainingSamples = 0;
        learningRate.advance();
        withoutImprovementAtEpochEnd = epochsWithoutImprovement;
        complete.set(epoch >= maxEpochs || epochsWithoutImprovement >= failIterations);
        if (snapshotter != null) {
            snapshotter.suffix(String.format(Locale.ROOT, "%d_%.2f", epoch, validationError * 100));
            snapshotter.info().put("epoch", epoch);
            snapshotter.info().put("validation_error", validationError);
        }
    }

    public int epoch() {
        return epoch;
    }

    public double validationError() {
        return validationError;
    }

    public double bestValidationError() {
        return bestValidationError;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    /** The test set's error in the last epoch, or NaN without a test set. */
    public double testError() {
        return testError;
    }

    public double lastTrainingLoss() {
        return lastTrainingLoss;
    }
}
