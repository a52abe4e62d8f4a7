package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.IncompatibleSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.launcher.Launcher;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.State;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** A getState hook with a bug of its own: what it throws comes out as a SnapshotException naming the unit. */
    static final class Throwing extends Custom {
        List<String> cache;

        Throwing(Workflow workflow) {
            super(workflow);
        }

        @Override
        protected void getState(State state) {
            super.getState(state);
            state.put("size", cache.size()); // cache is null
        }
    }

    @Test
    void whatAGetStateHookThrowsIsASnapshotExceptionNamingItsUnit() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Throwing(workflow);
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot capture unit 'custom': ")
                .hasMessageContaining("\"this.cache\" is null")
                .hasMessageNotContaining("\n");
    }

    /** A unit whose own {@code name} shadows Unit's: its state keys both by class, and the plain name is refused. */
    static final class Renaming extends Unit {
        String name = "own";
        int count = 3;
        static String mode;

        Renaming(Workflow workflow) {
            super(workflow, "renaming");
        }

        @Override
        public void run() {}

        @Override
        protected void getState(State state) {
            super.getState(state);
            if (mode.equals("remove")) {
                state.remove("name"); // no such key: both fields are keyed Declaring#name
            } else {
                state.put("count", "three"); // saved in another form that setState does not turn back
            }
        }

        @Override
        protected void setState(State state) {
            super.setState(state);
        }
    }

    @Test
    void aShadowedFieldsPlainNameIsRefusedNamingItsKeys() {
        Renaming.mode = "remove";
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Renaming(workflow);
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(
                        "has no entry 'name': fields of that name in two classes of its hierarchy are keyed"
                                + " io.veles.workflow.Unit#name and " + Renaming.class.getName() + "#name");
    }

    /**
     * A getState that saves a field's value in another form, which setState does not turn back:
     * the restore's refusal says so, besides a code change, since the code may not have changed.
     */
    @Test
    void aValueAGetStateSavedInAnotherFormIsNamedAsSuchOnRestore() {
        Renaming.mode = "retype";
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Renaming(workflow);
        byte[] snapshot = RoundTrip.write(workflow);
        assertThatThrownBy(() -> RoundTrip.restore(snapshot, ProbeWorkflow.class))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("count: the snapshot holds java.lang.String, the code declares int")
                .hasMessageEndingWith("; or, if Renaming.getState put that value there, have setState turn it back"
                        + " before super.setState(state)");
    }

    /** A record is made from its components: one that its components refer back to cannot be made on restore. */
    record Edge(Vertex from, Vertex to) {}

    static final class Vertex {
        final List<Edge> edges = new ArrayList<>();
    }

    static final class Wired extends Unit {
        Vertex start;

        Wired(Workflow workflow) {
            super(workflow, "wired");
        }

        @Override
        public void run() {}
    }

    @Test
    void aRecordInACycleIsRefusedWhenWrittenNotRestoredAsNull() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        Wired wired = new Wired(workflow);
        Vertex a = new Vertex();
        Vertex b = new Vertex();
        Edge edge = new Edge(a, b);
        a.edges.add(edge);
        b.edges.add(edge);
        wired.start = a;
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("refers back to itself through its components")
                .hasMessageContaining("unit 'wired'");

        // shared without a cycle, a record stays shared
        Vertex c = new Vertex();
        Edge shared = new Edge(c, c);
        Wired copy = (Wired) RoundTrip.copy(workflowHolding(shared)).findUnit("wired");
        assertThat(copy.start.edges).hasSize(2);
        assertThat(copy.start.edges.get(0)).isSameAs(copy.start.edges.get(1));
    }

    private static ProbeWorkflow workflowHolding(Edge edge) {
        ProbeWorkflow workflow = new ProbeWorkflow();
        Wired wired = new Wired(workflow);
        wired.start = new Vertex();
        wired.start.edges.add(edge);
        wired.start.edges.add(edge);
        return workflow;
    }

    /** Kryo writes subclasses of the JDK's lists and maps as their elements alone. */
    static final class Counts extends HashMap<String, Integer> {
        long total;
    }

    static final class Lru extends LinkedHashMap<String, Integer> {
        Lru(int capacity) {
            super(capacity, 0.75f, true);
        }
    }

    static final class Names extends ArrayList<String> {}

    static final class Collects extends Unit {
        Object held;

        Collects(Workflow workflow) {
            super(workflow, "collects");
        }

        @Override
        public void run() {}
    }

    private static Object copyOf(Object held) {
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Collects(workflow).held = held;
        return ((Collects) RoundTrip.copy(workflow).findUnit("collects")).held;
    }

    private static ArrayList<String> doubleBrace() {
        return new ArrayList<>() {
            {
                add("made by its initialiser");
            }
        };
    }

    @Test
    void aSubclassOfAJdkCollectionIsRefusedWhereItsElementsAloneWouldNotMakeItAgain() {
        Counts counts = new Counts();
        counts.put("a", 1);
        counts.total = 1;
        assertThatThrownBy(() -> copyOf(counts))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(
                        "cannot capture a " + Counts.class.getName() + ", a subclass of java.util.HashMap")
                .hasMessageContaining("its own fields (total) would be lost");
        assertThatThrownBy(() -> copyOf(new Lru(4))).hasMessageContaining("it has no constructor without parameters");
        assertThatThrownBy(() -> copyOf(doubleBrace()))
                .hasMessageContaining("an anonymous, local or inner class cannot be made again on restore");

        Names names = new Names();
        names.add("kept");
        assertThat(copyOf(names)).isInstanceOf(Names.class).isEqualTo(List.of("kept"));
    }

    static final class Box {
        Object inside;
    }

    /**
     * List.of, Set.of, Map.of and Arrays.asList are made from their elements on restore: shared,
     * they stay one object of their class.
     */
    @Test
    void aSharedImmutableCollectionStaysOneImmutableObject() {
        for (Object immutable :
                new Object[] {List.of("a", "b"), java.util.Set.of("a"), Map.of("k", 1), java.util.Arrays.asList(1, 2, 3)
                }) {
            Object[] pair = (Object[]) copyOf(new Object[] {immutable, immutable});
            assertThat(pair[0]).as(immutable.toString()).isSameAs(pair[1]).isEqualTo(immutable);
            assertThat(pair[0].getClass()).isEqualTo(immutable.getClass());
        }
        // one that its own element refers back to could not be made: refused when written
        Box box = new Box();
        List<Box> boxes = List.of(box);
        box.inside = boxes;
        assertThatThrownBy(() -> copyOf(boxes))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("refers back to itself through its components");
        Object[] backing = new Object[1];
        List<Object> holdsItself = java.util.Arrays.asList(backing);
        backing[0] = holdsItself;
        assertThatThrownBy(() -> copyOf(holdsItself))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("refers back to itself through its components");
    }

    /** Renaming one class the snapshot holds to another it also holds would read one's objects by the other's fields. */
    @Test
    void aRenameOntoAnotherClassOfTheSnapshotIsRefused() throws Exception {
        Box box = new Box();
        box.inside = new Vertex();
        ProbeWorkflow workflow = new ProbeWorkflow();
        new Collects(workflow).held = box;
        byte[] snapshot = RoundTrip.write(workflow);
        RestoreRules rules =
                RestoreRules.forWorkflow(ProbeWorkflow.class).renameClass(Box.class.getName(), Vertex.class.getName());
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            assertThatThrownBy(() -> reader.restore(rules))
                    .isInstanceOf(IncompatibleSnapshotException.class)
                    .hasMessage("snap: the snapshot holds objects of both " + Box.class.getName() + " and "
                            + Vertex.class.getName() + ", so " + Box.class.getName() + " cannot be renamed to "
                            + Vertex.class.getName() + ": rename it to a class of its own");
        }
    }

    /** Hashed by its id; its links come first, so a cycle reaches a node before its id is read. */
    static final class Linked {
        final Map<Linked, Double> links = new HashMap<>();
        String id;

        @Override
        public boolean equals(Object other) {
            return other instanceof Linked && java.util.Objects.equals(id, ((Linked) other).id);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(id);
        }
    }

    @Test
    void aKeyHashedBeforeItsFieldsWereReadIsFoundInItsMapAfterTheRestore() {
        Linked a = new Linked();
        a.id = "a";
        Linked b = new Linked();
        b.id = "b";
        a.links.put(b, 1.0);
        b.links.put(a, 2.0);
        Linked copy = (Linked) copyOf(a);
        Linked other = copy.links.keySet().iterator().next();
        assertThat(copy.links.get(other)).isEqualTo(1.0);
        assertThat(other.links.get(copy))
                .as("b's map finds a, hashed while a's id was unread")
                .isEqualTo(2.0);
        assertThat(other.links.containsKey(copy)).isTrue();
    }

    /**
     * Two keys of one map that are both read before their ids (c's map holds a and b, whose own
     * maps lead to c) compare equal as they are put: without the entries kept as read, one
     * replaced the other, and the restored map lost an entry with no error.
     */
    @Test
    void keysThatLookEqualWhileTheirFieldsAreUnreadAllComeBack() {
        Linked a = new Linked();
        a.id = "a";
        Linked b = new Linked();
        b.id = "b";
        Linked c = new Linked();
        c.id = "c";
        a.links.put(b, 1.0);
        b.links.put(c, 2.0);
        c.links.put(a, 3.0);
        c.links.put(b, 4.0);
        Linked copyA = (Linked) copyOf(a);
        Linked copyB = copyA.links.keySet().iterator().next();
        Linked copyC = copyB.links.keySet().iterator().next();
        assertThat(copyC.links).hasSize(2);
        assertThat(copyC.links.get(copyA)).isEqualTo(3.0);
        assertThat(copyC.links.get(copyB)).isEqualTo(4.0);
    }

    /** A key changed while in its map (now equal to another key) is refused when saved: a restore would keep one. */
    @Test
    void aMapHoldingTwoEqualKeysIsRefusedWhenSaved() {
        Linked a = new Linked();
        a.id = "a";
        Linked b = new Linked();
        b.id = "b";
        Map<Linked, Double> map = new HashMap<>();
        map.put(a, 1.0);
        map.put(b, 2.0);
        b.id = "a";
        assertThatThrownBy(() -> copyOf(map))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("a java.util.HashMap holds two keys of " + Linked.class.getName()
                        + " that their equals finds equal (was a key changed while in it?)");
    }

    /** Keys hashed by their own fields: what a setState puts into their map after reading it stays. */
    @Test
    void whatASetStatePutsIntoAMapOfHashedKeysStays() {
        Weighted weighted = new Weighted();
        Linked a = new Linked();
        a.id = "a";
        weighted.weights.put(a, 1.0);
        Weighted copy = (Weighted) copyOf(weighted);
        assertThat(copy.weights).hasSize(2);
        assertThat(copy.weights.keySet()).extracting(key -> key.id).containsExactly("a", "added by setState");
    }

    static final class Weighted extends io.veles.pickle.Pickleable {
        final Map<Linked, Double> weights = new LinkedHashMap<>();

        @Override
        protected void setState(io.veles.pickle.State state) {
            super.setState(state);
            Linked added = new Linked();
            added.id = "added by setState";
            weights.put(added, 2.0);
        }
    }

    /**
     * Record keys made of objects still unfinished (b's map holds Edge(a, b) and Edge(b, a) while
     * neither a's nor b's id is read) look equal as they are put; once the graph is whole they
     * are two keys again, and both come back, found in their map.
     */
    @Test
    void recordKeysOfUnfinishedObjectsAreNotTakenForOne() {
        Hub a = new Hub();
        a.id = "a";
        Hub b = new Hub();
        b.id = "b";
        a.edges.put(new HubEdge(a, b), "from a");
        b.edges.put(new HubEdge(a, b), "ab");
        b.edges.put(new HubEdge(b, a), "ba");
        Hub copyA = (Hub) copyOf(a);
        Hub copyB = copyA.edges.keySet().iterator().next().to();
        assertThat(copyB.edges).hasSize(2);
        assertThat(copyB.edges.get(new HubEdge(copyA, copyB))).isEqualTo("ab");
        assertThat(copyB.edges.get(new HubEdge(copyB, copyA))).isEqualTo("ba");
        assertThat(copyA.edges.get(new HubEdge(copyA, copyB))).isEqualTo("from a");
    }

    record HubEdge(Hub from, Hub to) {}

    /** Hashed by its id, read after its map of edges. */
    static final class Hub {
        final Map<HubEdge, String> edges = new HashMap<>();
        String id;

        @Override
        public boolean equals(Object other) {
            return other instanceof Hub && java.util.Objects.equals(id, ((Hub) other).id);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(id);
        }
    }

    /**
     * A Map.of is made from its keys as they are read: two that look equal then (both still
     * without their ids) would make it one entry short for good, so the restore is refused.
     */
    @Test
    void aMapOfWhoseKeysLookEqualAsReadIsRefusedNotShortened() {
        Frozen a = new Frozen("a");
        Frozen b = new Frozen("b");
        Frozen c = new Frozen("c");
        a.links = Map.of(b, 1);
        b.links = Map.of(c, 2);
        c.links = Map.of(a, 3, b, 4);
        assertThatThrownBy(() -> copyOf(a))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining(
                        "(Map.of or Set.of) holds two keys of " + Frozen.class.getName() + " that are equal as read");
    }

    /** Hashed by its id, read after its immutable map of links. */
    static final class Frozen {
        Map<Frozen, Integer> links;
        String id;

        Frozen(String id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Frozen && java.util.Objects.equals(id, ((Frozen) other).id);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(id);
        }
    }

    /**
     * A map whose read lost an entry to two keys that looked equal, then changed by its owner's
     * setState: it keeps what the setState put, and gets the lost entry back.
     */
    @Test
    void anEntryLostWhileReadComesBackBesideWhatASetStatePut() {
        Hooked a = new Hooked("a");
        Hooked b = new Hooked("b");
        Hooked c = new Hooked("c");
        a.links.put(b, 1.0);
        b.links.put(c, 2.0);
        c.links.put(a, 3.0);
        c.links.put(b, 4.0);
        Hooked copyA = (Hooked) copyOf(a);
        Hooked copyB = copyA.links.keySet().stream()
                .filter(k -> k.id.equals("b"))
                .findFirst()
                .orElseThrow();
        Hooked copyC = copyB.links.keySet().stream()
                .filter(k -> k.id.equals("c"))
                .findFirst()
                .orElseThrow();
        assertThat(copyC.links.keySet()).extracting(k -> k.id).containsExactlyInAnyOrder("a", "b", "put by setState");
        assertThat(copyC.links.get(copyA)).isEqualTo(3.0);
        assertThat(copyC.links.get(copyB)).isEqualTo(4.0);
    }

    /** Hashed by its id, read after its links; its setState adds a link. */
    static final class Hooked extends io.veles.pickle.Pickleable {
        final Map<Hooked, Double> links = new LinkedHashMap<>();
        String id;

        Hooked(String id) {
            this.id = id;
        }

        @Override
        protected void setState(io.veles.pickle.State state) {
            super.setState(state);
            if (!"put by setState".equals(id)) {
                links.put(new Hooked("put by setState"), 0.0);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Hooked && java.util.Objects.equals(id, ((Hooked) other).id);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(id);
        }
    }

    /**
     * A key whose hashCode or equals fails when the keys are put back or looked up after the last
     * unit (here: once that unit is read): the failure names the unit its map was read in, not
     * the last one read.
     */
    @Test
    void aKeyThatFailsWhenKeysAreHashedAgainNamesTheUnitTheMapWasReadIn() {
        ProbeWorkflow workflow = new ProbeWorkflow();
        Poisoned a = new Poisoned("a");
        Poisoned b = new Poisoned("b");
        a.links.put(b, 1);
        b.links.put(a, 2); // read inside a's links, before a's id: a is hashed unfinished, and noted
        new Collects(workflow).held = a;
        new Arming(workflow);
        try {
            Poisoned.failing = "hashCode";
            assertThatThrownBy(() -> RoundTrip.copy(workflow))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageEndingWith("cannot hash the keys of the snapshot's java.util.HashMap (unit 'collects'):"
                            + " hashCode called after the last unit");
            a.links = Map.of(b, 1);
            b.links = Map.of(a, 2);
            Poisoned.armed = false;
            Poisoned.failing = "equals"; // put back without a call to it; called when a Map.of looks a key up
            assertThatThrownBy(() -> RoundTrip.copy(workflow))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageEndingWith("cannot look up the keys of the snapshot's "
                            + Map.of(b, 1).getClass().getName() + " (Map.of or Set.of) (unit 'collects'):"
                            + " equals called after the last unit");
        } finally {
            Poisoned.armed = false;
        }
    }

    /** Hashed by its id, read after its links; its hashCode or equals fails once {@link Arming} is read. */
    static final class Poisoned extends io.veles.pickle.Pickleable {
        static volatile boolean armed;
        /** The method that fails once armed: "hashCode" or "equals". */
        static volatile String failing;

        Map<Poisoned, Integer> links = new HashMap<>();
        String id;

        Poisoned(String id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object other) {
            failIfArmed("equals");
            return other instanceof Poisoned && java.util.Objects.equals(id, ((Poisoned) other).id);
        }

        @Override
        public int hashCode() {
            failIfArmed("hashCode");
            return java.util.Objects.hashCode(id);
        }

        private static void failIfArmed(String method) {
            if (armed && method.equals(failing)) {
                throw new IllegalStateException(method + " called after the last unit");
            }
        }
    }

    /** The last unit: its setState arms {@link Poisoned}. */
    static final class Arming extends Unit {
        Arming(Workflow workflow) {
            super(workflow, "arming");
        }

        @Override
        protected void setState(io.veles.pickle.State state) {
            super.setState(state);
            Poisoned.armed = true;
        }

        @Override
        public void run() {}
    }

    /** A lost key that a setState put back itself, once whole, is not put back a second time. */
    @Test
    void aLostKeyASetStatePutBackIsKeptOnce() {
        Relinking a = new Relinking("a");
        Relinking b = new Relinking("b");
        Relinking c = new Relinking("c");
        a.links.put(b, 1.0);
        b.links.put(c, 2.0);
        c.links.put(a, 3.0);
        c.links.put(b, 4.0);
        a.relinkInto = c;
        a.relinkKey = b;
        Relinking copyA = (Relinking) copyOf(a);
        Relinking copyC = copyA.relinkInto;
        assertThat(copyC.links).hasSize(2);
        assertThat(copyC.links.get(copyA)).isEqualTo(3.0);
        assertThat(copyC.links.get(copyA.relinkKey))
                .as("as the setState put it")
                .isEqualTo(5.0);
    }

    /** Hashed by its id, read after its links; its setState puts one key into another's links. */
    static final class Relinking extends io.veles.pickle.Pickleable {
        final Map<Relinking, Double> links = new LinkedHashMap<>();
        String id;
        Relinking relinkInto;
        Relinking relinkKey;

        Relinking(String id) {
            this.id = id;
        }

        @Override
        protected void setState(io.veles.pickle.State state) {
            super.setState(state);
            if (relinkInto != null) {
                relinkInto.links.put(relinkKey, 5.0);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Relinking && java.util.Objects.equals(id, ((Relinking) other).id);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(id);
        }
    }

    /**
     * A Set.of whose elements were hashed before their ids were read (63 nodes of a chain, all
     * unfinished when the last one's set is read): it cannot be hashed again, and would not find
     * them, so the restore is refused.
     */
    @Test
    void aSetOfHashedBeforeItsElementsWereWholeIsRefused() {
        List<Numbered> chain = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            chain.add(new Numbered(i));
        }
        for (int i = 0; i < 63; i++) {
            chain.get(i).peers = Set.of(chain.get(i + 1));
        }
        chain.get(63).peers = Set.copyOf(chain.subList(0, 63));
        assertThatThrownBy(() -> copyOf(chain.get(0)))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("(Map.of or Set.of) holds a key of " + Numbered.class.getName()
                        + " hashed before its own fields were read");
    }

    /** Hashed by its number and its id; the id is read after its peers. */
    static final class Numbered {
        final int n;
        Set<Numbered> peers;
        String id;

        Numbered(int n) {
            this.n = n;
            this.id = "n" + n;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Numbered
                    && n == ((Numbered) other).n
                    && java.util.Objects.equals(id, ((Numbered) other).id);
        }

        @Override
        public int hashCode() {
            return 31 * n + java.util.Objects.hashCode(id);
        }
    }

    /** As {@link #keysThatLookEqualWhileTheirFieldsAreUnreadAllComeBack}, for a hash set's elements. */
    @Test
    void elementsThatLookEqualWhileTheirFieldsAreUnreadAllComeBack() {
        Peer a = new Peer();
        a.id = "a";
        Peer b = new Peer();
        b.id = "b";
        Peer c = new Peer();
        c.id = "c";
        a.peers.add(b);
        b.peers.add(c);
        c.peers.add(a);
        c.peers.add(b);
        Peer copyA = (Peer) copyOf(a);
        Peer copyB = copyA.peers.iterator().next();
        Peer copyC = copyB.peers.iterator().next();
        assertThat(copyC.peers).hasSize(2).contains(copyA, copyB);
    }

    /** Hashed by its id, read after its set of peers. */
    static final class Peer {
        final Set<Peer> peers = new java.util.LinkedHashSet<>();
        String id;

        @Override
        public boolean equals(Object other) {
            return other instanceof Peer && java.util.Objects.equals(id, ((Peer) other).id);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(id);
        }
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
