package io.veles.internal.pickle;

import static io.veles.internal.pickle.HostilePayloads.LIE;
import static io.veles.internal.pickle.HostilePayloads.newCollection;
import static io.veles.internal.pickle.HostilePayloads.newObject;
import static io.veles.internal.pickle.HostilePayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.veles.errors.SnapshotException;
import io.veles.pickle.ClassAllowList;
import io.veles.pickle.RestoreRules;
import io.veles.testing.FreshJvm;
import io.veles.testing.RoundTrip;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Memory and work of a restore stay proportional to the payload, whatever its bytes declare: the
 * hostile inputs are built here, as payloads for the reader's own Kryo session or as snapshots
 * written by the real writer (valid containers and checksums) whose state is hostile.
 */
class HostileBoundsTest {
    @TempDir
    Path dir;

    private static SnapshotKryo session() {
        return new SnapshotKryo(
                new PickleContext(),
                RestoreRules.allowing(ClassAllowList.forWorkflow(HostileBoundsTest.class, List.of())));
    }

    @Test
    void jdkValuesThatAllocateFromADeclaredLengthAreCheckedFirst() {
        SnapshotKryo session = session();
        assertThatThrownBy(() -> session.kryo.readObject(newCollection(LIE), PriorityQueue.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a priority queue of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(
                        newCollection(LIE), List.of(1, 2, 3).getClass()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a list of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(
                        newCollection(LIE), Arrays.asList(1).getClass()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a list of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(newObject(LIE), BitSet.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a long array of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(newObject(LIE + 1), BigInteger.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a byte array of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(
                        payload(o -> {
                            o.writeVarInt(Kryo.NOT_NULL, true);
                            o.writeVarIntFlag(true, LIE + 1, true);
                        }),
                        StringBuilder.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a string of 1000000000 elements");
    }

    /** Kryo's boolean[] serializer made the array of the length declared before reading an element. */
    @Test
    void aBooleanArrayLengthIsCheckedBeforeTheArrayIsMadeAndHonestOnesReadAsKryoWroteThem() {
        assertThatThrownBy(() -> session()
                        .kryo
                        .readObject(
                                payload(o -> {
                                    o.writeVarInt(Kryo.NOT_NULL, true); // a reference to an object not read before
                                    o.writeVarInt(0x7FFFFFF1, true);
                                }),
                                boolean[].class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a boolean array of 2147483632 elements");
        Output output = new Output(64, -1);
        output.writeVarInt(Kryo.NOT_NULL, true);
        new com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer()
                .write(new Kryo(), output, new boolean[] {true, false, true});
        byte[] bytes = output.toBytes();
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), 64, bytes.length);
        assertThat(session().kryo.readObject(input, boolean[].class)).containsExactly(true, false, true);
        assertThat(input.remaining()).isZero();
    }

    /** A class name of megabytes from a payload is quoted in a refusal of a line, not whole (twice). */
    @Test
    void aRefusedClassNameIsQuotedShort() {
        String name = "com.evil." + "x".repeat(2_000_000);
        assertThatThrownBy(() -> ClassAllowList.forWorkflow(HostileBoundsTest.class, List.of())
                        .check(name))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("... (2000009 characters)")
                .satisfies(refused -> assertThat(refused.getMessage()).hasSizeLessThan(1500));
    }

    @Test
    void honestJdkValuesStillRoundTrip() {
        SnapshotKryo writer = session();
        Output output = new Output(1024, -1);
        BitSet bits = new BitSet();
        bits.set(3);
        bits.set(130);
        List<Object> values = new ArrayList<>(List.of(
                new PriorityQueue<>(List.of(3, 1, 2)).size(),
                List.of("a", "b", "c"),
                Arrays.asList("x", "y"),
                bits,
                new BigInteger("123456789012345678901234567890"),
                new StringBuilder("ünï"),
                Set.of("p", "q", "r"),
                Map.of("k", 1, "l", 2, "m", 3),
                new HashSet<>(List.of("s", "t")),
                new HashMap<>(Map.of(Key.A, 1))));
        writer.kryo.writeClassAndObject(output, values);
        byte[] bytes = output.toBytes();
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), 1024, bytes.length);
        Object read = session().kryo.readClassAndObject(input);
        assertThat(read.toString()).isEqualTo(values.toString());
        assertThat(input.remaining()).isZero();
    }

    enum Key {
        A
    }

    /** A record key: not Comparable, so colliding ones are searched through one by one. */
    record Pair(int a, int b) {}

    /** A record whose components can share or contain one another. */
    record Node(Object left, Object right) {}

    @Test
    void nullElementsCountAgainstTheAllocationBudget() {
        // Each list of nulls takes a few bytes to write, and its declared slots on restore.
        List<Object> lists = nullLists(1000);
        byte[] snapshot = snapshotCarrying(lists);
        assertThat(snapshot.length).isLessThan(64 << 10);
        assertThatThrownBy(() -> RoundTrip.restore(snapshot, HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("its declared lengths (a collection last) ask for more than")
                .hasMessageContaining("32 times its");
        // A few such lists are within the budget.
        assertThat(cargo(RoundTrip.restore(snapshotCarrying(nullLists(2)), HostileSnapshotTest.CarrierWorkflow.class)))
                .asList()
                .hasSize(3);
    }

    /**
     * {@code count} lists of 20,000 nulls each, then 32 KiB of zeros: a list declares no more
     * elements than the bytes after it, as an honest writer's would near the end of a payload.
     */
    private static List<Object> nullLists(int count) {
        List<Object> lists = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lists.add(new ArrayList<>(Collections.nCopies(20_000, null)));
        }
        lists.add(new float[8192]);
        return lists;
    }

    /**
     * A CopyOnWriteArrayList copies its array on every add: restored element by element, 60,000
     * nulls (a few bytes of payload) copied 1.8 billion slots. Its elements are now added at once.
     */
    @Test
    void aCopyOnWriteListIsRestoredInLinearWork() {
        int count = 60_000;
        List<Object> cargo = new ArrayList<>();
        cargo.add(new java.util.concurrent.CopyOnWriteArrayList<>(Collections.nCopies(count, null)));
        cargo.add(new byte[count]); // so that the declared length is within the bytes after it
        byte[] snapshot = snapshotCarrying(cargo);
        long before = allocatedHere();
        HostileSnapshotTest.CarrierWorkflow restored =
                RoundTrip.restore(snapshot, HostileSnapshotTest.CarrierWorkflow.class);
        long allocated = allocatedHere() - before;
        List<?> list = (List<?>) ((List<?>) cargo(restored)).get(0);
        assertThat(list)
                .isInstanceOf(java.util.concurrent.CopyOnWriteArrayList.class)
                .hasSize(count);
        assertThat(allocated).as("bytes allocated by the restore").isLessThan(64L << 20);
    }

    /** A holder in a CopyOnWriteArrayList that refers back to the list gets the list itself, filled. */
    @Test
    void aCopyOnWriteListThatItsElementsReferToComesBackWhole() {
        java.util.concurrent.CopyOnWriteArrayList<Object> list = new java.util.concurrent.CopyOnWriteArrayList<>();
        list.add(new Node(list, "first"));
        list.add("second");
        HostileSnapshotTest.CarrierWorkflow restored =
                RoundTrip.restore(snapshotCarrying(list), HostileSnapshotTest.CarrierWorkflow.class);
        List<?> read = (List<?>) cargo(restored);
        assertThat(read).hasSize(2).element(1).isEqualTo("second");
        assertThat(((Node) read.get(0)).left()).isSameAs(read);
        assertThat(((Node) read.get(0)).right()).isEqualTo("first");
    }

    private static long allocatedHere() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Tag("slow")
    @Test
    void nullListsThatWouldExhaustASmallHeapAreRefusedThere() throws Exception {
        List<Object> lists = nullLists(2000); // 160 MB of slots, more than the child's heap
        Path file = dir.resolve("nulls.snap");
        Files.write(file, snapshotCarrying(lists));
        lists.clear();
        assertThat(restoreInChild(file, "-Xmx48m")).startsWith("REFUSED").contains("declared lengths");
    }

    @Test
    void aListThatContainsItselfIsRefusedAsAHashSetElement() {
        List<Object> list = new ArrayList<>();
        Set<Object> set = new HashSet<>();
        set.add(list);
        list.add(list); // after the add: hashing it now would overflow the stack
        assertThatThrownBy(() -> RoundTrip.restore(snapshotCarrying(set), HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("a java.util.HashSet holds a java.util.ArrayList as a key");
    }

    @Test
    void aGraphKeyIsRefusedAmongOtherKeysAndAfterPlainOnes() {
        // Classes of plain keys are remembered across maps; a list after them must still be
        // refused, alone in its map and among other keys.
        List<Object> list = new ArrayList<>(List.of("x"));
        Map<Object, Object> plain = new HashMap<>(Map.of("b", 1, 3, 4)); // Strings and Integers met first
        Map<Object, Object> among = new LinkedHashMap<>();
        among.put("a", 1);
        among.put(2, 2);
        among.put(list, 3);
        Map<Object, Object> alone = new HashMap<>();
        alone.put(list, 5);
        for (Map<Object, Object> map : List.of(among, alone)) {
            List<Object> cargo = new ArrayList<>(List.of(plain, map));
            assertThatThrownBy(
                            () -> RoundTrip.restore(snapshotCarrying(cargo), HostileSnapshotTest.CarrierWorkflow.class))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("a " + map.getClass().getName() + " holds a java.util.ArrayList as a key");
        }
        Set<Object> set = new HashSet<>(List.of("c", 5, list));
        assertThatThrownBy(() -> RoundTrip.restore(snapshotCarrying(set), HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("a java.util.HashSet holds a java.util.ArrayList as a key");
    }

    /** Makes {@code head} L_0 of L_i = [L_i+1, L_i+1], {@code levels} deep: a few hundred bytes, 2^levels paths. */
    private static void growSharedTwicePerLevel(List<Object> head, int levels) {
        List<Object> node = head;
        for (int i = 0; i < levels; i++) {
            List<Object> next = new ArrayList<>();
            node.add(next);
            node.add(next);
            node = next;
        }
    }

    @Test
    void sharedNodeListsAreRefusedAsHashMapKeys() {
        // L_i = [L_i+1, L_i+1]: one hashCode of L_0 would cost 2^60 steps.
        Map<Object, Object> map = new HashMap<>();
        List<Object> head = new ArrayList<>();
        map.put(head, "x");
        growSharedTwicePerLevel(head, 60); // after the put: hashing it once grown is the bomb
        assertThatThrownBy(() -> RoundTrip.restore(snapshotCarrying(map), HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("a java.util.HashMap holds a java.util.ArrayList as a key");
        // The same with records: a shared record inside a key is refused.
        Node shared = new Node("leaf", 1);
        Set<Object> set = new HashSet<>(Set.of(new Node(shared, shared)));
        assertThatThrownBy(() -> RoundTrip.restore(snapshotCarrying(set), HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("appears twice in it (shared or cyclic)");
    }

    /**
     * An Optional hashes as its value, and a BitSet walks every word each time: neither was
     * charged. Optional.of(list of lists sharing their elements, 60 deep) as a lone key took 2^60
     * hashCode calls; one large BitSet keying a thousand sets, a thousand times its words.
     */
    @Test
    void optionalAndBitSetKeysAreWalkedAndChargedAsTheirContentHashes() {
        List<Object> head = new ArrayList<>();
        Map<Object, Object> deep = new HashMap<>();
        deep.put(java.util.Optional.of(head), "x");
        growSharedTwicePerLevel(head, 60);
        // bounded, so that a regression fails here instead of hashing for ever
        assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(60),
                        () -> RoundTrip.restore(snapshotCarrying(deep), HostileSnapshotTest.CarrierWorkflow.class)))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(
                        "a java.util.HashMap holds a key (java.util.Optional) with a java.util.ArrayList in it");
        assertThatThrownBy(() -> HostileCargo.carrying(deep))
                .hasMessageContaining("cannot save it: a java.util.HashMap holds a key (java.util.Optional)");

        BitSet words = new BitSet();
        words.set(0, 1 << 26); // 2^20 words, all ones
        List<Object> sets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sets.add(new HashSet<>(List.of(words)));
        }
        assertThatThrownBy(() -> RoundTrip.restore(snapshotCarrying(sets), HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("hashing the keys of a java.util.HashSet takes more than");
        Map<Object, Object> honest =
                new HashMap<>(Map.of(java.util.Optional.of("a"), 1, java.util.Optional.empty(), 2));
        assertThat(RoundTrip.restore(snapshotCarrying(honest), HostileSnapshotTest.CarrierWorkflow.class))
                .isNotNull();
    }

    /** A save refuses the keys a restore would refuse, so that every snapshot saved restores. */
    @Test
    void whatARestoreWouldRefuseToHashIsRefusedWhenSaved() {
        Map<Object, Object> listKey = new HashMap<>(Map.of(new ArrayList<>(List.of(1)), "x"));
        assertThatThrownBy(() -> HostileCargo.carrying(listKey))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("cannot save it: a java.util.HashMap holds a java.util.ArrayList as a key")
                .hasMessageContaining("(a restore would refuse it)");
        Node shared = new Node("leaf", 1);
        Set<Object> sharedInKey = new HashSet<>(Set.of(new Node(shared, shared)));
        assertThatThrownBy(() -> HostileCargo.carrying(sharedInKey))
                .hasMessageContaining("appears twice in it (shared or cyclic)");
        Map<Object, Object> colliding = new HashMap<>();
        Map<Object, Object> strings = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            colliding.put(new Pair(i, -31 * i), i);
            strings.put(collidingString(i), i);
        }
        assertThatThrownBy(() -> HostileCargo.carrying(colliding))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot save the state: hashing its keys would take a restore ")
                .hasMessageContaining("give their class a better hashCode");
        // colliding Strings cost a restore little (a HashMap keeps them in a sorted tree): saved and restored
        assertThat(cargo(RoundTrip.restore(HostileCargo.carrying(strings), HostileSnapshotTest.CarrierWorkflow.class)))
                .isEqualTo(strings);
    }

    /**
     * A BigInteger hashes its whole magnitude each time: one large value shared as the key of many
     * maps costs its size per map. Charged so, it is refused where a payload of its size could
     * not pay for it, at restore and at save; as many distinct values restore.
     */
    @Test
    void aLargeNumberSharedAsTheKeyOfManyMapsIsChargedItsSizeEachTime() {
        BigInteger large = BigInteger.ONE.shiftLeft(1 << 19).subtract(BigInteger.ONE); // 64 KiB
        List<Object> maps = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            maps.add(new HashMap<>(Map.of(large, i)));
        }
        assertThatThrownBy(() -> RoundTrip.restore(snapshotCarrying(maps), HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("hashing the keys of a java.util.HashMap takes more than");
        assertThatThrownBy(() -> HostileCargo.carrying(maps))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot save the state: hashing its keys would take a restore ");

        Map<Object, Object> distinct = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            distinct.put(BigInteger.valueOf(i).shiftLeft(1000), new java.math.BigDecimal(BigInteger.TEN.pow(300), i));
        }
        Set<Object> decimals = new HashSet<>(distinct.values());
        assertThat(cargo(RoundTrip.restore(
                        HostileCargo.carrying(List.of(distinct, decimals)), HostileSnapshotTest.CarrierWorkflow.class)))
                .isEqualTo(List.of(distinct, decimals));
    }

    @Test
    void collidingKeysAreRefusedBeforeTheirCostGrowsQuadratic() {
        // Pair(i, -31 i) all hash to 0 (31 a + b), and a record is not Comparable: HashMap searches them one by one.
        Map<Object, Object> colliding = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            colliding.put(new Pair(i, -31 * i), i);
        }
        assertThat(new Pair(5, -155).hashCode()).isEqualTo(new Pair(7, -217).hashCode());
        assertThatThrownBy(
                        () -> RoundTrip.restore(snapshotCarrying(colliding), HostileSnapshotTest.CarrierWorkflow.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("hashing the keys of a java.util.HashMap takes more than");
        // As many keys that do not collide restore, as do colliding Strings (a HashMap keeps them in a sorted tree).
        Map<Object, Object> spread = new HashMap<>();
        Map<Object, Object> strings = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            spread.put(new Pair(i, i), i);
            strings.put(collidingString(i), i);
        }
        assertThat(collidingString(1).hashCode()).isEqualTo(collidingString(2).hashCode());
        assertThat(cargo(RoundTrip.restore(snapshotCarrying(spread), HostileSnapshotTest.CarrierWorkflow.class)))
                .isEqualTo(spread);
        assertThat(cargo(RoundTrip.restore(snapshotCarrying(strings), HostileSnapshotTest.CarrierWorkflow.class)))
                .isEqualTo(strings);
    }

    /** Strings of "Aa" and "BB" blocks, which hash alike: the bits of {@code i} choose the blocks. */
    private static String collidingString(int i) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < 12; bit++) {
            s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
        }
        return s.toString();
    }

    @Test
    void runningOutOfHeapOrStackIsOneLine() {
        assertThatThrownBy(() -> ResourceErrors.guard("cannot read the state", () -> {
                    throw new OutOfMemoryError("Java heap space");
                }))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot read the state: out of memory")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> ResourceErrors.guard("cannot read the state", HostileBoundsTest::recurse))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("nests too deeply for this thread's stack");
    }

    private static Object recurse() {
        return recurse() == null ? null : "";
    }

    /** A snapshot carrying {@code cargo}, forged past the save's own refusal of hash keys: these tests test the restore's. */
    private static byte[] snapshotCarrying(Object cargo) {
        return HostileCargo.forged(cargo);
    }

    private static Object cargo(HostileSnapshotTest.CarrierWorkflow workflow) {
        return ((HostileSnapshotTest.Carrier) workflow.units().stream()
                        .filter(u -> u instanceof HostileSnapshotTest.Carrier)
                        .findFirst()
                        .orElseThrow())
                .cargo;
    }

    /** Restores {@code file} in a child JVM with {@code heap}; its one-line outcome. */
    private static String restoreInChild(Path file, String heap) throws Exception {
        String output = String.join(
                "\n", FreshJvm.run(List.of(heap), null, HostileSnapshotTest.class, "restore", file.toString()));
        assertThat(output).doesNotContain("OutOfMemoryError");
        return output.lines()
                .filter(line -> line.startsWith("RESTORED") || line.startsWith("REFUSED"))
                .findFirst()
                .orElse(output);
    }
}
