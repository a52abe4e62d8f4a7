package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.launcher.Launcher;
import io.veles.pickle.State;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Pickleable rules of DESIGN §2, one test each. */
class PickleableContractTest {
    /** Events in order, across a unit's lives (not captured: static). */
    static final List<String> EVENTS = new ArrayList<>();

    static int constructed;

    /** A unit with captured, underscore and transient fields, recording its hooks. */
    static final class Probe extends Unit {
        int kept;
        List<String> cache_;
        transient int scratch;
        boolean restoredDuringInitialize;

        Probe(Workflow workflow, String name) {
            super(workflow, name);
            constructed++;
        }

        @Override
        protected void initUnpickled() {
            super.initUnpickled();
            cache_ = new ArrayList<>(List.of("rebuilt"));
            EVENTS.add("initUnpickled " + name());
        }

        @Override
        public void initialize() {
            restoredDuringInitialize = restoredFromSnapshot();
            EVENTS.add("initialize " + name());
        }

        @Override
        public void run() {}
    }

    static final class ProbeWorkflow extends Workflow {
        ProbeWorkflow() {
            super("probes");
        }
    }

    @BeforeEach
    void clear() {
        EVENTS.clear();
        constructed = 0;
    }

    @Test
    void underscoreAndTransientFieldsComeBackAsDefaultsAndTheInitHookRebuildsThem() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        Probe probe = new Probe(workflow, "probe");
        workflow.initialize();
        probe.kept = 7;
        probe.cache_.add("stale");
        probe.scratch = 9;

        Probe restored = (Probe) RoundTrip.copy(workflow).findUnit("probe");
        assertThat(restored.kept).isEqualTo(7);
        assertThat(restored.scratch).isZero();
        assertThat(restored.cache_).containsExactly("rebuilt");
    }

    @Test
    void initUnpickledRunsOnceBeforeInitializeOnANewAndOnARestoredWorkflow() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Probe(workflow, "a");
        new Probe(workflow, "b");
        workflow.initialize();
        workflow.initialize(); // a second initialize does not run the hook again
        assertThat(EVENTS)
                .containsExactly(
                        "initUnpickled a",
                        "initUnpickled b",
                        "initialize a",
                        "initialize b",
                        "initialize a",
                        "initialize b");

        EVENTS.clear();
        ProbeWorkflow restored = RoundTrip.copy(workflow);
        restored.initialize();
        assertThat(EVENTS).containsExactly("initUnpickled a", "initUnpickled b", "initialize a", "initialize b");
    }

    @Test
    void constructorsAreNotRunOnRestore() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Probe(workflow, "a");
        assertThat(constructed).isEqualTo(1);
        RoundTrip.copy(workflow);
        assertThat(constructed).isEqualTo(1);
    }

    @Test
    void restoredFromSnapshotIsTrueDuringInitialisationOnlyAndFalseForNewUnits() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Probe(workflow, "old");
        workflow.initialize();
        assertThat(((Probe) workflow.findUnit("old")).restoredDuringInitialize).isFalse();

        ProbeWorkflow restored = RoundTrip.copy(workflow);
        Probe old = (Probe) restored.findUnit("old");
        assertThat(old.restoredFromSnapshot()).isTrue();
        assertThat(restored.restoredFromSnapshot()).isTrue();
        Probe added = new Probe(restored, "new");
        assertThat(added.restoredFromSnapshot()).isFalse();

        restored.initialize();
        assertThat(old.restoredDuringInitialize).isTrue();
        assertThat(added.restoredDuringInitialize).isFalse();
        assertThat(old.restoredFromSnapshot()).isFalse();
        assertThat(restored.restoredFromSnapshot()).isFalse();
    }

    /** Saves an extra entry and derives a field from it, chaining to super as required. */
    static class Custom extends Unit {
        int base = 3;
        int derived;

        Custom(Workflow workflow) {
            super(workflow, "custom");
        }

        @Override
        protected void getState(State state) {
            super.getState(state);
            state.put("double", base * 2);
            state.remove("derived");
        }

        @Override
        protected void setState(State state) {
            super.setState(state);
            derived = state.get("double", Integer.class) + 1;
        }

        @Override
        public void run() {}
    }

    /** Forgets to call super.getState: refused, so base state is never silently lost. */
    static final class Forgetful extends Custom {
        Forgetful(Workflow workflow) {
            super(workflow);
        }

        @Override
        protected void getState(State state) {
            state.put("only", 1);
        }
    }

    @Test
    void customStateHooksChainToSuperAndAreRefusedWhenTheyDoNot() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        Custom custom = new Custom(workflow);
        custom.base = 5;
        custom.derived = 99;
        Custom restored = (Custom) RoundTrip.copy(workflow).findUnit("custom");
        assertThat(restored.base).isEqualTo(5);
        assertThat(restored.derived).isEqualTo(11);

        ProbeWorkflow broken = new ProbeWorkflow();
        new Forgetful(broken);
        assertThatThrownBy(() -> RoundTrip.write(broken))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("Forgetful.getState(State) must call super.getState(state)");
    }

    static final class Node {
        String label;
        Node next;
    }

    static final class Holder extends Unit {
        float[] shared;
        Map<String, Object> table;
        Holder partner;
        Node ring;

        Holder(Workflow workflow, String name) {
            super(workflow, name);
        }

        @Override
        public void run() {}
    }

    @Test
    void sharedObjectsStaySharedAndCyclesSurvive() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        Holder a = new Holder(workflow, "a");
        Holder b = new Holder(workflow, "b");
        a.shared = b.shared = new float[] {1, 2, 3};
        a.table = b.table = new HashMap<>(Map.of("k", "v"));
        a.partner = b;
        b.partner = a;
        Node first = new Node();
        Node second = new Node();
        first.next = second;
        second.next = first;
        first.label = "first";
        a.ring = first;
        b.ring = second;

        ProbeWorkflow restored = RoundTrip.copy(workflow);
        Holder ra = (Holder) restored.findUnit("a");
        Holder rb = (Holder) restored.findUnit("b");
        assertThat(ra.shared).isSameAs(rb.shared).containsExactly(1, 2, 3);
        assertThat(ra.table).isSameAs(rb.table).containsEntry("k", "v");
        assertThat(ra.partner).isSameAs(rb);
        assertThat(rb.partner).isSameAs(ra);
        assertThat(ra.ring.next).isSameAs(rb.ring);
        assertThat(rb.ring.next).isSameAs(ra.ring);
        assertThat(ra.ring.label).isEqualTo("first");
        assertThat(ra.workflow()).isSameAs(restored);
        assertThat(ra.linkedTo()).isEmpty();
    }

    static final class HoldsLauncher extends Unit {
        Object launcher;

        HoldsLauncher(Workflow workflow) {
            super(workflow, "holder");
        }

        @Override
        public void run() {}
    }

    @Test
    void theLauncherIsNeverCaptured() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        String runId = workflow.runContext().id();
        ProbeWorkflow restored = RoundTrip.copy(workflow);
        assertThat(restored.runContext().id()).isNotEqualTo(runId); // the run context is not in the snapshot

        HoldsLauncher holder = new HoldsLauncher(workflow);
        holder.launcher = new Launcher(null);
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("the launcher is never part of a snapshot")
                .hasMessageContaining("unit 'holder'")
                .hasMessageContaining("HoldsLauncher.launcher");
    }

    static final class HoldsThread extends Unit {
        Object lock = new java.util.concurrent.locks.ReentrantLock();

        HoldsThread(Workflow workflow) {
            super(workflow, "locker");
        }

        @Override
        public void run() {}
    }

    @Test
    void aFieldThatCannotBeCapturedIsNamedWithTheFix() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        new HoldsThread(workflow);
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .hasMessageContaining("java.util.concurrent.locks.ReentrantLock")
                .hasMessageContaining("mark the field transient or end its name with '_'")
                .hasMessageContaining("HoldsThread.lock");
    }
}
