package io.veles.bench.serialization;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * A unit shaped like the engine's: a few scalars, two small containers, a shared config and links
 * to its neighbours. Not final, because real units are subclasses and links are declared as the
 * base type; so every library writes a type tag for each link, as it would for real units.
 */
public class Unit implements Serializable {
    private static final long serialVersionUID = 1L;

    String name;
    int index;
    long created;
    double weight;
    boolean enabled;
    ArrayList<Integer> shape;
    LinkedHashMap<String, Object> attributes;
    UnitConfig config;
    Unit prev;
    Unit next;

    /** For libraries that instantiate through a constructor (Kryo's default strategy, flat readers). */
    public Unit() {}
}
