package io.veles.internal.pickle;

import io.veles.errors.IncompatibleSnapshotException;
import io.veles.pickle.RestoreReport;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.format.ClassDescription;
import io.veles.workflow.Unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to read one class's fields as a snapshot recorded them into the class as the code declares
 * it now. Each recorded field is matched to today's field by identity, never by position: by its
 * key (the name, or Declaring#name when shadowed), else by a {@link FormerName}. A field the code
 * no longer has is read and dropped; a field the code added takes its initialiser's value where
 * {@link FieldInitialisers} can tell it without running code, Java's default otherwise; a primitive whose type changed is refused unless the {@link RestoreRules} convert it.
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
    final List<String> retyped = new ArrayList<>();
    /** True when the fields the snapshot and the code share come in another order now. */
    final boolean reordered;
    /** Added fields whose initialiser's value is known, with it: set before the saved state is. */
    final Map<FieldSlot, FieldInitialisers.Initial> initialised = new LinkedHashMap<>();
    /**
     * The fields of the same class as recorded whose type arguments changed ({@code List<Integer>}
     * became {@code List<Long>}), with the recorded type: their values are read on the checked
     * path, which fits the elements to today's arguments ({@link ChangedTypeArguments}).
     */
    final Map<FieldSlot, String> changedArguments = new LinkedHashMap<>();

    private final Map<String, String> currentKeys = new HashMap<>();
    private final Map<String, FieldSlot.Kind> recordedKinds = new HashMap<>();

    /**
     * The plan for reading {@code recorded}'s fields into {@code current}; {@code recordedGeneric}
     * holds the recorded type arguments of its fields by key (null when the snapshot recorded
     * none: changes of type arguments alone then go unseen).
     */
    ReadPlan(ClassDescription recorded, Map<String, String> recordedGeneric, ClassSchema current, RestoreRules rules) {
        this.current = current;
        this.writtenCustom = recorded.customState();
        int n = recorded.fields().size();
        keys = new String[n];
        kinds = new FieldSlot.Kind[n];
        targets = new FieldSlot[n];
        Set<FieldSlot> matched = new HashSet<>();
        List<String> recordedKeys = new ArrayList<>(n);
        for (ClassDescription.FieldDescription field : recorded.fields()) {
            recordedKeys.add(field.name());
        }
        // Same keys first, so that a field still named as recorded wins over a FormerName claim,
        // unless the snapshot predates the claim (below).
        for (int i = 0; i < n; i++) {
            ClassDescription.FieldDescription field = recorded.fields().get(i);
            keys[i] = field.name();
            kinds[i] = FieldSlot.Kind.ofTypeName(field.type());
            recordedKinds.put(keys[i], kinds[i]);
            FieldSlot target = current.slot(currentKey(field.name(), rules));
            if (target == null) {
                target = noLongerShadowed(field.name(), current, rules);
            } else if (renamedBeforeReuse(keys[i], target, recordedKeys, rules) != null) {
                continue; // the FormerName pass below gives the value to the renamed field
            }
            if (target != null && matched.add(target)) {
                targets[i] = target;
                if (!target.key.equals(keys[i])) { // no longer shadowed, or its class renamed
                    currentKeys.put(keys[i], target.key); // what a custom setState's entries go under
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (targets[i] != null) {
                continue;
            }
            FieldSlot target = current.formerlyNamed(
                    keys[i], declaring -> rules == null ? declaring : rules.currentName(declaring));
            if (target != null && matched.add(target)) {
                targets[i] = target;
                renamed.add(keys[i] + " → " + target.key);
                currentKeys.put(keys[i], target.key);
            } else {
                refuseIfNowShadowed(keys[i], current);
                removed.add(keys[i]);
            }
        }
        boolean same = n == current.slots.length && removed.isEmpty() && !writtenCustom && !current.customState;
        for (int i = 0; i < n; i++) {
            FieldSlot target = targets[i];
            if (target == null) {
                continue;
            }
            ClassDescription.FieldDescription field = recorded.fields().get(i);
            checkKinds(field, target, kinds[i], rules);
            boolean sameType = target.typeName().equals(currentTypeName(field.type(), rules));
            if (!sameType) {
                retyped.add(target.key + " " + field.type() + " → " + target.typeName());
            }
            String recordedArguments = recordedGeneric == null ? null : recordedGeneric.get(field.name());
            if (recordedArguments != null) {
                String now = target.genericTypeName() == null ? target.typeName() : target.genericTypeName();
                if (!currentGenericName(recordedArguments, rules).equals(now)) {
                    // as read from the manifest, for messages only: bounded, whatever a hostile one holds
                    String recordedShown = io.veles.internal.util.Printable.escapeAtMost(recordedArguments, 300);
                    if (sameType) { // a changed class is reported above
                        retyped.add(target.key + " " + recordedShown + " → " + now);
                    }
                    // ArrayList<Integer> made List<Long>: the value still fits the class, its elements are checked
                    changedArguments.put(target, recordedShown);
                }
            }
            // Values of a retyped field go through the checked path, which converts or names the change.
            same = same
                    && current.slots[i] == target
                    && target.typeName().equals(field.type())
                    && !changedArguments.containsKey(target);
        }
        for (FieldSlot slot : current.slots) {
            if (!matched.contains(slot)) {
                FieldInitialisers.Initial initial = current.type.isRecord() ? null : FieldInitialisers.of(slot.field);
                if (initial != null) {
                    initialised.put(slot, initial);
                    added.add(slot.key + " = " + initial.describe() + " (initialiser)");
                } else if (Unit.class.isAssignableFrom(slot.field.getType())) {
                    added.add(slot.key + " (null: a unit the snapshot does not have)");
                } else {
                    added.add(slot.key + " (Java default)");
                }
            }
        }
        reordered = !inOrder(current);
        identical = same;
    }

    /**
     * The field a {@link io.veles.pickle.FormerName} renamed from {@code recordedKey} when today's
     * {@code namesake} reuses that name for another field, and the snapshot predates the rename (no
     * other saved field goes to the renamed one): {@code int epochs} became {@code
     * @FormerName("epochs") int epochsDone}, and a new {@code int epochs} was added. Null
     * otherwise: a snapshot holding both was taken after the rename, and each goes by its name.
     */
    private FieldSlot renamedBeforeReuse(
            String recordedKey, FieldSlot namesake, List<String> recordedKeys, RestoreRules rules) {
        java.util.function.UnaryOperator<String> declaringNow =
                declaring -> rules == null ? declaring : rules.currentName(declaring);
        List<FieldSlot> claims = current.claimsOf(recordedKey, declaringNow);
        if (claims.size() != 1 || claims.get(0) == namesake) {
            return null; // none, or two (the FormerName pass refuses those when it meets them)
        }
        FieldSlot renamed = claims.get(0);
        // Taken after the rename if another saved field goes to the renamed one: by its name as
        // it is now or was when shadowed, or by another of its former names.
        for (String other : recordedKeys) {
            if (!other.equals(recordedKey)
                    && (current.slot(currentKey(other, rules)) == renamed
                            || noLongerShadowed(other, current, rules) == renamed
                            || current.claimsOf(other, declaringNow).contains(renamed))) {
                return null;
            }
        }
        return renamed;
    }

    /** True if the matched fields keep their recorded relative order among today's slots. */
    private boolean inOrder(ClassSchema current) {
        List<FieldSlot> slots = List.of(current.slots);
        int last = -1;
        for (FieldSlot target : targets) {
            if (target != null) {
                int position = slots.indexOf(target);
                if (position < last) {
                    return false;
                }
                last = position;
            }
        }
        return true;
    }

    /** How the snapshot recorded the field saved under {@code recordedKey}, or null if it recorded none. */
    FieldSlot.Kind recordedKind(String recordedKey) {
        return recordedKinds.get(recordedKey);
    }

    /** The key a recorded entry goes under now: the field's new name if it was renamed. */
    String currentKey(String recordedKey) {
        return currentKeys.getOrDefault(recordedKey, recordedKey);
    }

    /** A recorded key as today's code would spell it: a shadowed field's class may have been renamed. */
    private static String currentKey(String recordedKey, RestoreRules rules) {
        int hash = recordedKey.indexOf('#');
        if (hash < 0 || rules == null) {
            return recordedKey;
        }
        return rules.currentName(recordedKey.substring(0, hash)) + recordedKey.substring(hash);
    }

    /** A recorded type name as today's code spells it: a renamed class's new name, array brackets kept. */
    private static String currentTypeName(String recordedType, RestoreRules rules) {
        if (rules == null) {
            return recordedType;
        }
        int brackets = recordedType.indexOf('[');
        return brackets < 0
                ? rules.currentName(recordedType)
                : rules.currentName(recordedType.substring(0, brackets)) + recordedType.substring(brackets);
    }

    /** A recorded generic type as today's code spells it: each class named in it renamed by the rules. */
    private static String currentGenericName(String recordedType, RestoreRules rules) {
        if (rules == null) {
            return recordedType;
        }
        java.util.regex.Matcher names = CLASS_NAME.matcher(recordedType);
        StringBuilder renamed = new StringBuilder();
        while (names.find()) {
            names.appendReplacement(
                    renamed, java.util.regex.Matcher.quoteReplacement(rules.currentName(names.group())));
        }
        names.appendTail(renamed);
        return renamed.toString();
    }

    /** A class's name within a generic type's name, as {@code getTypeName} spells it. */
    private static final java.util.regex.Pattern CLASS_NAME = java.util.regex.Pattern.compile("[\\p{L}\\p{N}_$.]+");

    /**
     * The field a recorded Declaring#name key means when no field shadows it any more: today's
     * field of that name, if the same (or the renamed) class declares it.
     */
    private static FieldSlot noLongerShadowed(String recordedKey, ClassSchema current, RestoreRules rules) {
        int hash = recordedKey.indexOf('#');
        if (hash < 0) {
            return null;
        }
        FieldSlot slot = current.slot(recordedKey.substring(hash + 1));
        String declaring = recordedKey.substring(0, hash);
        String declaringNow = rules == null ? declaring : rules.currentName(declaring);
        return slot != null && slot.field.getDeclaringClass().getName().equals(declaringNow) ? slot : null;
    }

    /**
     * A field saved under its plain name that two of today's classes now declare (a subclass
     * added a field of its base's field's name, or the base one of the subclass's): the manifest
     * does not say which class held it, and dropping the value would lose it, so the restore is
     * refused until a {@link io.veles.pickle.FormerName} says which field takes it.
     */
    private static void refuseIfNowShadowed(String recordedKey, ClassSchema current) {
        if (recordedKey.indexOf('#') >= 0) {
            return;
        }
        List<String> declaring = new ArrayList<>();
        for (FieldSlot slot : current.slots) {
            if (slot.field.getName().equals(recordedKey)) {
                declaring.add(slot.field.getDeclaringClass().getName());
            }
        }
        if (declaring.size() > 1) {
            throw new IncompatibleSnapshotException(
                    "cannot restore " + current.type.getName() + ": the snapshot's field "
                            + recordedKey + " is now declared by " + String.join(" and ", declaring)
                            + ", and the snapshot does not say which one held it; mark that one"
                            + " @FormerName(\"" + recordedKey + "\")");
        }
    }

    private void checkKinds(
            ClassDescription.FieldDescription field, FieldSlot target, FieldSlot.Kind recorded, RestoreRules rules) {
        boolean bothPrimitive = recorded != FieldSlot.Kind.OBJECT && target.kind != FieldSlot.Kind.OBJECT;
        if (!bothPrimitive || recorded == target.kind) {
            return; // objects (and boxes) are checked value by value as they are assigned
        }
        if (rules != null && rules.canConvert(FieldSlot.Kind.boxOf(recorded), FieldSlot.Kind.boxOf(target.kind))) {
            return;
        }
        throw new IncompatibleSnapshotException("cannot restore " + current.type.getName() + "." + field.name()
                + ": the snapshot holds " + field.type() + ", the code declares " + target.typeName()
                + "; map it with a conversion in the restore rules");
    }

    /** Tells {@code report} how the fields changed, if they did. */
    void reportTo(RestoreReport report) {
        if (!added.isEmpty() || !removed.isEmpty() || !renamed.isEmpty() || !retyped.isEmpty() || reordered) {
            report.fieldsChanged(new RestoreReport.ClassChange(
                    current.type.getName(),
                    List.copyOf(added),
                    List.copyOf(removed),
                    List.copyOf(renamed),
                    List.copyOf(retyped),
                    reordered));
        }
    }
}
