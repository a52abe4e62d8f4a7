package io.veles.testing;

import io.veles.errors.SnapshotStoreException;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Predicate;

/**
 * A real store whose {@code open} fails, as a store does when a server errs or a connection
 * drops, for the snapshots {@code failing} selects: every other call goes to the real store.
 */
public final class StoreFaults {
    private StoreFaults() {}

    public static SnapshotStore failingOpen(SnapshotStore real, Predicate<StoredSnapshot> failing, String message) {
        return (SnapshotStore) Proxy.newProxyInstance(
                SnapshotStore.class.getClassLoader(), new Class<?>[] {SnapshotStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("open") && failing.test((StoredSnapshot) args[0])) {
                        throw new SnapshotStoreException(message);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
