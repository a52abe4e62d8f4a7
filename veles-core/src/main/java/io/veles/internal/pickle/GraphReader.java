package io.veles.internal.pickle;

import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.IncompatibleSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.pickle.PickleHooks;
import io.veles.pickle.Pickleable;
import io.veles.pickle.RestoreReport;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.format.ClassDescription;
import io.veles.snapshot.format.UnitSummary;
import io.veles.workflow.RemovedUnit;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a payload written by {@link GraphWriter} back into a workflow. Nothing is handed out
 * until the whole payload has been read; then each restored object's {@code initUnpickled()}
 * runs, helpers before units, so that a unit's hook can use the objects it holds.
 */
public final class GraphReader {
    /** A restored main workflow and what the restore noticed about code changes. */
    public record Restored(Workflow workflow, RestoreReport report) {}

    private GraphReader() {}

    /**
     * Reads {@code payloadLength} bytes from {@code payload}, written with the shuffle filter or
     * not. {@code classes}, {@code units}, {@code arrayElementsFinal} and {@code genericFields} (null
     * if it has none) come from the manifest; classes are mapped and allowed by {@code rules}. {@code version} is the
     * snapshot's format version, which tells how a few of the engine's own classes were written.
     */
    public static Restored read(
            InputStream payload,
            long payloadLength,
            int version,
            List<ClassDescription> classes,
            List<UnitSummary> units,
            Map<String, Boolean> arrayElementsFinal,
            Map<String, Map<String, String>> genericFields,
            RestoreRules rules,
            boolean shuffled) {
        return ResourceErrors.guard(
                "cannot read the state",
                () -> readGuarded(
                        payload,
                        payloadLength,
                        version,
                        classes,
                        units,
                        arrayElementsFinal,
                        genericFields,
                        rules,
                        shuffled));
    }

    private static Restored readGuarded(
            InputStream payload,
            long payloadLength,
            int version,
            List<ClassDescription> classes,
            List<UnitSummary> units,
            Map<String, Boolean> arrayElementsFinal,
            Map<String, Map<String, String>> genericFields,
            RestoreRules rules,
            boolean shuffled) {
        int unitCount = units.size();
        Map<String, ClassDescription> recorded = new HashMap<>();
        for (ClassDescription description : classes) {
            recorded.put(description.name(), description);
        }
        if (rules != null) {
            Map<String, String> renamedInto = new HashMap<>();
            for (String name : recorded.keySet()) {
                String current = rules.currentName(name);
                String other = current.equals(name) ? null : renamedInto.put(current, name);
                if (other != null) {
                    // two recorded layouts read as one class: whichever plan came first would read both
                    String[] both = {other, name};
                    java.util.Arrays.sort(both); // the message is the same whatever order the manifest has
                    throw new IncompatibleSnapshotException("the snapshot holds objects of both " + both[0] + " and "
                            + both[1] + ", and both are renamed to " + current
                            + ": rename each to a class of its own");
                }
                if (!current.equals(name) && recorded.containsKey(current)) {
                    // one class of today, two recorded layouts: one class's objects would be read by
                    // the other's fields, in the other's order
                    throw new IncompatibleSnapshotException("the snapshot holds objects of both " + name + " and "
                            + current + ", so " + name + " cannot be renamed to " + current
                            + ": rename it to a class of its own");
                }
            }
        }
        RestoreReport report = new RestoreReport();
        PickleContext context = new PickleContext(
                recorded, genericFields, report, rules, new ArrayElementClasses(arrayElementsFinal, rules));
        SnapshotKryo session = new SnapshotKryo(context, rules, false, version);
        Set<String> unitClasses = new HashSet<>(); // the main workflow's class (unit 0) has no stand-in
        String previous = null;
        for (int i = 1; i < unitCount; i++) {
            String type = units.get(i).type();
            if (type == null || !type.equals(previous)) { // units of a class often come in a row: hash it once
                unitClasses.add(type);
                previous = type;
            }
        }
        AllowListClassResolver resolver = (AllowListClassResolver) session.kryo.getClassResolver();
        resolver.unitClasses(unitClasses);
        Set<String> everyUnitClass = new HashSet<>(unitClasses);
        if (unitCount > 0) {
            everyUnitClass.add(units.get(0).type());
        }
        everyUnitClass.remove(null);
        resolver.recordedKinds(recorded.keySet(), everyUnitClass);
        SnapshotInput input = new SnapshotInput(payload, GraphWriter.BUFFER_SIZE, payloadLength, shuffled);
        input.locatedBy(context::currentUnit);
        Object root;
        try {
            root = session.kryo.readClassAndObject(input);
            if (!(root instanceof Workflow) || ((Workflow) root).workflow() != null) {
                throw new CorruptSnapshotException("snapshot is corrupt: its first object is not a main workflow");
            }
            UnitTable table = context.units();
            for (int i = 0; i < table.size(); i++) {
                context.enterUnit(i < unitCount ? units.get(i).name() : "#" + i);
                session.fields.readFields(session.kryo, input, table.get(i));
            }
            context.enterUnit(null); // what fails now names the unit it read the container in, not the last one
            input.earlyHashed().rehash(); // every key is whole now; before the hooks, which may look keys up
            context.fitChangedArguments(); // elements to fields' changed type arguments, keys whole and rehashed
        } catch (SnapshotException e) {
            throw e;
        } catch (RuntimeException e) {
            // Damaged bytes can fail anywhere in Kryo or in a setState hook (a null where an object
            // was, a wrong type...). The caller checks the snapshot's integrity and says which.
            throw SnapshotKryo.unwrap(e, "cannot read the state" + context.inUnit());
        } finally {
            input.stopAllocatingAhead();
        }
        if (context.units().size() != unitCount) {
            throw new CorruptSnapshotException("snapshot is corrupt: its manifest lists " + unitCount
                    + " units, its payload holds " + context.units().size());
        }
        if (input.remaining() != 0) {
            throw new CorruptSnapshotException(
                    "snapshot is corrupt: " + input.remaining() + " payload bytes follow the last unit");
        }
        for (Pickleable object : context.restoredHelpers()) {
            PickleHooks.ensureInitUnpickled(object);
        }
        for (Unit unit : context.restoredUnits()) {
            if (unit instanceof RemovedUnit) {
                report.unitRemoved(unit.name(), unit.getClass().getName());
            }
            PickleHooks.ensureInitUnpickled(unit);
        }
        return new Restored((Workflow) root, report);
    }
}
