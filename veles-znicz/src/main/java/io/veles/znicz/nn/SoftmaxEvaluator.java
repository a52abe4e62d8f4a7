package io.veles.znicz.nn;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * Compares the softmax output with the labels: the minibatch's summed cross-entropy, its number
 * of misclassified samples, and the gradient of the mean cross-entropy with respect to the
 * softmax layer's inputs, {@code (probabilities - one_hot) / batch}.
 */
public final class SoftmaxEvaluator extends Unit {
    final int classes;
    /** Samples × classes (linked from the softmax layer). */
    float[] probabilities;

    int[] labels;
    int batch;
    /** Samples × classes: what gradient descent starts from. */
    float[] errOutput;

    double loss;
    int errors;

    public SoftmaxEvaluator(Workflow workflow, int classes, int maxBatch) {
        super(workflow, "evaluator");
        this.classes = classes;
        this.errOutput = new float[maxBatch * classes];
    }

    @Override
    public void run() {
        loss = 0;
        errors = 0;
        for (int s = 0; s < batch; s++) {
            int row = s * classes;
            int label = labels[s];
            int best = 0;
            for (int c = 0; c < classes; c++) {
                float p = probabilities[row + c];
                errOutput[row + c] = (p - (c == label ? 1 : 0)) / batch;
                if (p > probabilities[row + best]) {
                    best = c;
                }
            }
            loss -= Math.log(Math.max(probabilities[row + label], 1e-30));
            if (best != label) {
                errors++;
            }
        }
    }

    public double loss() {
        return loss;
    }

    public int errors() {
        return errors;
    }
}
