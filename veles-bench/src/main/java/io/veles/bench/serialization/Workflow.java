package io.veles.bench.serialization;

import java.io.Serializable;
import java.util.ArrayList;

/** The root of a snapshot: the units in order plus what they share. */
public final class Workflow implements Serializable {
    private static final long serialVersionUID = 1L;

    String name;
    UnitConfig config;
    ArrayList<Unit> units;

    public Workflow() {}
}
