package io.veles.znicz.loader;

import io.veles.config.ConfigException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Where a loader's samples come from: a CSV file (a class path resource or a path) or a
 * generator. A source is small, captured state; the samples it makes are not captured, since
 * they are rebuilt exactly from the source after a restore. The validation split comes from a
 * fixed seed, so it is the same every time the data is loaded.
 */
public abstract class DataSource {
    final double validationRatio;
    final long splitSeed;
    private double testRatio;

    DataSource(double validationRatio, long splitSeed) {
        if (!(validationRatio > 0 && validationRatio < 1)) {
            throw new ConfigException("loader.validation_ratio: must be between 0 and 1, got " + validationRatio);
        }
        this.validationRatio = validationRatio;
        this.splitSeed = splitSeed;
    }

    /** This source with a share of the samples set aside as a test set ({@code loader.test_ratio}). */
    public DataSource withTestRatio(double ratio) {
        if (!(ratio >= 0 && ratio + validationRatio < 1)) {
            throw new ConfigException(
                    "loader.test_ratio: must be 0 or more and leave samples to train on, got " + ratio);
        }
        this.testRatio = ratio;
        return this;
    }

    /** Reads or makes the samples. */
    public abstract Dataset load();

    Dataset split(float[] features, int[] labels, int width, int classes) {
        int[] order = new int[labels.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(splitSeed); // fixed: the split must not depend on the run
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int test = (int) Math.round(labels.length * testRatio);
        int validation = Math.max(1, (int) Math.round(labels.length * validationRatio));
        return new Dataset(features, labels, width, classes, order, test, validation);
    }

    /**
     * A CSV file: an optional header, then rows of features ending with an integer class. The
     * validation rows are drawn with {@code splitSeed}.
     */
    public static DataSource csv(String location, double validationRatio, long splitSeed) {
        return new Csv(location, validationRatio, splitSeed);
    }

    /** Gaussian clusters around random centres, one per class: learnable, of any size. */
    public static DataSource generated(
            int samples, int width, int classes, double spread, long seed, double validationRatio) {
        return new Generated(samples, width, classes, spread, seed, validationRatio);
    }

    static final class Csv extends DataSource {
        private final String location;

        Csv(String location, double validationRatio, long splitSeed) {
            super(validationRatio, splitSeed);
            this.location = location;
        }

        @Override
        public Dataset load() {
            List<float[]> rows = new ArrayList<>();
            int width = -1;
            try (InputStream in = open();
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    if (line.isBlank() || (number == 1 && line.matches(".*[A-Za-z].*"))) {
                        continue; // the header
                    }
                    String[] cells = line.split(",");
                    if (width < 0) {
                        width = cells.length - 1;
                    } else if (cells.length - 1 != width) {
                        throw new ConfigException(
                                location + ":" + number + ": " + cells.length + " columns, expected " + (width + 1));
                    }
                    float[] row = new float[cells.length];
                    for (int c = 0; c < cells.length; c++) {
                        row[c] = Float.parseFloat(cells[c].trim());
                    }
                    rows.add(row);
                }
            } catch (IOException | NumberFormatException e) {
                throw new ConfigException("cannot read " + location + ": " + e.getMessage());
            }
            if (rows.isEmpty()) {
                throw new ConfigException(location + " holds no samples");
            }
            float[] features = new float[rows.size() * width];
            int[] labels = new int[rows.size()];
            int classes = 0;
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, features, r * width, width);
                labels[r] = (int) rows.get(r)[width];
                classes = Math.max(classes, labels[r] + 1);
            }
            return split(features, labels, width, classes);
        }

        private InputStream open() throws IOException {
            InputStream resource = DataSource.class.getResourceAsStream(location);
            if (resource != null) {
                return resource;
            }
            return java.nio.file.Files.newInputStream(java.nio.file.Path.of(location));
        }
    }

    static final class Generated extends DataSource {
        private final int samples;
        private final int width;
        private final int classes;
        private final double spread;
        private final long seed;

        Generated(int samples, int width, int classes, double spread, long seed, double validationRatio) {
            super(validationRatio, seed + 1);
            this.samples = samples;
            this.width = width;
            this.classes = classes;
            this.spread = spread;
            this.seed = seed;
        }

        @Override
        public Dataset load() {
            Random random = new Random(seed);
            double[][] centres = new double[classes][width];
            for (double[] centre : centres) {
                for (int f = 0; f < width; f++) {
                    centre[f] = random.nextGaussian();
                }
            }
            float[] features = new float[samples * width];
            int[] labels = new int[samples];
            for (int s = 0; s < samples; s++) {
                labels[s] = s % classes;
                for (int f = 0; f < width; f++) {
                    features[s * width + f] = (float) (centres[labels[s]][f] + spread * random.nextGaussian());
                }
            }
            return split(features, labels, width, classes);
        }
    }
}
