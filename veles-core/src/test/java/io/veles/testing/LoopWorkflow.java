package io.veles.testing;

import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small loop with state in every kind of place, for resume tests:
 * start → repeater → draw → accumulate → capture → after → repeater; end when done.
 * {@code capture} takes an in-memory snapshot at one chosen iteration, mid-iteration.
 */
public final class LoopWorkflow extends Workflow {
    public final Draw draw;
    public final Accumulate accumulate;
    public final Capture capture;
    public final After after;

    public LoopWorkflow(int iterations, int size, int captureAt) {
        super("loop");
        Repeater repeater = new Repeater(this);
        draw = new Draw(this, size);
        accumulate = new Accumulate(this, size, iterations);
        capture = new Capture(this, captureAt);
        after = new After(this);
        repeater.linkFrom(startPoint());
        draw.linkFrom(repeater);
        accumulate.linkFrom(draw).linkAttrs(draw, "input", "values");
        capture.linkFrom(accumulate);
        after.linkFrom(capture).linkAttrs(accumulate, "sums", "sums");
        repeater.linkFrom(after);
        endPoint().linkFrom(accumulate).gateBlock(accumulate.done.not());
    }

    /** A text that differs if any state differs, bit for bit. */
    public String state() {
        return "iteration=" + accumulate.iteration + " sums=" + Arrays.toString(accumulate.sums)
                + " history=" + accumulate.history + " after=" + after.runs + " bits=" + Arrays.toString(after.bits)
                + " random=" + random().position() + " finished=" + isFinished();
    }

    public static final class Draw extends Unit {
        double[] values;

        Draw(Workflow workflow, int size) {
            super(workflow, "draw");
            values = new double[size];
        }

        @Override
        public void run() {
            for (int i = 0; i < values.length; i++) {
                values[i] = random().nextGaussian();
            }
        }
    }

    public static final class Accumulate extends Unit {
        final int iterations;
        final Bool done = new Bool(false);
        double[] input;
        double[] sums;
        int iteration;
        final List<Integer> history = new ArrayList<>();

        Accumulate(Workflow workflow, int size, int iterations) {
            super(workflow, "accumulate");
            this.iterations = iterations;
            sums = new double[size];
        }

        @Override
        public void run() {
            iteration++;
            for (int i = 0; i < sums.length; i++) {
                sums[i] += input[i];
            }
            history.add(random().nextInt(1000));
            done.set(iteration >= iterations);
        }
    }

    /** Takes an in-memory snapshot while it runs, at iteration {@code at}. */
    public static final class Capture extends Unit {
        final int at;
        int runs;
        public transient byte[] snapshot;

        Capture(Workflow workflow, int at) {
            super(workflow, "capture");
            this.at = at;
        }

        @Override
        public void run() {
            runs++;
            if (runs == at) {
                snapshot = RoundTrip.write(mainWorkflow());
            }
        }
    }

    /** Runs after the snapshot point: a resume must run it first. */
    public static final class After extends Unit {
        double[] sums;
        int runs;
        long[] bits = new long[1];

        After(Workflow workflow) {
            super(workflow, "after");
        }

        @Override
        public void run() {
            runs++;
            bits[0] = bits[0] * 31 + Double.doubleToLongBits(sums[0]);
        }
    }
}
