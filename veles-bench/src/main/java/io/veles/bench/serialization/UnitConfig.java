package io.veles.bench.serialization;

import java.io.Serializable;

/** Settings shared by every unit of a workflow: must come back as one object, not thousands. */
public final class UnitConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    String device;
    double learningRate;
    long seed;

    public UnitConfig() {}
}
