package io.veles.workflow;

import io.veles.pickle.Pickleable;
import io.veles.random.Prng;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A building block of a workflow, with {@link #initialize()}, {@link #run()} and {@link #stop()}.
 *
 * <p>Units are connected by <em>control links</em> ({@code b.linkFrom(a)}: b runs after every
 * unit it is linked from has run) and <em>data links</em> ({@code b.linkAttrs(a, "input",
 * "output")}: b's field {@code input} takes a's {@code output} before b runs; objects are shared,
 * not copied). Two gates decide what happens when a unit's links open: {@link #gateBlock()}
 * (neither run nor pass on) and {@link #gateSkip()} (pass on without running).
 *
 * <p>A unit is {@link Pickleable}: its whole state, links and gates included, is captured by a
 * snapshot, except fields ending in {@code _} and transient fields.
 */
public abstract class Unit extends Pickleable {
    private String name;
    private Workflow workflow;
    // Ordered maps and lists keep scheduling deterministic: iteration follows link order.
    private final LinkedHashMap<Unit, Boolean> linksFrom = new LinkedHashMap<>();
    private final ArrayList<Unit> linksTo = new ArrayList<>();
    private final ArrayList<AttributeLink> attributeLinks = new ArrayList<>();
    private Bool gateBlock = new Bool(false);
    private Bool gateSkip = new Bool(false);
    /**
     * The number the last snapshot's unit table gave this unit, with that table's id in the high
     * half: a cache of the table's own identity lookup, which checks it (see UnitTable). Not state.
     */
    @SuppressWarnings("unused") // read and written by UnitTable through a VarHandle
    private transient long snapshotNumber_;

    /**
     * Creates a unit inside {@code workflow}, named {@code name} (the class's simple name when
     * null). Only a main workflow has no parent.
     */
    protected Unit(Workflow workflow, String name) {
        this.name = name != null ? name : getClass().getSimpleName();
        if (workflow == null && !(this instanceof Workflow)) {
            throw new IllegalArgumentException("unit " + name + " needs a workflow");
        }
        this.workflow = workflow;
        if (workflow != null) {
            workflow.addUnit(this);
        }
    }

    /** Creates a unit inside {@code workflow}, named after its class. */
    protected Unit(Workflow workflow) {
        this(workflow, (String) null);
    }

    /** Prepares the unit to run: allocate buffers, read linked inputs. Runs once per process. */
    public void initialize() {}

    /** Does the unit's work for one pass of the workflow. */
    public abstract void run();

    /** Called once when the workflow stops; a place to flush or to take a last snapshot. */
    public void stop() {}

    public String name() {
        return name;
    }

    /** The workflow that owns this unit; null only for the main workflow. */
    public Workflow workflow() {
        return workflow;
    }

    /** The outermost workflow, the one a snapshot captures. */
    public Workflow mainWorkflow() {
        Unit unit = this;
        while (unit.workflow != null) {
            unit = unit.workflow;
        }
        return (Workflow) unit;
    }

    /** The main workflow's random generator, captured with it so that resumed runs draw alike. */
    public Prng random() {
        return mainWorkflow().random();
    }

    /** The run this unit takes part in; never captured. */
    public RunContext runContext() {
        return mainWorkflow().runContext();
    }

    // ----- control links -----

    /** Makes this unit run after each of {@code sources} has run (all of them, unless the unit
     * decides otherwise in {@link #openGate}). */
    public Unit linkFrom(Unit... sources) {
        for (Unit source : sources) {
            checkSameWorkflow(source);
            if (!linksFrom.containsKey(source)) {
                linksFrom.put(source, Boolean.FALSE);
                source.linksTo.add(this);
            }
        }
        return this;
    }

    /** Removes the control links from {@code sources}. */
    public Unit unlinkFrom(Unit... sources) {
        for (Unit source : sources) {
            if (linksFrom.remove(source) != null) {
                source.linksTo.remove(this);
            }
        }
        return this;
    }

    /** Removes every control link to and from this unit. */
    public void unlinkAll() {
        for (Unit source : new ArrayList<>(linksFrom.keySet())) {
            unlinkFrom(source);
        }
        for (Unit target : new ArrayList<>(linksTo)) {
            target.unlinkFrom(this);
        }
    }

    /** Units this one is linked from, in link order. */
    public List<Unit> linkedFrom() {
        return List.copyOf(linksFrom.keySet());
    }

    /** Units linked from this one, in link order. */
    public List<Unit> linkedTo() {
        return Collections.unmodifiableList(linksTo);
    }

    /**
     * Records that {@code source} has run and says whether this unit may now run. The default
     * waits for every link (AND); a {@link Repeater} opens on any (OR). Opened links are reset
     * when the gate opens.
     */
    protected boolean openGate(Unit source) {
        linksFrom.put(source, Boolean.TRUE);
        if (linksFrom.containsValue(Boolean.FALSE)) {
            return false;
        }
        resetLinks();
        return true;
    }

    /** Marks every incoming link as not yet opened. */
    protected final void resetLinks() {
        for (Map.Entry<Unit, Boolean> entry : linksFrom.entrySet()) {
            entry.setValue(Boolean.FALSE);
        }
    }

    // ----- data links -----

    /**
     * Links this unit's field {@code mine} to {@code source}'s field {@code theirs}: before this
     * unit initialises and before each run, {@code mine} takes the value of {@code theirs}.
     */
    public Unit linkAttrs(Unit source, String mine, String theirs) {
        Objects.requireNonNull(source, "source");
        attributeLinks.removeIf(link -> link.mine().equals(mine));
        attributeLinks.add(new AttributeLink(this, source, mine, theirs));
        return this;
    }

    /**
     * Links a field to the source's field of the same name: {@code linkAttrs(source, name, name)}.
     * (One name only: a varargs form would read {@code linkAttrs(a, "x", "y")} as two links or one
     * pair depending on the count.)
     */
    public Unit linkAttrs(Unit source, String name) {
        return linkAttrs(source, name, name);
    }

    /** Takes the current values of every data link; the scheduler calls it before run(). */
    final void pullLinkedAttributes() {
        for (AttributeLink link : attributeLinks) {
            link.pull(this);
        }
    }

    // ----- gates -----

    /** While true, the unit neither runs nor passes control on. */
    public Bool gateBlock() {
        return gateBlock;
    }

    public Unit gateBlock(Bool gate) {
        this.gateBlock = Objects.requireNonNull(gate, "gate");
        return this;
    }

    /** While true, the unit does not run but passes control on as if it had. */
    public Bool gateSkip() {
        return gateSkip;
    }

    public Unit gateSkip(Bool gate) {
        this.gateSkip = Objects.requireNonNull(gate, "gate");
        return this;
    }

    final List<Unit> successors() {
        return linksTo;
    }

    private void checkSameWorkflow(Unit source) {
        Objects.requireNonNull(source, "source");
        if (source == this) {
            throw new IllegalArgumentException("unit " + name + " cannot link from itself");
        }
        if (source.workflow != workflow) {
            throw new IllegalArgumentException(
                    "cannot link " + name + " from " + source.name + ": control links join units of the same workflow");
        }
    }

    @Override
    public String toString() {
        return name + " (" + getClass().getSimpleName() + ")";
    }
}
