package io.veles.internal.pickle;

import io.veles.errors.SnapshotException;

/**
 * Where {@link HashKeys} charges the work of hashing keys, and how it refuses a key: a restore
 * ({@link SnapshotInput}, within a budget per payload byte) and a save ({@link WrittenHashWork},
 * which refuses what a restore would, so that a snapshot that saves restores).
 */
interface HashKeyBudget {
    /** Hash-key work units a restore may spend, per payload byte, plus {@link #SLACK}. */
    int HASH_WORK_PER_PAYLOAD_BYTE = 16;

    /** What any restore may spend beyond its share per payload byte (1 Mi units). */
    long SLACK = 1 << 20;

    /** The work a restore of {@code payloadBytes} may spend hashing keys. */
    static long budget(long payloadBytes) {
        return HASH_WORK_PER_PAYLOAD_BYTE * payloadBytes + SLACK;
    }

    /** Charges {@code units} of hashing work for the keys of a {@code collection}. */
    void hashWork(long units, Class<?> collection);

    /** Whether keys of {@code keyClass} were found plain (no record to walk) lately. */
    boolean isPlainKey(Class<?> keyClass);

    void notePlainKey(Class<?> keyClass);

    /** The refusal of a key, {@code why} saying what it is. */
    SnapshotException refused(String why);
}
