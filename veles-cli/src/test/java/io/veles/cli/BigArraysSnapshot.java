package io.veles.cli;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.workflow.ArrayShape;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a snapshot of {@code BYTES} of float arrays for the big export test, run in its own JVM
 * with a heap large enough to hold them: {@code java BigArraysSnapshot FILE BYTES}. Array {@code k}
 * (exported as {@code arrays.blocks.k})
 * holds {@code (i * 31 + k) % 65521} at index {@code i}, which the Python reader recomputes. Besides
 * them, {@code arrays.weights}, stored {@value #INPUTS} × {@value #OUTPUTS} as a fully connected
 * layer keeps it and exported transposed: element {@code [o, i]} is {@code (i * 131 + o * 7) % 65521}.
 */
public final class BigArraysSnapshot {
    /** Many arrays rather than four of 1 GiB: the writing JVM's heap need not find 1 GiB in one piece. */
    static final int ARRAYS = 16;
    /** The transposed matrix's stored rows and columns: not powers of two, so the transpose's last tile is short. */
    static final int INPUTS = 6000;

    static final int OUTPUTS = 5000;

    private BigArraysSnapshot() {}

    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[1]);
        int length = (int) (bytes / ARRAYS / Float.BYTES);
        BigWorkflow workflow = new BigWorkflow(length);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[0])), 1 << 20)) {
            SnapshotWriter.write(workflow, new Manifest(), Codec.NONE, -1, out);
        }
        System.out.println("written " + length + " floats x " + ARRAYS);
    }

    /** One unit with the arrays. */
    public static final class BigWorkflow extends Workflow {
        final Arrays arrays;

        BigWorkflow(int length) {
            super("big");
            arrays = new Arrays(this, length);
        }
    }

    /** The arrays. */
    public static final class Arrays extends Unit {
        float[][] blocks = new float[ARRAYS][];
        final int inputs = INPUTS;
        final int outputs = OUTPUTS;

        @ArrayShape(
                value = {"outputs", "inputs"},
                storedTransposed = true)
        float[] weights = new float[INPUTS * OUTPUTS];

        Arrays(Workflow workflow, int length) {
            super(workflow, "arrays");
            for (int k = 0; k < ARRAYS; k++) {
                blocks[k] = pattern(length, k);
            }
            for (int i = 0; i < INPUTS; i++) {
                for (int o = 0; o < OUTPUTS; o++) {
                    weights[i * OUTPUTS + o] = (float) (((long) i * 131 + o * 7) % 65521);
                }
            }
        }

        private static float[] pattern(int length, int k) {
            float[] values = new float[length];
            for (int i = 0; i < length; i++) {
                values[i] = (float) (((long) i * 31 + k) % 65521);
            }
            return values;
        }

        @Override
        public void run() {}
    }
}
