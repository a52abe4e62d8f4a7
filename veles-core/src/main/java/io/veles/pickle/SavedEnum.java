package io.veles.pickle;

/** An enum constant as a snapshot saved it: by name, without initialising the enum's class. */
public record SavedEnum(String className, String name) {
    @Override
    public String toString() {
        return name;
    }
}
