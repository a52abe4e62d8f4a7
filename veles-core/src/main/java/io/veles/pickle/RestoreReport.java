package io.veles.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a restore noticed about code changes since the snapshot: per class, the fields the code
 * added (they keep their defaults) and the fields it removed (their saved values are dropped).
 */
public final class RestoreReport {
    /** One class whose fields changed. */
    public record ClassChange(String className, List<String> added, List<String> removed) {
        /** One line naming the class and the fields. */
        public String describe() {
            StringBuilder text = new StringBuilder(className).append(':');
            if (!added.isEmpty()) {
                text.append(" added ").append(String.join(", ", added)).append(" (defaults)");
            }
            if (!removed.isEmpty()) {
                text.append(added.isEmpty() ? "" : ";").append(" removed ").append(String.join(", ", removed))
                        .append(" (dropped)");
            }
            return text.toString();
        }
    }

    private final List<ClassChange> changes = new ArrayList<>();

    void fieldsChanged(String className, List<String> added, List<String> removed) {
        if (!added.isEmpty() || !removed.isEmpty()) {
            changes.add(new ClassChange(className, List.copyOf(added), List.copyOf(removed)));
        }
    }

    public List<ClassChange> changes() {
        return Collections.unmodifiableList(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
