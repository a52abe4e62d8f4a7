package io.veles.testing.golden;

import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixed workflow that the golden snapshots under {@code src/test/resources/golden} were taken
 * of. NEVER CHANGE THIS PACKAGE: those files name these classes and fields, and every later build
 * must restore them to the same state ({@link GoldenState#digest}).
 *
 * <p>A loop of {@link #ITERATIONS} passes, start → repeater → draw → keep → repeater, with state
 * of every common kind: primitives, a float array large enough to be byte-shuffled, collections,
 * a record, an enum, a reference shared by two units (a data link), a cycle, and the workflow's
 * random generator part-way through its sequence.
 */
public final class GoldenWorkflow extends Workflow {
    public static final int ITERATIONS = 3;
    public final Draw draw;
    public final Keep keep;

    public GoldenWorkflow() {
        super("golden");
        Repeater repeater = new Repeater(this);
        draw = new Draw(this);
        keep = new Keep(this);
        repeater.linkFrom(startPoint());
        draw.linkFrom(repeater);
        keep.linkFrom(draw).linkAttrs(draw, "samples", "samples");
        repeater.linkFrom(keep);
        endPoint().linkFrom(keep).gateBlock(keep.done.not());
    }

    /** Draws random numbers into arrays. */
    public static final class Draw extends Unit {
        /** 6 KiB: above the 4 KiB from which numeric arrays are byte-shuffled. */
        float[] samples = new float[1536];

        long[] steps = new long[4];
        byte[] flags = new byte[16];

        Draw(Workflow workflow) {
            super(workflow, "draw");
        }

        @Override
        public void run() {
            random().fillGaussian(samples, 0.0, 1.0);
            steps[random().nextInt(steps.length)] += random().nextLong();
            flags[random().nextInt(flags.length)]++;
        }
    }

    /** Keeps what the loop saw, in collections, a record, an enum and a ring of two nodes. */
    public static final class Keep extends Unit {
        final Bool done = new Bool(false);
        /** Draw's array itself (a data link): one object referenced by two units. */
        float[] samples;

        int iteration;
        double total;
        boolean positive;
        char grade = 'a';
        short small = -3;
        Integer boxed = 42;
        String text = "golden";
        Phase phase = Phase.START;
        Setting setting = new Setting(7, "seven");
        final List<String> log = new ArrayList<>();
        final Map<String, Integer> counts = new LinkedHashMap<>();
        final TreeMap<Integer, long[]> byIteration = new TreeMap<>();
        /** A cycle: ring.next.next is ring. */
        final Node ring = Node.pair("left", "right");
        /** The ring's nodes again: shared with {@link #ring}. */
        final List<Node> nodes = new ArrayList<>(List.of(ring, ring.next));

        Keep(Workflow workflow) {
            super(workflow, "keep");
        }

        @Override
        public void run() {
            iteration++;
            double sum = 0;
            for (float sample : samples) {
                sum += sample;
            }
            total += sum;
            positive = total > 0;
            grade++;
            small *= 2;
            boxed += iteration;
            text = text + iteration;
            phase = iteration < ITERATIONS ? Phase.MIDDLE : Phase.END;
            setting = new Setting(setting.rate() + iteration, setting.name() + "+");
            log.add("iteration " + iteration + " sum " + sum);
            counts.merge(sum > 0 ? "positive" : "negative", 1, Integer::sum);
            byIteration.put(iteration, new long[] {Double.doubleToLongBits(sum), random().nextLong()});
            ring.visits += iteration;
            ring.next.visits -= iteration;
            done.set(iteration >= ITERATIONS);
        }
    }

    public enum Phase {
        START,
        MIDDLE,
        END
    }

    public record Setting(int rate, String name) {}

    /** A node of a ring. */
    public static final class Node {
        final String name;
        Node next;
        int visits;

        Node(String name) {
            this.name = name;
        }

        static Node pair(String first, String second) {
            Node a = new Node(first);
            Node b = new Node(second);
            a.next = b;
            b.next = a;
            return a;
        }
    }
}
