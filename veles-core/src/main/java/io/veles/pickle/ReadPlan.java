package io.veles.pickle;

import io.veles.snapshot.SnapshotException;
import java.util.ArrayList;
import java.util.List;

/**
 * How to read one class's fields as a snapshot recorded them into the class as the code declares
 * it now: fields are matched by key; a field the code no longer has is read and dropped; a field
 * the code added keeps its default; a primitive whose type changed is refused.
 */
final class ReadPlan {
    final ClassSchema current;
    final boolean writtenCustom;
    final String[] keys;
    final FieldSlot.Kind[] kinds;
    /** The current field for each recorded one, or null where the code no longer has it. */
    final FieldSlot[] targets;
    /** True when the recorded fields are exactly the current ones, in order, with equal kinds. */
    final boolean identical;
    final List<String> removed = new ArrayList<>();
    final List<String> added = new ArrayList<>();

    ReadPlan(ClassDescription recorded, ClassSchema current) {
        this.current = current;
        this.writtenCustom = recorded.customState();
        int n = recorded.fields().size();
        keys = new String[n];
        kinds = new FieldSlot.Kind[n];
        targets = new FieldSlot[n];
        boolean same = n == current.slots.length;
        for (int i = 0; i < n; i++) {
            ClassDescription.FieldDescription field = recorded.fields().get(i);
            keys[i] = field.name();
            kinds[i] = FieldSlot.Kind.ofTypeName(field.type());
            FieldSlot target = current.slot(field.name());
            if (target == null) {
                removed.add(field.name());
                same = false;
                continue;
            }
            if (target.kind != kinds[i] && (target.kind != FieldSlot.Kind.OBJECT || kinds[i] != FieldSlot.Kind.OBJECT)) {
                throw new SnapshotException("cannot restore " + current.type.getName() + "." + field.name()
                        + ": the snapshot holds " + field.type() + ", the code declares " + target.typeName());
            }
            targets[i] = target;
            // Values of a retyped field go through the checked path, which names the change.
            same &= current.slots[i] == target && target.typeName().equals(field.type());
        }
        for (FieldSlot slot : current.slots) {
            if (!recorded.fields().stream().anyMatch(f -> f.name().equals(slot.key))) {
                added.add(slot.key);
            }
        }
        identical = same && !writtenCustom && !current.customState;
    }
}
