package io.veles.workflow;

import io.veles.internal.util.EachOf;
import io.veles.pickle.PickleHooks;
import io.veles.pickle.RestoreRules;
import io.veles.random.Prng;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A unit that owns units and runs them along their control links, from its {@link #startPoint()}
 * until its {@link #endPoint()} runs. Workflows nest: a workflow is a unit of its parent.
 *
 * <p>The scheduler is deterministic and keeps its position in fields: the queue of units ready
 * to run and the unit running now. A snapshot taken while a unit runs therefore records exactly
 * where the run is, and {@link #resumeRun()} continues from there: the units after the
 * snapshotter in the same iteration run next, with the gate and link states they had.
 */
public class Workflow extends Unit {
    private final ArrayList<Unit> units = new ArrayList<>();
    private final StartPoint startPoint;
    private final EndPoint endPoint;
    private Prng random;

    // Scheduler position, captured so that a snapshot taken mid-run resumes mid-run.
    private final ArrayDeque<Unit> ready = new ArrayDeque<>();
    private Unit running;
    private boolean finished;

    private transient RunContext runContext_;
    private transient RestoreRules restoreRules_;
    // Units run by this process, counted in the main workflow; snapshotters compare it with the
    // count at their last snapshot to know whether a stop would lose work. Not captured: a
    // restored workflow has run nothing since the snapshot it came from.
    private transient long unitsRun_;

    /** Creates a main workflow (one with no parent). */
    public Workflow(String name) {
        this(null, name);
    }

    /** Creates a workflow nested in {@code parent}, or a main workflow when parent is null. */
    public Workflow(Workflow parent, String name) {
        super(parent, name);
        startPoint = new StartPoint(this);
        endPoint = new EndPoint(this);
        if (parent == null) {
            random = new Prng(Prng.DEFAULT_SEED);
        }
    }

    public StartPoint startPoint() {
        return startPoint;
    }

    public EndPoint endPoint() {
        return endPoint;
    }

    /** The units this workflow owns directly, in the order they were created. */
    public List<Unit> units() {
        return Collections.unmodifiableList(units);
    }

    /** Every unit below this workflow, nested workflows' units included, depth first. */
    public List<Unit> allUnits() {
        List<Unit> all = new ArrayList<>();
        ArrayDeque<Unit> pending = new ArrayDeque<>(units);
        while (!pending.isEmpty()) {
            Unit unit = pending.pollFirst();
            all.add(unit);
            if (unit instanceof Workflow) {
                List<Unit> children = ((Workflow) unit).units;
                for (int i = children.size() - 1; i >= 0; i--) {
                    pending.addFirst(children.get(i));
                }
            }
        }
        return all;
    }

    /** The first unit named {@code name} below this workflow, or null. */
    public Unit findUnit(String name) {
        for (Unit unit : allUnits()) {
            if (unit.name().equals(name)) {
                return unit;
            }
        }
        return null;
    }

    void addUnit(Unit unit) {
        units.add(unit);
    }

    @Override
    public Prng random() {
        return workflow() == null ? random : super.random();
    }

    @Override
    public RunContext runContext() {
        if (workflow() != null) {
            return super.runContext();
        }
        if (runContext_ == null) {
            runContext_ = RunContext.standalone();
        }
        return runContext_;
    }

    /** Attaches the run that drives this main workflow; the launcher calls it. */
    public void attach(RunContext context) {
        if (workflow() != null) {
            throw new IllegalStateException("only a main workflow is attached to a run");
        }
        this.runContext_ = context;
    }

    /**
     * The rules a restore of this main workflow applies (allowed packages, renames, conversions).
     * A snapshot refuses at save what a restore with these rules would refuse. By default the
     * workflow's own: its package and code source and the engine's.
     */
    public RestoreRules restoreRules() {
        if (workflow() != null) {
            return mainWorkflow().restoreRules();
        }
        return restoreRules_ != null ? restoreRules_ : RestoreRules.forWorkflow(getClass());
    }

    /**
     * Sets the rules its snapshots will be restored with; the launcher passes those of
     * {@code --allow-package} and {@code --rename-class}, and a restore keeps the rules it used.
     */
    public void useRestoreRules(RestoreRules rules) {
        if (workflow() != null) {
            throw new IllegalStateException("restore rules belong to the main workflow");
        }
        this.restoreRules_ = rules;
    }

    // ----- lifecycle -----

    /**
     * Initialises every unit, sources before the units that read them (along control links from
     * the start point, then the rest in creation order). Each unit's {@code initUnpickled()} has
     * run before any {@code initialize()}. When the main workflow is done, no unit reports
     * {@link #restoredFromSnapshot()} any more.
     */
    @Override
    public void initialize() {
        List<Unit> all = allUnits();
        ensureInitUnpickled();
        for (Unit unit : all) {
            PickleHooks.ensureInitUnpickled(unit);
        }
        for (Unit unit : initializationOrder()) {
            unit.pullLinkedAttributes();
            unit.initialize();
        }
        if (workflow() == null) {
            for (Unit unit : all) {
                PickleHooks.endRestoration(unit);
            }
            PickleHooks.endRestoration(this);
            PickleHooks.endRestoration(random);
        }
    }

    private Set<Unit> initializationOrder() {
        Set<Unit> order = new LinkedHashSet<>();
        ArrayDeque<Unit> pending = new ArrayDeque<>();
        pending.add(startPoint);
        while (!pending.isEmpty()) {
            Unit unit = pending.pollFirst();
            if (order.add(unit)) {
                pending.addAll(unit.successors());
            }
        }
        order.addAll(units);
        return order;
    }

    /** Runs from the start point until the end point runs, work runs out, or a stop is asked. */
    @Override
    public void run() {
        ready.clear();
        running = null;
        finished = false;
        ready.add(startPoint);
        runQueued();
    }

    /**
     * Continues a run interrupted by a snapshot or a stop request: the unit that was running is
     * taken as done (a nested workflow first finishes its own interrupted run), control passes
     * on from it, and the queue runs. Starts a new run if this workflow was not running.
     */
    public void resumeRun() {
        if (!isRunning()) {
            run();
            return;
        }
        Unit interrupted = running;
        if (interrupted != null) {
            if (interrupted instanceof Workflow && ((Workflow) interrupted).isRunning()) {
                ((Workflow) interrupted).resumeRun();
                if (stopRequested()) {
                    return;
                }
            }
            running = null;
            if (!finished) {
                passControlFrom(interrupted);
            }
        }
        runQueued();
    }

    /**
     * Continues a run that had reached its end, if its end no longer holds: a resume that raised
     * a limit (its end point's gate blocks again) starts a new pass from the start point. Returns
     * false, running nothing, when the end still holds: the run is complete, and another pass
     * would run what the uninterrupted run never did. (Units queued behind the end point when it
     * ended the run are not in the snapshot; a longer pass does not run them.)
     */
    public boolean resumeFinishedRun() {
        if (!finished || running != null) {
            throw new IllegalStateException(name() + " has not reached its end");
        }
        if (!endPoint.gateBlock().get()) {
            return false;
        }
        run();
        return true;
    }

    /**
     * Ends an interrupted run where it stands, as its end point would have, running nothing more:
     * for a resume whose new limits complete the run at the point its snapshot was taken. The end
     * point is queued only when the unit that decides passes control on; a snapshot taken after
     * that (by the snapshotter that unit leads to) holds a queue without it, and would otherwise
     * run one more pass than a run given those limits from the start.
     */
    public void endHere() {
        if (running instanceof Workflow && ((Workflow) running).isRunning()) {
            ((Workflow) running).endHere();
        }
        ready.clear();
        running = null;
        finished = true;
    }

    /** True between the start of a run and its end, including while interrupted. */
    public boolean isRunning() {
        return running != null || (!ready.isEmpty() && !finished);
    }

    /** True once the end point ran in the last run. */
    public boolean isFinished() {
        return finished;
    }

    /** The unit running now, or the one a snapshot or stop interrupted; null otherwise. */
    public Unit runningUnit() {
        return running;
    }

    /**
     * Stops every unit, in creation order, whatever an earlier one's failure: a second
     * snapshotter's end snapshot must not be lost to the first's. The first failure is thrown
     * once all have stopped, the others added to it.
     */
    @Override
    public void stop() {
        EachOf.apply(units, Unit::stop);
    }

    /**
     * How many units this process has run in the main workflow, nested workflows' units included
     * and the start and end points not (they hold no work). A snapshot taken when this count was N
     * and a stop when it is still N lose nothing.
     */
    public long unitsRun() {
        return mainWorkflow().unitsRun_;
    }

    private void countUnitRun(Unit unit) {
        if (unit instanceof StartPoint || unit instanceof EndPoint) {
            return;
        }
        mainWorkflow().unitsRun_++;
    }

    void finishRun() {
        finished = true;
    }

    private void runQueued() {
        while (!finished && !stopRequested()) {
            Unit unit = ready.pollFirst();
            if (unit == null) {
                break;
            }
            running = unit;
            unit.pullLinkedAttributes();
            countUnitRun(unit); // before it runs, so that a snapshot it takes counts it as covered
            unit.run();
            if (!finished && stopRequested()) {
                return; // keep `running` so that a resume passes control on from this unit
            }
            running = null;
            if (!finished) {
                passControlFrom(unit);
            }
        }
        if (finished) {
            ready.clear();
        }
    }

    private boolean stopRequested() {
        return runContext().stopRequested();
    }

    /**
     * Opens the links from {@code source} and queues the units whose gates open. Skipped units
     * pass control on at once, without running; blocked ones take nothing.
     */
    private void passControlFrom(Unit source) {
        ArrayDeque<Unit> skipped = new ArrayDeque<>();
        for (Unit from = source; from != null; from = skipped.pollFirst()) {
            for (Unit target : from.successors()) {
                if (target.gateBlock().get() || !target.openGate(from)) {
                    continue;
                }
                if (target.gateSkip().get()) {
                    skipped.addLast(target);
                } else {
                    ready.addLast(target);
                }
            }
        }
    }
}
