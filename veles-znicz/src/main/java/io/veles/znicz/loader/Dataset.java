package io.veles.znicz.loader;

/**
 * Samples in memory: features row-major (samples × features), normalised to zero mean and unit
 * variance over the training part, and one class label per sample. In {@link #order}, the first
 * {@code testSamples} rows are the test set, the next {@code validationSamples} the validation
 * set, the rest train.
 */
public final class Dataset {
    final float[] features;
    final int[] labels;
    final int samples;
    final int width;
    final int classes;
    /** A fixed permutation of the rows: validation rows first, then training rows. */
    final int[] order;

    final int testSamples;
    final int validationSamples;

    Dataset(
            float[] features,
            int[] labels,
            int width,
            int classes,
            int[] order,
            int testSamples,
            int validationSamples) {
        this.testSamples = testSamples;
        this.features = features;
        this.labels = labels;
        this.samples = labels.length;
        this.width = width;
        this.classes = classes;
        this.order = order;
        this.validationSamples = validationSamples;
        normalise();
    }

    public int samples() {
        return samples;
    }

    public int width() {
        return width;
    }

    public int classes() {
        return classes;
    }

    public int validationSamples() {
        return validationSamples;
    }

    public int testSamples() {
        return testSamples;
    }

    public int trainingSamples() {
        return samples - testSamples - validationSamples;
    }

    /** Where the training rows start in {@link #order}. */
    int trainingStart() {
        return testSamples + validationSamples;
    }

    /** Scales each feature by the training rows' mean and standard deviation. */
    private void normalise() {
        int training = trainingSamples();
        for (int f = 0; f < width; f++) {
            double sum = 0;
            double squares = 0;
            for (int k = trainingStart(); k < samples; k++) {
                double x = features[order[k] * width + f];
                sum += x;
                squares += x * x;
            }
            double mean = sum / training;
            double deviation = Math.sqrt(Math.max(squares / training - mean * mean, 1e-12));
            for (int row = 0; row < samples; row++) {
                features[row * width + f] = (float) ((features[row * width + f] - mean) / deviation);
            }
        }
    }
}
