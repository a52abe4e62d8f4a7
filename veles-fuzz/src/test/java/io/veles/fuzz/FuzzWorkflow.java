package io.veles.fuzz;

import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow with a bit of every kind of state (primitives, strings, arrays, collections, maps,
 * shared references, cycles, gates, the generator), so that the seed snapshots exercise every
 * reader path.
 */
public final class FuzzWorkflow extends Workflow {
    /** Every operation of the cells, over cells the units hold: format 4 writes each in a byte. */
    Bool cells;

    public FuzzWorkflow() {
        super("fuzz");
        Repeater repeater = new Repeater(this);
        Holder first = new Holder(this, "first");
        Holder second = new Holder(this, "second");
        first.partner = second;
        second.partner = first;
        second.weights = first.weights;
        repeater.linkFrom(startPoint());
        first.linkFrom(repeater);
        second.linkFrom(first).linkAttrs(first, "weights", "weights");
        repeater.linkFrom(second);
        endPoint().linkFrom(second).gateBlock(second.done.not());
        cells = first.done.and(second.done).or(first.done.not());
    }

    static final class Holder extends Unit {
        int count;
        long total = 1L << 40;
        double rate = 0.125;
        String label = "ünïcode label";
        float[] weights = {1.5f, -2.25f, 3};
        int[] order = {3, 1, 2};
        List<String> names = new ArrayList<>(List.of("a", "b"));
        Map<String, Object> table = new HashMap<>(Map.of("k", 1, "list", List.of(1, 2)));
        Holder partner;
        final Bool done = new Bool(false);

        Holder(Workflow workflow, String name) {
            super(workflow, name);
        }

        @Override
        public void run() {
            count++;
            weights[0] += random().nextFloat();
            done.set(count >= 2);
        }
    }
}
