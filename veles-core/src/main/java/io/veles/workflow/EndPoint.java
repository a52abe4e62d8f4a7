package io.veles.workflow;

/**
 * Ends the workflow's run when it runs. Link it from the unit that decides the end, and gate it
 * so that it opens only then: {@code endPoint.linkFrom(decision).gateBlock(complete.not())}.
 */
public final class EndPoint extends Unit {
    EndPoint(Workflow workflow) {
        super(workflow, "end");
    }

    @Override
    public void run() {
        workflow().finishRun();
    }
}
