package io.veles.bench.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Fory anchor of W2 must keep what our snapshot keeps: its copy of W2 holds the same objects,
 * shared as they were (a string or a list copied where the original shared it would count twice),
 * with the same fields and characters. Units of 10,000 in a ring: Fory recurses along it, so the
 * copy runs on a deep stack, as the benchmark's does.
 */
class StockForyTest {

    @Test
    void theCopyHoldsTheSameObjectsSharedAsTheOriginal() throws Exception {
        Workloads.W2 original = new Workloads.W2();
        AtomicReference<Object> copy = new AtomicReference<>();
        Thread deep = new Thread(
                null,
                () -> {
                    try {
                        copy.set(new StockFory().copy(original));
                    } catch (Throwable e) {
                        copy.set(e);
                    }
                },
                "deep-stack",
                256L << 20);
        deep.start();
        deep.join();
        if (copy.get() instanceof Throwable) {
            throw new AssertionError("Fory failed to copy W2", (Throwable) copy.get());
        }
        Map<String, Long> census = W2MirrorTest.census(original);
        assertEquals(census, W2MirrorTest.census((Workflow) copy.get()));
    }
}
