package com.example.app;

import io.veles.config.Config;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * A workflow whose one unit fails an assertion, as a unit's own check may (an Error, not an
 * exception), or with {@code initialiser=true} a class's static initialiser.
 */
public final class FailingAssertWorkflow extends Workflow {
    public FailingAssertWorkflow(Config config) {
        super("asserting");
        Check check = new Check(this);
        check.initialiser = config.getBoolean("initialiser", false);
        check.linkFrom(startPoint());
        endPoint().linkFrom(check);
    }

    static final class Check extends Unit {
        boolean initialiser; // fail in a class's static initialiser instead

        Check(Workflow workflow) {
            super(workflow, "check");
        }

        @Override
        public void run() {
            if (initialiser) {
                System.out.println(Broken.VALUE);
            }
            throw new AssertionError("the weights went NaN");
        }
    }

    /** A class whose static initialiser fails: an ExceptionInInitializerError, with no message of its own. */
    static final class Broken {
        static final int VALUE = Integer.parseInt("x");
    }
}
