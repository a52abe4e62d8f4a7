package io.veles.znicz.samples;

import io.veles.config.Config;
import io.veles.config.ConfigException;

/**
 * The synthetic sample's {@code layers} setting, sized from {@code model_mb} and
 * {@code frozen_fraction}. Without a frozen part: one hidden layer of 32, or as wide as makes the
 * weights about {@code model_mb} MiB. With one: a wide frozen first layer holding that share of
 * the weights in one array, then a narrow trainable layer, then the softmax output.
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
        // frozen: features × wide; trainable: wide × narrow + narrow × classes. The frozen share is
        // about features / (features + narrow), so narrow follows from the fraction, wide from the size.
        // (capped so that, for a tiny fraction of a small model, one wide unit still fits the size)
        double narrowest =
                Math.min(features * (1 - frozenFraction) / frozenFraction, (floats - features) / (1 + classes));
        int narrow = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, Math.round(narrowest)));
        int wide = widest((floats - (double) narrow * classes) / (features + narrow), Math.max(features, narrow));
        return wide + ":tanh:frozen," + narrow + ":tanh";
    }

    /** At least 1 and small enough that a weight array of {@code width × other} fits a Java array. */
    private static int widest(double width, int other) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / other - 1, width));
    }
}
