package io.veles.fuzz;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/** A workflow that carries one generated object graph, for {@link HostileGraphFuzzTest}. */
public final class GraphWorkflow extends Workflow {
    final Carrier carrier;

    public GraphWorkflow() {
        super("graph");
        carrier = new Carrier(this);
        carrier.linkFrom(startPoint());
        endPoint().linkFrom(carrier);
    }

    /** Holds the generated graph. */
    static final class Carrier extends Unit {
        Object cargo;

        Carrier(Workflow workflow) {
            super(workflow, "carrier");
        }

        @Override
        public void run() {}
    }

    /** A record node: records hash their components, so as keys they reach the hashing checks. */
    record Pair(Object left, Object right) {}
}
