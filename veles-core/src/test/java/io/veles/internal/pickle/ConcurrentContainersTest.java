package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDK's thread-safe containers may be changed by the application's other threads while a
 * snapshot is written: each is written as one moment of itself, so every snapshot restores. Kryo
 * asked their size and then iterated them (a list twice), and a change in between wrote a size
 * its elements did not match: snapshots that passed their checksum and could not be restored.
 */
class ConcurrentContainersTest {
    public static final class Metrics extends Unit {
        final ConcurrentHashMap<Integer, String> latest = new ConcurrentHashMap<>();
        final CopyOnWriteArrayList<Object> recent = new CopyOnWriteArrayList<>();

        Metrics(Workflow workflow) {
            super(workflow, "metrics");
        }

        @Override
        public void run() {}
    }

    public static final class Served extends Workflow {
        final Metrics metrics;

        public Served() {
            super("served");
            metrics = new Metrics(this);
        }
    }

    @Test
    void containersAnotherThreadChangesStillGiveSnapshotsThatRestore() throws Exception {
        Served served = new Served();
        AtomicBoolean stop = new AtomicBoolean();
        Thread requests = new Thread(() -> {
            Random random = new Random(1);
            for (int i = 0; !stop.get(); i++) {
                served.metrics.latest.put(random.nextInt(2000), "x".repeat(random.nextInt(20)));
                if (served.metrics.latest.size() > 1000) {
                    served.metrics.latest.remove(random.nextInt(2000));
                }
                // elements of two classes: the list's "one class" scan and its write must agree
                served.metrics.recent.add(i % 7 == 0 ? "mark" : (Object) i);
                if (served.metrics.recent.size() > 200) {
                    served.metrics.recent.remove(0);
                }
            }
        });
        requests.setDaemon(true);
        requests.start();
        try {
            for (int snapshot = 0; snapshot < 150; snapshot++) {
                Served restored = RoundTrip.restore(RoundTrip.write(served), Served.class);
                Map<Integer, String> latest = restored.metrics.latest;
                assertThat(latest).as("snapshot %d", snapshot).isInstanceOf(ConcurrentHashMap.class);
                assertThat(latest.keySet()).allSatisfy(key -> assertThat(key).isBetween(0, 1999));
                assertThat(restored.metrics.recent)
                        .as("snapshot %d", snapshot)
                        .isInstanceOf(CopyOnWriteArrayList.class)
                        .allSatisfy(element -> assertThat(element).isInstanceOfAny(Integer.class, String.class));
            }
        } finally {
            stop.set(true);
            requests.join();
        }
    }
}
