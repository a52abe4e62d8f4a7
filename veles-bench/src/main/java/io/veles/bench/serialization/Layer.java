package io.veles.bench.serialization;

import java.io.Serializable;

/** A unit that owns a big weight array: the bulk of a real snapshot's bytes. */
public final class Layer implements Serializable {
    private static final long serialVersionUID = 1L;

    String name;
    float[] weights;

    public Layer() {}
}
