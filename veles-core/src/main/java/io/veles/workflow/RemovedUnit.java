package io.veles.workflow;

/**
 * Stands in, after a restore, for a unit whose class the code no longer has. It keeps the unit's
 * name, place and control links, so that the units after it still run, and does nothing when
 * run; the state of the removed class is dropped. The restore report names each one. The
 * restore defines a class of the removed class's name extending this one, so that later
 * snapshots record the unit as before.
 */
public abstract class RemovedUnit extends Unit {
    protected RemovedUnit(Workflow workflow, String name) {
        super(workflow, name); // restores make placeholders without a constructor; this is for subclasses
    }

    @Override
    public void run() {
        // the class that did the work is gone
    }
}
