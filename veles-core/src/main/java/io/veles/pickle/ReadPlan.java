package io.veles.pickle;

import io.veles.snapshot.SnapshotException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to read one class's fields as a snapshot recorded them into the class as the code declares
 * it now. Fields are matched by name, or by a {@link FormerName}; a field the code no longer has
 * is read and dropped; a field the code added keeps its default; a primitive whose type changed
 * is refused unless the {@link RestoreRules} convert it.
 */
final class ReadPlan {
    final ClassSchema current;
    final boolean writtenCustom;
    final String[] keys;
    final FieldSlot.Kind[] kinds;
    /** The current field for each recorded one, or null where the code no longer has it. */
    final FieldSlot[] targets;
    /** True when the recorded fields are exactly the current ones, in order, with equal types. */
    final boolean identical;
    final List<String> removed = new ArrayList<>();
    final List<String> added = new ArrayList<>();
    final List<String> renamed = new ArrayList<>();
    private final Map<String, String> currentKeys = new HashMap<>();

    ReadPlan(ClassDescription recorded, ClassSchema current, RestoreRules rules) {
        this.current = current;
        this.writtenCustom = recorded.customState();
        int n = recorded.fields().size();
        keys = new String[n];
        kinds = new FieldSlot.Kind[n];
        targets = new FieldSlot[n];
        Set<FieldSlot> matched = new HashSet<>();
        boolean same = n == current.slots.length;
        for (int i = 0; i < n; i++) {
            ClassDescription.FieldDescription field = recorded.fields().get(i);
            keys[i] = field.name();
            kinds[i] = FieldSlot.Kind.ofTypeName(field.type());
            FieldSlot target = current.slot(field.name());
            if (target == null) {
                target = current.formerlyNamed(field.name());
                if (target != null) {
                    renamed.add(field.name() + " → " + target.key);
                    currentKeys.put(field.name(), target.key);
                }
            }
            if (target == null) {
                removed.add(field.name());
                same = false;
                continue;
            }
            checkKinds(field, target, kinds[i], rules);
            targets[i] = target;
            matched.add(target);
            // Values of a retyped field go through the checked path, which converts or names the change.
            same &= current.slots[i] == target && target.typeName().equals(field.type());
        }
        for (FieldSlot slot : current.slots) {
            if (!matched.contains(slot)) {
                added.add(slot.key);
            }
        }
        identical = same && !writtenCustom && !current.customState;
    }

    /** The key a recorded entry goes under now: the field's new name if it was renamed. */
    String currentKey(String recordedKey) {
        return currentKeys.getOrDefault(recordedKey, recordedKey);
    }

    private void checkKinds(ClassDescription.FieldDescription field, FieldSlot target, FieldSlot.Kind recorded,
                            RestoreRules rules) {
        boolean bothPrimitive = recorded != FieldSlot.Kind.OBJECT && target.kind != FieldSlot.Kind.OBJECT;
        if (!bothPrimitive || recorded == target.kind) {
            return; // objects (and boxes) are checked value by value as they are assigned
        }
        if (rules != null && rules.canConvert(FieldSlot.Kind.boxOf(recorded), FieldSlot.Kind.boxOf(target.kind))) {
            return;
        }
        throw new SnapshotException("cannot restore " + current.type.getName() + "." + field.name()
                + ": the snapshot holds " + field.type() + ", the code declares " + target.typeName()
                + "; map it with a conversion in the restore rules");
    }
}
