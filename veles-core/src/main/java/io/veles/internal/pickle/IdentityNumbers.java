package io.veles.internal.pickle;

import java.util.Arrays;

/**
 * Numbers objects by identity, 0, 1, 2... in the order they are added: the written objects of a
 * snapshot, and its units. Open addressing at most half full. Each slot keeps its key's identity
 * hash beside its number, so that growing the table never reads the objects again, and adding an
 * object touches two cache lines, not three: with a million objects the table outgrows the
 * caches, and its misses were what made a large snapshot cost more per object than a small one.
 * A lookup that misses remembers its slot for the {@link #add} that follows it.
 */
final class IdentityNumbers {
    private static final int MIN_CAPACITY = 64;
    /** The largest table {@link #expect} makes up front: 16 Mi slots. */
    private static final int MAX_EXPECTED_CAPACITY = 1 << 24;

    private Object[] keys;
    /** Slot i's key's identity hash at 2i, its number at 2i + 1. */
    private int[] hashAndNumber;

    private int shift;
    private int size;
    private Object missed;
    private int missedSlot;
    private int missedHash;

    IdentityNumbers() {
        allocate(MIN_CAPACITY);
    }

    /**
     * Sizes the empty table for about {@code count} objects, so that it need not grow (each
     * growth moves every entry, and they add up to as much work as the numbering itself).
     */
    void expect(int count) {
        int slots = (int) Math.min(MAX_EXPECTED_CAPACITY, Math.max(MIN_CAPACITY, 2L * count));
        int capacity = Integer.highestOneBit(slots - 1) << 1; // the power of two at or above
        if (size == 0 && capacity > keys.length) {
            allocate(capacity);
        }
    }

    /** The number of {@code object}, or -1 when it has none yet. */
    int numberOf(Object object) {
        int hash = System.identityHashCode(object);
        int mask = keys.length - 1;
        for (int slot = slotOf(hash); ; slot = (slot + 1) & mask) {
            Object key = keys[slot];
            if (key == object) {
                return hashAndNumber[2 * slot + 1];
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
        put(slot, object, hash, number);
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

    private void allocate(int capacity) {
        keys = new Object[capacity];
        hashAndNumber = new int[2 * capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    private void put(int slot, Object key, int hash, int number) {
        keys[slot] = key;
        hashAndNumber[2 * slot] = hash;
        hashAndNumber[2 * slot + 1] = number;
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] old = hashAndNumber;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(freeSlot(old[2 * i]), oldKeys[i], old[2 * i], old[2 * i + 1]);
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
