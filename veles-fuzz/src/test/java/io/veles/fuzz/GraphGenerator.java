package io.veles.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Builds an object graph from fuzz data, of the kinds a snapshot holds: lists, sets, maps,
 * queues, arrays, records, everyday values, with shared and cyclic references. Hash containers
 * are filled first, while the containers they may hold are still empty (hashing a cycle here
 * would overflow the stack); the other containers are filled after, so that a set can end up
 * holding a list that contains itself, or a chain of shared lists, as a hostile payload would.
 */
final class GraphGenerator {
    private static final int MAX_NODES = 48;

    private final FuzzedDataProvider data;
    private final List<Object> nodes = new ArrayList<>();

    private GraphGenerator(FuzzedDataProvider data) {
        this.data = data;
    }

    /** The graph's root: a list of the nodes the fuzz data chose. */
    static Object generate(FuzzedDataProvider data) {
        return new GraphGenerator(data).build();
    }

    private Object build() {
        int count = data.consumeInt(1, MAX_NODES);
        for (int i = 0; i < count; i++) {
            nodes.add(newContainer(data.consumeInt(0, 11)));
        }
        for (int i = 0; i < count; i++) {
            if (isHashed(nodes.get(i))) {
                fill(i);
            }
        }
        for (int i = 0; i < count; i++) {
            if (!isHashed(nodes.get(i))) {
                fill(i);
            }
        }
        return new ArrayList<>(nodes);
    }

    private static Object newContainer(int kind) {
        switch (kind) {
            case 0:
                return new ArrayList<>();
            case 1:
                return new LinkedList<>();
            case 2:
                return new ArrayDeque<>();
            case 3:
                return new HashSet<>();
            case 4:
                return new LinkedHashSet<>();
            case 5:
                return new HashMap<>();
            case 6:
                return new LinkedHashMap<>();
            case 7:
                return new PriorityQueue<Integer>();
            case 8:
                return new Object[0]; // replaced by a filled array
            case 9:
                return new ArrayList<>(Collections.nCopies(0, null)); // filled with nulls
            case 10:
                return new LinkedHashMap<>(16, 0.75f, true); // access-ordered
            default:
                return new ArrayList<>();
        }
    }

    private static boolean isHashed(Object node) {
        return node instanceof Set<?> || node instanceof Map<?, ?>;
    }

    @SuppressWarnings("unchecked")
    private void fill(int index) {
        Object node = nodes.get(index);
        int size = data.consumeInt(0, 12);
        if (node instanceof PriorityQueue<?>) {
            for (int i = 0; i < size; i++) {
                ((PriorityQueue<Integer>) node).add(data.consumeInt());
            }
        } else if (node instanceof Object[]) {
            Object[] array = new Object[size];
            for (int i = 0; i < size; i++) {
                array[i] = element(false);
            }
            nodes.set(index, array);
        } else if (node instanceof Map<?, ?>) {
            Map<Object, Object> map = (Map<Object, Object>) node;
            for (int i = 0; i < size; i++) {
                map.put(element(true), element(false));
            }
        } else if (node instanceof Collection<?>) {
            Collection<Object> collection = (Collection<Object>) node;
            boolean nullsOnly = data.consumeInt(0, 9) == 0 && !(node instanceof ArrayDeque<?>);
            int length = nullsOnly ? data.consumeInt(0, 5000) : size;
            for (int i = 0; i < length; i++) {
                Object element = nullsOnly ? null : element(isHashed(node));
                if (element != null || !(node instanceof ArrayDeque<?>)) {
                    collection.add(element);
                }
            }
        }
    }

    /** A value or a reference to a node; as a hash key ({@code key}), only a node that hashes cheaply now. */
    private Object element(boolean key) {
        int choice = data.consumeInt(0, 13);
        switch (choice) {
            case 0:
                return null;
            case 1:
                return data.consumeInt();
            case 2:
                return data.consumeString(16);
            case 3:
                return data.consumeLong();
            case 4:
                byte[] magnitude = data.consumeBytes(24);
                return new BigInteger(magnitude.length == 0 ? new byte[] {1} : magnitude);
            case 5:
                return BitSet.valueOf(data.consumeLongs(4));
            case 6:
                return new StringBuilder(data.consumeString(16));
            case 7:
                return new GraphWorkflow.Pair(data.consumeInt(), data.consumeInt());
            case 8:
                return List.of(data.consumeInt(), data.consumeInt());
            case 9:
                return Arrays.asList(data.consumeInt(), null);
            case 10:
                return Map.of(data.consumeString(4), data.consumeInt());
            default:
                Object node = nodes.get(data.consumeInt(0, nodes.size() - 1));
                if (key && !hashesCheaply(node)) {
                    return new GraphWorkflow.Pair(data.consumeInt(), null);
                }
                return key || choice != 12 ? node : new GraphWorkflow.Pair(node, node); // shared in a record
        }
    }

    /** Whether hashing {@code node} now is cheap: it is still empty (it may fill later). */
    private static boolean hashesCheaply(Object node) {
        if (node instanceof Collection<?>) {
            return ((Collection<?>) node).isEmpty();
        }
        if (node instanceof Map<?, ?>) {
            return ((Map<?, ?>) node).isEmpty();
        }
        return true; // arrays hash by identity
    }
}
