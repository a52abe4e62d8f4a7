package io.veles.testing.golden;

import io.veles.workflow.Unit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The state of a {@link GoldenWorkflow} as one text, and its digest. Written out field by field
 * rather than by reflection, so that a field the engine's own classes gain later does not change
 * the digest of a correctly restored golden snapshot; floats go in as their bits.
 */
public final class GoldenState {
    private GoldenState() {}

    /** "sha256:" and the hex SHA-256 of {@link #describe}. */
    public static String digest(GoldenWorkflow workflow) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(describe(workflow).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every piece of the golden state, one per line, in a fixed order. */
    public static String describe(GoldenWorkflow workflow) {
        StringBuilder text = new StringBuilder();
        line(text, "workflow", workflow.name() + " finished=" + workflow.isFinished());
        line(text, "random", workflow.random().seed() + " " + workflow.random().position());
        for (Unit unit : workflow.allUnits()) {
            line(text, "unit " + unit.name(), unit.getClass().getName() + " after " + names(unit.linkedFrom()));
        }
        GoldenWorkflow.Draw draw = workflow.draw;
        line(text, "draw.samples", floatBits(draw.samples));
        line(text, "draw.steps", Arrays.toString(draw.steps));
        line(text, "draw.flags", Arrays.toString(draw.flags));
        GoldenWorkflow.Keep keep = workflow.keep;
        line(text, "keep.done", String.valueOf(keep.done.get()));
        line(text, "keep.samples is draw.samples", String.valueOf(keep.samples == draw.samples));
        line(
                text,
                "keep.scalars",
                keep.iteration + " " + Double.doubleToLongBits(keep.total) + " " + keep.positive + " "
                        + (int) keep.grade + " " + keep.small + " " + keep.boxed + " " + keep.text);
        line(text, "keep.phase", keep.phase.name());
        line(text, "keep.setting", keep.setting.rate() + " " + keep.setting.name());
        line(text, "keep.log", String.join(" | ", keep.log));
        line(text, "keep.counts", keep.counts.toString());
        for (Map.Entry<Integer, long[]> entry : keep.byIteration.entrySet()) {
            line(text, "keep.byIteration " + entry.getKey(), Arrays.toString(entry.getValue()));
        }
        GoldenWorkflow.Node ring = keep.ring;
        line(text, "keep.ring", ring.name + " " + ring.visits + " → " + ring.next.name + " " + ring.next.visits);
        line(text, "keep.ring is a cycle", String.valueOf(ring.next.next == ring));
        line(
                text,
                "keep.nodes are the ring's",
                String.valueOf(keep.nodes.size() == 2 && keep.nodes.get(0) == ring && keep.nodes.get(1) == ring.next));
        return text.toString();
    }

    private static void line(StringBuilder text, String what, String value) {
        text.append(what).append(": ").append(value).append('\n');
    }

    private static String names(List<Unit> units) {
        StringBuilder names = new StringBuilder("[");
        for (Unit unit : units) {
            names.append(names.length() > 1 ? ", " : "").append(unit.name());
        }
        return names.append(']').toString();
    }

    private static String floatBits(float[] values) {
        StringBuilder bits = new StringBuilder();
        for (float value : values) {
            bits.append(Integer.toHexString(Float.floatToRawIntBits(value))).append(' ');
        }
        return bits.toString();
    }
}
