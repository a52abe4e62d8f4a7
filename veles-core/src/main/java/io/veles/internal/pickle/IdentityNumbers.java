package io.veles.internal.pickle;

import java.util.Arrays;

/**
 * Numbers objects by identity, 0, 1, 2... in the order they are added: the written objects of a
 * snapshot, and its units. Open addressing at most half full, each slot keeping its key's
 * identity hash, so that growing the table never reads the objects again: with a million objects
 * spread over the heap, rereading each one's header is what made a large snapshot cost more per
 * object than a small one. A lookup that misses remembers its slot for the {@link #add} that
 * follows it.
 */
final class IdentityNumbers {
    private static final int MIN_CAPACITY = 64;

    private Object[] keys = new Object[MIN_CAPACITY];
    private int[] hashes = new int[MIN_CAPACITY];
    private int[] numbers = new int[MIN_CAPACITY];
    private int shift = 32 - Integer.numberOfTrailingZeros(MIN_CAPACITY);
    private int size;
    private Object missed;
    private int missedSlot;
    private int missedHash;

    /** The number of {@code object}, or -1 when it has none yet. */
    int numberOf(Object object) {
        int hash = System.identityHashCode(object);
        int mask = keys.length - 1;
        for (int slot = slotOf(hash); ; slot = (slot + 1) & mask) {
            Object key = keys[slot];
            if (key == object) {
                return numbers[slot];
            }
            if (key == null) {
                missed = object;
                missedSlot = slot;
                missedHash = hash;
                return -1;
            }
        }
    }

    /** Gives {@code object}, which has no number yet, the next one and returns it. */
    int add(Object object) {
        int hash;
        int slot;
        if (object == missed) {
            hash = missedHash;
            slot = missedSlot;
        } else {
            hash = System.identityHashCode(object);
            slot = freeSlot(hash);
        }
        missed = null;
        int number = size++;
        keys[slot] = object;
        hashes[slot] = hash;
        numbers[slot] = number;
        if (2 * size > keys.length) {
            grow();
        }
        return number;
    }

    int size() {
        return size;
    }

    /** Forgets every object; the table keeps its size, for a graph like the last one. */
    void clear() {
        Arrays.fill(keys, null);
        size = 0;
        missed = null;
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldHashes = hashes;
        int[] oldNumbers = numbers;
        int capacity = oldKeys.length * 2;
        keys = new Object[capacity];
        hashes = new int[capacity];
        numbers = new int[capacity];
        shift--;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = freeSlot(oldHashes[i]);
                keys[slot] = oldKeys[i];
                hashes[slot] = oldHashes[i];
                numbers[slot] = oldNumbers[i];
            }
        }
    }

    private int freeSlot(int hash) {
        int mask = keys.length - 1;
        int slot = slotOf(hash);
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** The top bits of the hash times the golden ratio: well spread whatever bits the hash varies in. */
    private int slotOf(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }
}
