package io.veles.bench.snapshot;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The largest live heap seen during a measurement: the heap in use just after each garbage
 * collection (peak usage would count garbage not yet collected, which says nothing of what a
 * snapshot needs).
 */
final class LiveHeap {
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final Set<String> heapPools = new HashSet<>();

    LiveHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector)
                    .addNotificationListener(
                            (notification, handback) -> {
                                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                        notification.getType())) {
                                    return;
                                }
                                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                        (CompositeData) notification.getUserData());
                                long live = 0;
                                for (Map.Entry<String, MemoryUsage> pool :
                                        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                                    if (heapPools.contains(pool.getKey())) {
                                        live += pool.getValue().getUsed();
                                    }
                                }
                                maxAfterGc.accumulateAndGet(live, Math::max);
                                collections.incrementAndGet();
                            },
                            null,
                            null);
        }
    }

    /** Collects, then starts a measurement; returns the live heap now. */
    long start() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        maxAfterGc.set(0);
        collections.set(0);
        return used;
    }

    /** The largest heap in use after a collection since {@link #start}, or after one collection now. */
    long maxLive() {
        if (collections.get() == 0) {
            System.gc(); // none happened: what is live at the end is all we can know
            try {
                Thread.sleep(100); // notifications arrive on another thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return maxAfterGc.get();
    }

    long collections() {
        return collections.get();
    }
}
