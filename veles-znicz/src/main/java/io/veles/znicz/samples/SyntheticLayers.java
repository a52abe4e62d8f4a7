package io.veles.znicz.samples;

import io.veles.config.Config;
import io.veles.config.ConfigException;

/**
 * The synthetic sample's {@code layers} setting, sized from {@code model_mb} and
 * {@code frozen_fraction}. Without a frozen part: one hidden layer of 32, or as wide as makes the
 * weights about {@code model_mb} MiB. With one: two frozen layers holding that share of the
 * trained state (weights, and gradient descent's velocities), then a trainable layer and the
 * softmax output holding the rest.
 */
final class SyntheticLayers {
    private static final int DEFAULT_HIDDEN = 32;

    private SyntheticLayers() {}

    static String of(Config config, int features, int classes) {
        double frozenFraction = config.getDouble("frozen_fraction", 0);
        if (!(frozenFraction >= 0 && frozenFraction < 1)) {
            throw new ConfigException("frozen_fraction: must be at least 0 and less than 1, got " + frozenFraction);
        }
        // the weights' floats: features × hidden + hidden × classes, as without a frozen part
        double floats = (double) DEFAULT_HIDDEN * (features + classes);
        if (config.has("model_mb")) {
            double megabytes = config.getDouble("model_mb", 1);
            if (!(megabytes > 0)) {
                throw new ConfigException("model_mb: must be more than 0, got " + megabytes);
            }
            floats = megabytes * (1 << 20) / Float.BYTES;
        }
        if (frozenFraction == 0) {
            return widest(floats / (features + classes), Math.max(features, classes)) + ":tanh";
        }
        // Frozen: features × wide and wide × wide, two square-ish layers whose outputs stay small (a
        // wide first layer alone would keep batch × width activations, which change every step).
        // Trainable: wide × narrow + narrow × classes, and gradient descent keeps as much again
        // (its velocities); so the fraction is of the trained state, weights and optimizer alike.
        double frozen = frozenFraction * floats;
        int wide =
                widest((-features + Math.sqrt((double) features * features + 4 * frozen)) / 2, Math.max(features, 1));
        double trainable = (1 - frozenFraction) * floats / 2;
        int narrow = widest(trainable / (wide + classes), Math.max(wide, classes));
        return wide + ":tanh:frozen," + wide + ":tanh:frozen," + narrow + ":tanh";
    }

    /** At least 1 and small enough that a weight array of {@code width × other} fits a Java array. */
    private static int widest(double width, int other) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / other - 1, width));
    }
}
