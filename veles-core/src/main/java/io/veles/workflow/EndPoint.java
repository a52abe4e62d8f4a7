package io.veles.workflow;

/**
 * Ends the workflow's run when it runs. Link it from the unit that decides the end, and gate it
 * so that it opens only then: {@code endPoint.linkFrom(decision).gateBlock(complete.not())}.
 */
public final class EndPoint extends Unit {
    EndPoint(Workflow workflow) {
        super(workflow, "end");
    }

    /**
     * Ends the run, unless its gate closed again since it was queued: a run resumed with a new
     * limit (say {@code decision.max_epochs} raised) from a snapshot taken after the end was
     * decided then goes on instead of ending.
     */
    @Override
    public void run() {
        if (!gateBlock().get()) {
            workflow().finishRun();
        }
    }
}
