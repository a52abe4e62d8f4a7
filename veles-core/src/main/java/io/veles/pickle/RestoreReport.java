package io.veles.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a restore noticed about code changes since the snapshot: per class, the fields the code
 * added (with the value each took), removed, renamed (by {@link FormerName}), retyped and
 * reordered; classes restored under a new name; units whose class the code no longer has.
 */
public final class RestoreReport {
    /** One class whose fields changed. */
    public record ClassChange(
            String className,
            List<String> added,
            List<String> removed,
            List<String> renamed,
            List<String> retyped,
            boolean reordered) {
        /** One line naming the class and the fields. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!renamed.isEmpty()) {
                parts.add("renamed " + String.join(", ", renamed));
            }
            if (!retyped.isEmpty()) {
                parts.add("retyped " + String.join(", ", retyped));
            }
            if (!added.isEmpty()) {
                parts.add("added " + String.join(", ", added));
            }
            if (!removed.isEmpty()) {
                parts.add("removed " + String.join(", ", removed) + " (dropped)");
            }
            if (reordered) {
                parts.add("reordered fields");
            }
            return className + ": " + String.join("; ", parts);
        }
    }

    private final List<ClassChange> changes = new ArrayList<>();
    private final List<String> renamedClasses = new ArrayList<>();
    private final List<String> removedUnits = new ArrayList<>();

    /** Recorded by the reader: a class whose fields changed since the snapshot. */
    public void fieldsChanged(ClassChange change) {
        changes.add(change);
    }

    /** Recorded by the reader: a class restored under a new name. */
    public void classRenamed(String oldName, String newName) {
        renamedClasses.add(oldName + " → " + newName);
    }

    /** Recorded by the reader: a unit whose class the code no longer has. */
    public void unitRemoved(String unitName, String className) {
        removedUnits.add("unit '" + unitName + "' (" + className + "): the code no longer has its class; restored as"
                + " a placeholder that does nothing and keeps its links, its state dropped");
    }

    /** Units whose class the code no longer has, one line each. */
    public List<String> removedUnits() {
        return Collections.unmodifiableList(removedUnits);
    }

    /** Classes restored under a new name, as "old → new". */
    public List<String> renamedClasses() {
        return Collections.unmodifiableList(renamedClasses);
    }

    public List<ClassChange> changes() {
        return Collections.unmodifiableList(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty() && renamedClasses.isEmpty() && removedUnits.isEmpty();
    }
}
