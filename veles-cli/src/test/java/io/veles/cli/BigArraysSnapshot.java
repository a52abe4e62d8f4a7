package io.veles.cli;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.file.SnapshotWriter;
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
 * holds {@code (i * 31 + k) % 65521} at index {@code i}, which the Python reader recomputes.
 */
public final class BigArraysSnapshot {
    /** Many arrays rather than four of 1 GiB: the writing JVM's heap need not find 1 GiB in one piece. */
    static final int ARRAYS = 16;

    private BigArraysSnapshot() {
    }

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

        Arrays(Workflow workflow, int length) {
            super(workflow, "arrays");
            for (int k = 0; k < ARRAYS; k++) {
                blocks[k] = pattern(length, k);
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
        public void run() {
        }
    }
}
