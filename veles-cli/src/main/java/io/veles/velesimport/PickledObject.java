package io.veles.velesimport;

import net.razorvine.pickle.objects.ClassDict;

/**
 * An object of a class the pickle names, as the dictionary of its attributes. Equal only to
 * itself, like the Python object: VELES keys dictionaries by units (links_from, links_to), and a
 * dictionary's content hash would walk the workflow's cycles forever.
 */
final class PickledObject extends ClassDict {
    private static final long serialVersionUID = 1L;

    PickledObject(String module, String name) {
        super(module, name);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** As Python shows an object, never its attributes (which lead round the workflow's cycles). */
    @Override
    public String toString() {
        return "<" + getClassName() + " object>";
    }
}
