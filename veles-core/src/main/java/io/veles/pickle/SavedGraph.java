package io.veles.pickle;

import java.util.List;

/**
 * A snapshot's state read as data, for tools that only look at it ({@code snapshot diff}): every
 * object of the workflow's classes becomes a {@link SavedObject}, every enum constant a
 * {@link SavedEnum}. No code of the workflow runs: no constructor, static initialiser,
 * {@code setState} or {@code initUnpickled()}; its classes are loaded without being initialised,
 * only to learn how their bytes were written. Only JDK classes are instantiated.
 */
public final class SavedGraph {
    private final SavedObject root;
    private final List<SavedObject> units;

    /** For the snapshot reader: the main workflow and every unit, the main workflow first. */
    public SavedGraph(SavedObject root, List<SavedObject> units) {
        this.root = root;
        this.units = List.copyOf(units);
    }

    /** The main workflow. */
    public SavedObject root() {
        return root;
    }

    /** Every unit, the main workflow first, in the order the snapshot numbers them. */
    public List<SavedObject> units() {
        return units;
    }
}
