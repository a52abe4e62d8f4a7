package io.veles.internal.pickle;

/**
 * Numbers objects by identity, 0, 1, 2... in the order they are added: the written objects of a
 * snapshot, and its units. Open addressing with linear probing, at most 70% full.
 *
 * <p>Kept small on purpose: a lookup is a random access, and once the table outgrows the cache
 * each one waits for memory (here loads cost 15 ns within 2 MiB and 135 ns beyond). A slot is
 * the key's reference and its number, in two arrays, so a lookup of a new object (most of a
 * snapshot's) reads one cache line of keys and only writes the number. Numbering 100,000
 * objects took 90 ns each with the identity hash kept beside the number at most half full
 * (12 bytes a slot, 3 MiB), 52-59 ns this way. Growing re-reads each key's identity hash, so
 * {@link #expect} sizes the table for a snapshot up front. A lookup that misses remembers its
 * slot for the {@link #add} that follows it.
 *
 * <p>Beyond the cache, a lookup's wait comes one at a time, each after the work of writing the
 * object before it. {@link #prefetch} lets a writer start the lookups of an object's fields
 * together, before writing any: their loads then wait for memory at once. Writing a chain of
 * 100,000 units took 2.12-2.19 µs a unit without it and 1.43-1.46 with it (10,000 units:
 * 1.08-1.22 either way).
 */
final class IdentityNumbers {
    private static final int MIN_CAPACITY = 64;
    /** The largest table {@link #expect} makes up front: 16 Mi slots. */
    private static final int MAX_EXPECTED_CAPACITY = 1 << 24;
    /** Fill above which the table doubles: linear probing stays within a cache line or two. */
    private static final double MAX_LOAD = 0.7;

    /** The keys, in pages: see {@link ReferencePages} for what one large array costs under G1. */
    private ReferencePages keys;

    /** The numbers, by slot; its length is the table's capacity, a power of two. */
    private int[] numbers;

    private int shift;
    private int size;
    private int threshold;
    private Object missed;
    private int missedSlot;
    /** What {@link #prefetch} read, summed: a value the compiler cannot drop the reads of. */
    private int prefetched;

    IdentityNumbers() {
        allocate(MIN_CAPACITY);
    }

    /**
     * Sizes the empty table for about {@code count} objects, so that it need not grow (each
     * growth moves every entry, and they add up to as much work as the numbering itself).
     */
    void expect(int count) {
        long slots = Math.min(MAX_EXPECTED_CAPACITY, Math.max(MIN_CAPACITY, (long) Math.ceil(count / MAX_LOAD)));
        int capacity = Integer.highestOneBit((int) slots - 1) << 1; // the power of two at or above
        if (size == 0 && capacity > numbers.length) {
            allocate(capacity);
        }
    }

    /** The number of {@code object}, or -1 when it has none yet. */
    int numberOf(Object object) {
        int mask = numbers.length - 1;
        for (int slot = slotOf(System.identityHashCode(object)); ; slot = (slot + 1) & mask) {
            Object key = keys.get(slot);
            if (key == object) {
                return numbers[slot];
            }
            if (key == null) {
                missed = object;
                missedSlot = slot;
                return -1;
            }
        }
    }

    /**
     * Reads the slot where a lookup of {@code object} starts, key and number, so that the lookup
     * finds both in the cache. Changes nothing; the sum is kept only so that the reads are made.
     */
    void prefetch(Object object) {
        int slot = slotOf(System.identityHashCode(object));
        Object key = keys.get(slot);
        prefetched += numbers[slot] + (key == null ? 0 : 1);
    }

    /** Gives {@code object}, which has no number yet, the next one and returns it. */
    int add(Object object) {
        int slot = object == missed ? missedSlot : freeSlot(object);
        missed = null;
        int number = size++;
        keys.set(slot, object);
        numbers[slot] = number;
        if (size > threshold) {
            grow();
        }
        return number;
    }

    int size() {
        return size;
    }

    /** Forgets every object; the table keeps its size, for a graph like the last one. */
    void clear() {
        keys.clear(numbers.length);
        size = 0;
        missed = null;
    }

    private void allocate(int capacity) {
        keys = new ReferencePages(capacity);
        numbers = new int[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
        threshold = (int) (capacity * MAX_LOAD);
    }

    private void grow() {
        ReferencePages oldKeys = keys;
        int[] oldNumbers = numbers;
        allocate(oldNumbers.length * 2);
        for (int i = 0; i < oldNumbers.length; i++) {
            Object key = oldKeys.get(i);
            if (key != null) {
                int slot = freeSlot(key);
                keys.set(slot, key);
                numbers[slot] = oldNumbers[i];
            }
        }
    }

    private int freeSlot(Object key) {
        int mask = numbers.length - 1;
        int slot = slotOf(System.identityHashCode(key));
        while (keys.get(slot) != null) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** The top bits of the hash times the golden ratio: well spread whatever bits the hash varies in. */
    private int slotOf(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }
}
