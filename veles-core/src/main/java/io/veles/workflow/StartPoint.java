package io.veles.workflow;

/** Where a workflow's run begins; link the first units from it. */
public final class StartPoint extends Unit {
    StartPoint(Workflow workflow) {
        super(workflow, "start");
    }

    @Override
    public void run() {}
}
