package io.veles.workflow;

/**
 * The head of a loop: it runs when <em>any</em> of its links opens, so it can be linked both
 * from the start point and from the last unit of the loop.
 */
public class Repeater extends Unit {
    public Repeater(Workflow workflow) {
        super(workflow, "repeater");
    }

    public Repeater(Workflow workflow, String name) {
        super(workflow, name);
    }

    @Override
    protected boolean openGate(Unit source) {
        resetLinks();
        return true;
    }

    @Override
    public void run() {}
}
