package io.veles.znicz.nn;

import io.veles.config.ConfigException;

import java.util.Locale;

/** What a fully connected layer applies to its weighted sums. */
public enum Activation {
    TANH,
    RELU,
    SIGMOID,
    LINEAR,
    /** Per sample, over the layer's outputs: the network's output for classification. */
    SOFTMAX;

    /** By name, as in a layer spec ("tanh", "relu", ...). */
    public static Activation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "unknown activation '" + name + "' (expected tanh, relu, sigmoid, linear or softmax)");
        }
    }

    /** Applies this activation in place to {@code values[offset .. offset+count)}. */
    void apply(float[] values, int offset, int count) {
        switch (this) {
            case TANH:
                for (int i = offset; i < offset + count; i++) values[i] = (float) Math.tanh(values[i]);
                break;
            case RELU:
                for (int i = offset; i < offset + count; i++) values[i] = Math.max(0f, values[i]);
                break;
            case SIGMOID:
                for (int i = offset; i < offset + count; i++) values[i] = (float) (1 / (1 + Math.exp(-values[i])));
                break;
            case SOFTMAX:
                float max = Float.NEGATIVE_INFINITY;
                for (int i = offset; i < offset + count; i++) max = Math.max(max, values[i]);
                double sum = 0;
                for (int i = offset; i < offset + count; i++) {
                    values[i] = (float) Math.exp(values[i] - max); // shifted: no overflow
                    sum += values[i];
                }
                for (int i = offset; i < offset + count; i++) values[i] = (float) (values[i] / sum);
                break;
            default:
                break;
        }
    }

    /**
     * The derivative at an output value {@code y} (all of these can be written in terms of their
     * output). Softmax is never differentiated here: the evaluator gives the gradient of the loss
     * with respect to its inputs directly.
     */
    float derivative(float y) {
        switch (this) {
            case TANH:
                return 1 - y * y;
            case RELU:
                return y > 0 ? 1 : 0;
            case SIGMOID:
                return y * (1 - y);
            default:
                return 1;
        }
    }
}
