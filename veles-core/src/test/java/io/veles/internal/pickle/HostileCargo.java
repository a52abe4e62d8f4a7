package io.veles.internal.pickle;

import io.veles.testing.RoundTrip;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Snapshots of {@link HostileSnapshotTest.CarrierWorkflow} carrying hostile state, for tests in other modules. */
public final class HostileCargo {
    private HostileCargo() {}

    /** A HashSet holding a list that contains itself: hashing it on restore would overflow the stack. */
    public static byte[] selfContainingHashSetElement() {
        List<Object> list = new ArrayList<>();
        Set<Object> set = new HashSet<>();
        set.add(list);
        list.add(list);
        return forged(set);
    }

    /** The same workflow carrying a plain string. */
    public static byte[] honest() {
        return carrying("plain");
    }

    static byte[] carrying(Object cargo) {
        HostileSnapshotTest.CarrierWorkflow workflow = new HostileSnapshotTest.CarrierWorkflow();
        new HostileSnapshotTest.Carrier(workflow).cargo = cargo;
        return RoundTrip.write(workflow, io.veles.snapshot.codec.Codec.GZIP);
    }

    /**
     * As {@link #carrying}, without the save's own check of hash keys: a snapshot as an attacker
     * (or an older veles) could have written it, for testing the restore's refusal.
     */
    public static byte[] forged(Object cargo) {
        WrittenHashWork.checking = false;
        try {
            return carrying(cargo);
        } finally {
            WrittenHashWork.checking = true;
        }
    }
}
