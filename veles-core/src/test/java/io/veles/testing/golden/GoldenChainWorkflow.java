package io.veles.testing.golden;

import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fixed workflow that the golden differential chains under
 * {@code src/test/resources/golden/format-2} and {@code format-3} were taken of. NEVER CHANGE
 * THIS CLASS: those files
 * name it and its fields. A frozen table of 2 MiB that no run changes, a trained part of 64 KiB
 * that every run changes, and a count of runs.
 */
public final class GoldenChainWorkflow extends Workflow {
    public final Model model;

    public GoldenChainWorkflow() {
        super("golden_chain");
        Repeater repeater = new Repeater(this);
        model = new Model(this);
        repeater.linkFrom(startPoint());
        model.linkFrom(repeater);
        repeater.linkFrom(model);
        endPoint().linkFrom(model).gateBlock(model.pause.not());
    }

    /** The state: frozen, trained and counted. */
    public static final class Model extends Unit {
        final Bool pause = new Bool(true); // one run per call of run()
        float[] frozen = new float[1 << 19];
        float[] trained = new float[1 << 14];
        int runs;

        Model(Workflow workflow) {
            super(workflow, "model");
            for (int i = 0; i < frozen.length; i++) {
                frozen[i] = (float) Math.sin(i * 0.001) * (i % 7);
            }
        }

        @Override
        public void run() {
            runs++;
            for (int i = 0; i < trained.length; i++) {
                trained[i] = trained[i] * 0.5f + frozen[(i * 13 + runs) % frozen.length];
            }
        }
    }

    /** SHA-256 over the count and both arrays' bits: what a restore must give back. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * (model.frozen.length + model.trained.length));
            bytes.putInt(model.runs);
            for (float value : model.frozen) {
                bytes.putFloat(value);
            }
            for (float value : model.trained) {
                bytes.putFloat(value);
            }
            StringBuilder hex = new StringBuilder("sha256:");
            for (byte b : sha.digest(bytes.array())) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
