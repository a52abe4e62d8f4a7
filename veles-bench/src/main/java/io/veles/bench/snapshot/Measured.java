package io.veles.bench.snapshot;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The measured part of a {@link SnapshotBench} run, as a JFR event: {@link StageBreakdown} counts
 * only the samples inside it, leaving out the warm-up and the making of W1. Free when no
 * recording runs.
 */
@Name("io.veles.bench.Measured")
@Label("Measured operation")
@Category("Veles")
final class Measured extends Event {
    @Label("Operation")
    String operation;

    @Label("Codec")
    String codec;

    @Label("State bytes")
    long stateBytes;

    @Label("Heap pre-touched")
    boolean preTouched;

    Measured(String operation, String codec) {
        this.operation = operation;
        this.codec = codec;
        this.preTouched = java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments()
                .contains("-XX:+AlwaysPreTouch");
    }
}
