package io.veles.bench.snapshot;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark workloads of issue 6. W1: 20 units whose float32 arrays of N(0, 0.05) add up to
 * the requested size, with scalars, maps and cross-references. W2: 10,000 small units with
 * scalars, small collections and references to their neighbours. W3: W2's units in a chain of
 * 100,000, each linked to the next: a snapshot's cost per unit must not grow with the count, and
 * a chain this long must not overflow the stack.
 */
public final class Workloads {
    public static final int W1_UNITS = 20;
    public static final int W2_UNITS = 10_000;
    public static final int W3_UNITS = 100_000;

    private Workloads() {}

    /** The weights of W1 unit {@code index}: reproducible, so that the anchors get the same bytes. */
    static float[] weights(long totalBytes, int index) {
        int elements = (int) (totalBytes / 4 / W1_UNITS);
        float[] values = new float[elements];
        SplittableRandom random = new SplittableRandom(1000 + index);
        for (int i = 0; i < elements; i += 2) {
            // Box-Muller: two normal values per pair of uniforms
            double u = 1.0 - random.nextDouble();
            double v = random.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u)) * 0.05;
            values[i] = (float) (r * Math.cos(2 * Math.PI * v));
            if (i + 1 < elements) {
                values[i + 1] = (float) (r * Math.sin(2 * Math.PI * v));
            }
        }
        return values;
    }

    /** Whether {@code values} are W1 unit {@code index}'s weights, checked without a second copy. */
    static boolean matches(float[] values, long totalBytes, int index) {
        int elements = (int) (totalBytes / 4 / W1_UNITS);
        if (values.length != elements) {
            return false;
        }
        SplittableRandom random = new SplittableRandom(1000 + index);
        for (int i = 0; i < elements; i += 2) {
            double u = 1.0 - random.nextDouble();
            double v = random.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u)) * 0.05;
            if (values[i] != (float) (r * Math.cos(2 * Math.PI * v))
                    || i + 1 < elements && values[i + 1] != (float) (r * Math.sin(2 * Math.PI * v))) {
                return false;
            }
        }
        return true;
    }

    /** W1's arrays as raw little-endian float32, one after the other: what the anchors compress. */
    static long writeRaw(long totalBytes, Path file) throws IOException {
        long written = 0;
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int unit = 0; unit < W1_UNITS; unit++) {
                float[] values = weights(totalBytes, unit);
                for (int from = 0; from < values.length; ) {
                    buffer.clear();
                    int n = Math.min(values.length - from, buffer.capacity() / 4);
                    buffer.asFloatBuffer().put(values, from, n);
                    buffer.limit(n * 4);
                    while (buffer.hasRemaining()) {
                        written += channel.write(buffer);
                    }
                    from += n;
                }
            }
            channel.force(true);
        }
        return written;
    }

    /** A layer of W1. */
    public static final class Layer extends Unit {
        float[] weights;
        double learningRate = 0.01;
        long updates;
        final Map<String, Object> config = new HashMap<>();
        Layer previous;

        Layer(Workflow workflow, int index, long totalBytes) {
            super(workflow, "layer" + index);
            weights = weights(totalBytes, index);
            config.put("index", index);
            config.put("activation", index % 2 == 0 ? "tanh" : "relu");
            config.put("shape", List.of(weights.length));
        }

        @Override
        public void run() {
            updates++;
        }
    }

    public static final class W1 extends Workflow {
        final List<Layer> layers = new ArrayList<>();

        public W1(long totalBytes) {
            super("w1");
            Layer previous = null;
            for (int i = 0; i < W1_UNITS; i++) {
                Layer layer = new Layer(this, i, totalBytes);
                layer.previous = previous; // cross-references
                layers.add(layer);
                previous = layer;
            }
        }

        long stateBytes() {
            return layers.stream().mapToLong(layer -> layer.weights.length * 4L).sum();
        }
    }

    /** A small unit of W2. */
    public static final class Small extends Unit {
        int count;
        double value;
        String label;
        final List<Integer> history = new ArrayList<>();
        final Map<String, Double> stats = new HashMap<>();
        Small neighbour;

        Small(Workflow workflow, int index) {
            super(workflow, "unit" + index);
            count = index;
            value = index * 0.5;
            label = "u" + index;
            for (int i = 0; i < 4; i++) {
                history.add(index + i);
            }
            stats.put("mean", value);
            stats.put("max", value * 2);
        }

        @Override
        public void run() {
            count++;
        }
    }

    public static final class W2 extends Workflow {
        public W2() {
            super("w2");
            Small first = null;
            Small previous = null;
            for (int i = 0; i < W2_UNITS; i++) {
                Small unit = new Small(this, i);
                if (previous != null) {
                    unit.neighbour = previous;
                    unit.linkFrom(previous);
                } else {
                    first = unit;
                }
                previous = unit;
            }
            first.neighbour = previous; // a ring
        }
    }

    /** W3: {@code count} units of W2's kind, each linked to the next (its neighbour) and run after it. */
    public static final class Chain extends Workflow {
        public Chain(int count) {
            super("chain");
            Small previous = null;
            for (int i = 0; i < count; i++) {
                Small unit = new Small(this, i);
                if (previous != null) {
                    previous.neighbour = unit;
                    unit.linkFrom(previous);
                }
                previous = unit;
            }
        }
    }

    /**
     * W2 as plain serializable objects, for the JDK serialization anchor: the objects and fields
     * our snapshot of W2 writes, mirrored class by class (a unit's name, workflow, control links,
     * attribute links and gates; the workflow's unit list, end points and generator), so that
     * both sides do the same work. {@code W2MirrorTest} walks both graphs whole and compares them.
     * The mirrored unit's constructor repeats {@link Small}'s on purpose: the two must stay equal,
     * and the test fails when they drift.
     */
    public static class JdkUnit implements Serializable {
        private static final long serialVersionUID = 1L;
        String name;
        JdkWorkflow workflow;
        final LinkedHashMap<JdkUnit, Boolean> linksFrom = new LinkedHashMap<>();
        final ArrayList<JdkUnit> linksTo = new ArrayList<>();
        final ArrayList<Object> attributeLinks = new ArrayList<>();
        JdkBool gateBlock = new JdkBool();
        JdkBool gateSkip = new JdkBool();

        JdkUnit(JdkWorkflow workflow, String name) {
            this.workflow = workflow;
            this.name = name;
            if (workflow != null) {
                workflow.units.add(this);
            }
        }

        void linkFrom(JdkUnit source) {
            linksFrom.put(source, Boolean.FALSE);
            source.linksTo.add(this);
        }
    }

    /** Mirrors {@link io.veles.workflow.Bool}: a gate holding a value. */
    public static final class JdkBool implements Serializable {
        private static final long serialVersionUID = 1L;

        enum Op {
            VALUE,
            NOT,
            AND,
            OR
        }

        final Op op = Op.VALUE;
        final JdkBool left = null;
        final JdkBool right = null;
        boolean value;
    }

    /** Mirrors {@link io.veles.random.Prng}: its seed and the generator's saved state, as many bytes. */
    public static final class JdkPrng implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final int STATE_BYTES = new io.veles.random.Prng(io.veles.random.Prng.DEFAULT_SEED)
                        .position()
                        .length()
                / 2; // hex
        long seed = io.veles.random.Prng.DEFAULT_SEED;
        final byte[] generatorState = new byte[STATE_BYTES];
    }

    /** Mirrors {@link Workflow}'s captured fields. */
    public static final class JdkWorkflow extends JdkUnit {
        private static final long serialVersionUID = 1L;
        final ArrayList<JdkUnit> units = new ArrayList<>();
        final JdkUnit startPoint;
        final JdkUnit endPoint;
        JdkPrng random = new JdkPrng();
        final ArrayDeque<JdkUnit> ready = new ArrayDeque<>();
        JdkUnit running;
        boolean finished;

        JdkWorkflow(String name) {
            super(null, name);
            startPoint = new JdkUnit(this, "start"); // as StartPoint and EndPoint name themselves
            endPoint = new JdkUnit(this, "end");
        }
    }

    /** Mirrors {@link Small}. */
    public static final class JdkSmall extends JdkUnit {
        private static final long serialVersionUID = 1L;
        int count;
        double value;
        String label;
        final List<Integer> history = new ArrayList<>();
        final Map<String, Double> stats = new HashMap<>();
        JdkSmall neighbour;

        JdkSmall(JdkWorkflow workflow, int index) {
            super(workflow, "unit" + index);
            count = index;
            value = index * 0.5;
            label = "u" + index;
            for (int i = 0; i < 4; i++) {
                history.add(index + i);
            }
            stats.put("mean", value);
            stats.put("max", value * 2);
        }
    }

    /** {@link W2}, mirrored: the same ring of units, each linked from the one before. */
    static JdkWorkflow jdkW2() {
        JdkWorkflow workflow = new JdkWorkflow("w2");
        JdkSmall first = null;
        JdkSmall previous = null;
        for (int i = 0; i < W2_UNITS; i++) {
            JdkSmall unit = new JdkSmall(workflow, i);
            if (previous != null) {
                unit.neighbour = previous;
                unit.linkFrom(previous);
            } else {
                first = unit;
            }
            previous = unit;
        }
        first.neighbour = previous; // a ring
        return workflow;
    }
}
