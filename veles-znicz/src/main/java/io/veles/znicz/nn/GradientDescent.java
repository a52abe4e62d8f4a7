package io.veles.znicz.nn;

import io.veles.workflow.ArrayShape;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * Backpropagation and SGD with momentum and weight decay for one fully connected layer. From the
 * gradient at the layer's output ({@code errOutput}, linked from the evaluator or the next
 * layer's unit) it computes the gradient at its input ({@code errInput}, for the previous
 * layer's unit), then updates the weights:
 * {@code v = momentum·v − rate·(∂L/∂w + decay·w); w += v}. The velocities are state: a resumed
 * run continues with them.
 */
public final class GradientDescent extends Unit {
    final FullyConnected layer;
    final LearningRate learningRate;
    final double momentum;
    final double weightDecay;
    /** Samples × outputs (linked). */
    float[] errOutput;
    /** Samples × inputs; empty when nothing before the layer trains (see {@link #propagates}). */
    float[] errInput;
    /** Laid out as the layer's weights: stored inputs × outputs, exported outputs × inputs. */
    @ArrayShape(
            value = {"layer.outputs", "layer.inputs"},
            storedTransposed = true)
    float[] weightVelocity;

    @ArrayShape("layer.outputs")
    float[] biasVelocity;

    private transient float[] delta_;
    private transient float[] weightGradient_;
    private transient float[] biasGradient_;

    public GradientDescent(
            Workflow workflow,
            FullyConnected layer,
            LearningRate learningRate,
            double momentum,
            double weightDecay,
            int maxBatch) {
        this(workflow, layer, learningRate, momentum, weightDecay, maxBatch, true);
    }

    /**
     * With {@code propagates} false, the gradient at the layer's input is neither computed nor
     * kept: for the first trainable layer after frozen ones, where nothing would read it.
     */
    public GradientDescent(
            Workflow workflow,
            FullyConnected layer,
            LearningRate learningRate,
            double momentum,
            double weightDecay,
            int maxBatch,
            boolean propagates) {
        super(workflow, "gd_" + layer.name());
        this.layer = layer;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.errInput = new float[propagates ? maxBatch * layer.inputs : 0];
        this.weightVelocity = new float[layer.weights.length];
        this.biasVelocity = new float[layer.bias.length];
    }

    @Override
    protected void initUnpickled() {
        super.initUnpickled();
        delta_ = new float[layer.output.length]; // samples × outputs, for the largest minibatch
        weightGradient_ = new float[layer.weights.length];
        biasGradient_ = new float[layer.bias.length];
    }

    @Override
    public void run() {
        computeGradients();
        update();
    }

    /**
     * Fills the weight and bias gradients of the minibatch's loss and the gradient at the layer's
     * input, from {@code errOutput}; changes no weight.
     */
    void computeGradients() {
        int batch = layer.batch;
        int inputs = layer.inputs;
        int outputs = layer.outputs;
        for (int k = 0; k < batch * outputs; k++) {
            delta_[k] = errOutput[k] * layer.activation.derivative(layer.output[k]);
        }
        java.util.Arrays.fill(weightGradient_, 0);
        java.util.Arrays.fill(biasGradient_, 0);
        for (int s = 0; s < batch; s++) {
            int in = s * inputs;
            int out = s * outputs;
            for (int o = 0; o < outputs; o++) {
                biasGradient_[o] += delta_[out + o];
            }
            for (int i = 0; i < inputs; i++) {
                float x = layer.input[in + i];
                int row = i * outputs;
                if (!propagates()) {
                    for (int o = 0; o < outputs; o++) {
                        weightGradient_[row + o] += x * delta_[out + o];
                    }
                    continue;
                }
                double back = 0;
                for (int o = 0; o < outputs; o++) {
                    float d = delta_[out + o];
                    weightGradient_[row + o] += x * d;
                    back += d * layer.weights[row + o];
                }
                errInput[in + i] = (float) back;
            }
        }
    }

    private void update() {
        float rate = (float) learningRate.current();
        float m = (float) momentum;
        float decay = (float) weightDecay;
        float[] weights = layer.weights;
        for (int k = 0; k < weights.length; k++) {
            weightVelocity[k] = m * weightVelocity[k] - rate * (weightGradient_[k] + decay * weights[k]);
            weights[k] += weightVelocity[k];
        }
        float[] bias = layer.bias;
        for (int o = 0; o < bias.length; o++) {
            biasVelocity[o] = m * biasVelocity[o] - rate * biasGradient_[o];
            bias[o] += biasVelocity[o];
        }
    }

    /** Whether the gradient at the layer's input is computed, for the unit of the layer before. */
    public boolean propagates() {
        return errInput.length > 0;
    }

    float[] weightGradient() {
        return weightGradient_;
    }

    float[] biasGradient() {
        return biasGradient_;
    }
}
