package io.veles.velesimport;

/** An array found in a VELES pickle: the unit holding it (name and class), its attribute path, the array. */
public record FoundArray(String unit, String unitClass, String path, NumpyArray array) {
    /** The name it is exported under: {@code unit.path}, or {@code unit} for a pickle that is one bare array. */
    public String name() {
        return path.isEmpty() ? unit : unit + "." + path;
    }
}
