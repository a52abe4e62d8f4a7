package io.veles.znicz.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.workflow.Workflow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backpropagation checked against finite differences: for a hidden layer of each activation
 * under a softmax layer and the evaluator, every analytic gradient (weights and biases of both
 * layers) matches (L(w+ε) − L(w−ε)) / 2ε of the mean cross-entropy.
 */
class GradientCheckTest {
    private static final int BATCH = 4;
    private static final int INPUTS = 5;
    private static final int HIDDEN = 6;
    private static final int CLASSES = 3;

    private final Workflow workflow = new Workflow("check");
    private FullyConnected hidden;
    private FullyConnected softmax;
    private SoftmaxEvaluator evaluator;

    private double loss() {
        hidden.run();
        softmax.input = hidden.output;
        softmax.run();
        evaluator.probabilities = softmax.output;
        evaluator.run();
        return evaluator.loss / BATCH;
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    void analyticGradientsMatchFiniteDifferences(Activation activation) {
        workflow.random().reseed(11);
        hidden = new FullyConnected(workflow, "hidden", INPUTS, HIDDEN, activation, BATCH);
        softmax = new FullyConnected(workflow, "softmax", HIDDEN, CLASSES, Activation.SOFTMAX, BATCH);
        evaluator = new SoftmaxEvaluator(workflow, CLASSES, BATCH);
        LearningRate rate = new LearningRate(0.1, 1);
        GradientDescent softmaxDescent = new GradientDescent(workflow, softmax, rate, 0, 0, BATCH);
        GradientDescent hiddenDescent = new GradientDescent(workflow, hidden, rate, 0, 0, BATCH);
        workflow.initialize();
        hidden.input = new float[BATCH * INPUTS];
        workflow.random().fillGaussian(hidden.input, 0, 1);
        workflow.random().fillGaussian(hidden.bias, 0, 0.3); // so that relu units are not all at 0
        hidden.batch = softmax.batch = evaluator.batch = BATCH;
        evaluator.labels = new int[] {0, 2, 1, 2};

        loss();
        softmaxDescent.errOutput = evaluator.errOutput;
        softmaxDescent.computeGradients();
        hiddenDescent.errOutput = softmaxDescent.errInput;
        hiddenDescent.computeGradients();

        assertMatches(hidden.weights, hiddenDescent.weightGradient(), activation + " hidden weights");
        assertMatches(hidden.bias, hiddenDescent.biasGradient(), activation + " hidden bias");
        assertMatches(softmax.weights, softmaxDescent.weightGradient(), "softmax weights");
        assertMatches(softmax.bias, softmaxDescent.biasGradient(), "softmax bias");
    }

    private void assertMatches(float[] parameters, float[] analytic, String what) {
        float epsilon = 1e-2f;
        for (int k = 0; k < parameters.length; k++) {
            float original = parameters[k];
            parameters[k] = original + epsilon;
            double plus = loss();
            parameters[k] = original - epsilon;
            double minus = loss();
            parameters[k] = original;
            double numeric = (plus - minus) / (2 * epsilon);
            assertThat(analytic[k])
                    .as("%s[%d]", what, k)
                    .isCloseTo((float) numeric, org.assertj.core.data.Offset.offset((float)
                            (2e-3 + 2e-2 * Math.abs(numeric))));
        }
    }
}
