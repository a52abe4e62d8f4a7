package com.example.app;

import io.veles.config.Config;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/** A workflow whose one unit fails an assertion, as a unit's own check may: an Error, not an exception. */
public final class FailingAssertWorkflow extends Workflow {
    public FailingAssertWorkflow(Config config) {
        super("asserting");
        Check check = new Check(this);
        check.linkFrom(startPoint());
        endPoint().linkFrom(check);
    }

    static final class Check extends Unit {
        Check(Workflow workflow) {
            super(workflow, "check");
        }

        @Override
        public void run() {
            throw new AssertionError("the weights went NaN");
        }
    }
}
