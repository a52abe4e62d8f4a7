package io.veles.internal.pickle;

import io.veles.errors.SnapshotException;

/**
 * The hashing work a restore of the state being written will spend, counted key by key as
 * {@link HashKeys} will count it then, and the keys it will refuse, refused now: a snapshot that
 * saves must restore. {@link #check} compares the total with the budget of the payload written.
 */
final class WrittenHashWork implements HashKeyBudget {
    /**
     * False only while a test forges a snapshot that a restore must refuse (keys a save would
     * refuse), to test the restore's own refusal.
     */
    static volatile boolean checking = true;

    private long work;
    /** The key class last found to be one of the JDK's value classes or an enum (see BoundedContainers). */
    Class<?> lastValueClass;

    private Class<?> plainKey;
    private Class<?> otherPlainKey;

    @Override
    public void hashWork(long units, Class<?> collection) {
        work += units;
    }

    @Override
    public boolean isPlainKey(Class<?> keyClass) {
        return keyClass == plainKey || keyClass == otherPlainKey;
    }

    @Override
    public void notePlainKey(Class<?> keyClass) {
        otherPlainKey = plainKey;
        plainKey = keyClass;
    }

    @Override
    public SnapshotException refused(String why) {
        return new CaptureException("cannot save it: " + why + " (a restore would refuse it)", null);
    }

    /** Refuses a state whose keys would cost a restore of {@code payloadBytes} more than its budget. */
    void check(long payloadBytes) {
        long budget = HashKeyBudget.budget(payloadBytes);
        if (work > budget) {
            throw new SnapshotException("cannot save the state: hashing its keys would take a restore " + work
                    + " steps, more than the " + budget + " its payload allows (" + HASH_WORK_PER_PAYLOAD_BYTE
                    + " per byte): keys with many equal hash codes; give their class a better hashCode");
        }
    }
}
