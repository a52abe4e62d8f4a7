package io.veles.znicz.nn;

import io.veles.workflow.ArrayShape;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * A fully connected layer: {@code output = activation(input · weights + bias)} for each sample of
 * a minibatch. Weights are drawn from the workflow's captured generator the first time the layer
 * initialises (never again after a restore), with the Glorot/Xavier scale.
 */
public class FullyConnected extends Unit {
    final int inputs;
    final int outputs;
    final Activation activation;
    /**
     * Row-major, inputs × outputs, as {@link #run} reads it; exported outputs × inputs, the matrix
     * PyTorch's {@code Linear.weight} (and VELES) hold.
     */
    @ArrayShape(
            value = {"outputs", "inputs"},
            storedTransposed = true)
    float[] weights;

    @ArrayShape("outputs")
    float[] bias;
    /** The minibatch in (linked), samples × inputs. */
    float[] input;
    /** How many samples of the minibatch are real (linked; the last one can be short). */
    int batch;
    /** Samples × outputs, sized for the largest minibatch. */
    float[] output;

    private boolean weightsDrawn;

    public FullyConnected(
            Workflow workflow, String name, int inputs, int outputs, Activation activation, int maxBatch) {
        super(workflow, name);
        this.inputs = inputs;
        this.outputs = outputs;
        this.activation = activation;
        this.weights = new float[inputs * outputs];
        this.bias = new float[outputs];
        this.output = new float[maxBatch * outputs];
    }

    @Override
    public void initialize() {
        if (!weightsDrawn) {
            random().fillGaussian(weights, 0, Math.sqrt(2.0 / (inputs + outputs)));
            weightsDrawn = true;
        }
    }

    @Override
    public void run() {
        for (int s = 0; s < batch; s++) {
            int in = s * inputs;
            int out = s * outputs;
            for (int o = 0; o < outputs; o++) {
                output[out + o] = bias[o];
            }
            for (int i = 0; i < inputs; i++) {
                float x = input[in + i];
                if (x == 0) {
                    continue;
                }
                int row = i * outputs;
                for (int o = 0; o < outputs; o++) {
                    output[out + o] += x * weights[row + o];
                }
            }
            activation.apply(output, out, outputs);
        }
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return outputs;
    }

    public Activation activation() {
        return activation;
    }

    /** The weights, row-major inputs × outputs (live, not a copy). */
    public float[] weights() {
        return weights;
    }

    public float[] bias() {
        return bias;
    }

    public float[] output() {
        return output;
    }
}
