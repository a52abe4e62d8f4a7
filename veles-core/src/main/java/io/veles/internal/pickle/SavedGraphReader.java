package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.pickle.ArraySpill;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.snapshot.format.ClassDescription;
import io.veles.snapshot.format.UnitSummary;
import io.veles.workflow.Workflow;

import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Reads a snapshot's payload as a {@link SavedGraph}: data only, no code of the workflow runs. */
public final class SavedGraphReader {
    private SavedGraphReader() {}

    /**
     * Reads {@code payloadLength} bytes of {@code payload} as {@link GraphReader#read} would, with
     * the same checks, loading classes through {@code rules} (allowlist and class loader), and
     * the manifest's {@code arrayElementsFinal} (null if it has none). With {@code spill} not
     * null, numeric arrays (float, double, int, long, short) are copied to it as they are read and
     * stand in the graph as {@link io.veles.pickle.SpilledArray}s, so that the heap holds none of them.
     * {@code version} is the snapshot's format version.
     */
    public static SavedGraph read(
            InputStream payload,
            long payloadLength,
            int version,
            List<ClassDescription> classes,
            List<UnitSummary> units,
            Map<String, Boolean> arrayElementsFinal,
            RestoreRules rules,
            boolean shuffled,
            ArraySpill spill) {
        return ResourceErrors.guard(
                "cannot read the state",
                () -> readGuarded(
                        payload, payloadLength, version, classes, units, arrayElementsFinal, rules, shuffled, spill));
    }

    private static SavedGraph readGuarded(
            InputStream payload,
            long payloadLength,
            int version,
            List<ClassDescription> classes,
            List<UnitSummary> units,
            Map<String, Boolean> arrayElementsFinal,
            RestoreRules rules,
            boolean shuffled,
            ArraySpill spill) {
        Map<String, ClassDescription> recorded = new HashMap<>();
        for (ClassDescription description : classes) {
            recorded.put(description.name(), description);
        }
        SavedStateSerializers serializers = new SavedStateSerializers(
                recorded, rules, spill, new ArrayElementClasses(arrayElementsFinal, rules), version);
        Kryo kryo = serializers.kryo();
        // A class whose kind changed (an enum made a class, a unit made a plain class) is refused
        // here as on a restore, rather than misread: the tools reading state as data meet old snapshots most.
        Set<String> unitClasses = new HashSet<>();
        for (UnitSummary unit : units) {
            if (unit.type() != null) {
                unitClasses.add(unit.type());
            }
        }
        ((AllowListClassResolver) kryo.getClassResolver())
                .recordedKinds(recorded.keySet(), unitClasses, SavedStateSerializers::readsFields);
        SnapshotInput input = new SnapshotInput(payload, GraphWriter.BUFFER_SIZE, payloadLength, shuffled);
        List<SavedObject> table = serializers.units();
        Object root;
        int[] current = {-1}; // the unit being read, named by the refusals of what is read in it
        Supplier<String> unitName = () -> current[0] < 0 || current[0] >= units.size()
                ? null
                : units.get(current[0]).name();
        input.locatedBy(unitName);
        try {
            root = kryo.readClassAndObject(input);
            if (!(root instanceof SavedObject) || !Workflow.class.isAssignableFrom(((SavedObject) root).type())) {
                throw new CorruptSnapshotException("snapshot is corrupt: its first object is not a main workflow");
            }
            for (current[0] = 0; current[0] < table.size(); current[0]++) {
                serializers.readFields(kryo, input, table.get(current[0]));
            }
        } catch (SnapshotException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SnapshotKryo.unwrap(e, "cannot read the state" + PickleContext.inUnit(unitName.get()));
        } finally {
            input.stopAllocatingAhead();
        }
        Map<String, Object> rootFields = ((SavedObject) root).fields();
        Object parent = rootFields.containsKey("workflow")
                ? rootFields.get("workflow")
                : rootFields.get("io.veles.workflow.Unit#workflow");
        if (parent != null) {
            throw new CorruptSnapshotException("snapshot is corrupt: its first object is not a main workflow");
        }
        if (table.size() != units.size()) {
            throw new CorruptSnapshotException("snapshot is corrupt: its manifest lists " + units.size()
                    + " units, its payload holds " + table.size());
        }
        if (input.remaining() != 0) {
            throw new CorruptSnapshotException(
                    "snapshot is corrupt: " + input.remaining() + " payload bytes follow the last unit");
        }
        return new SavedGraph((SavedObject) root, List.copyOf(table));
    }
}
