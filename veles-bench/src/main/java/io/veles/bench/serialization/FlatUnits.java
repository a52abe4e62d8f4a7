package io.veles.bench.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import org.apache.fory.Fory;
import org.apache.fory.context.ReadContext;
import org.apache.fory.context.WriteContext;
import org.apache.fory.serializer.ObjectSerializer;
import org.apache.fory.serializer.Serializer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots whose depth does not grow with the workflow. A link to a unit is written as that
 * unit's index in the workflow, and the workflow writes every unit body as its own step in a loop,
 * so the serializer never recurses along unit-to-unit links: the stack holds one unit at a time.
 *
 * <p>Reading allocates all units first, then fills them in order, so an index can point forward.
 * All units here are {@link Unit}; an engine with unit subclasses would write each unit's class
 * before its body and keep one body serializer per class.
 */
final class FlatUnits {
    private FlatUnits() {}

    /** The numbering of the workflow being written or read. One per library instance, like the instance itself. */
    static final class Table {
        private final IdentityHashMap<Unit, Integer> indices = new IdentityHashMap<>();
        private Unit[] units;
        private int filled;

        void number(List<Unit> list) {
            for (int i = 0; i < list.size(); i++) {
                indices.put(list.get(i), i);
            }
        }

        int indexOf(Unit unit) {
            Integer i = indices.get(unit);
            if (i == null) {
                throw new IllegalStateException("unit " + unit.name + " is linked but not part of the workflow");
            }
            return i;
        }

        Unit[] allocate(int n) {
            units = new Unit[n];
            for (int i = 0; i < n; i++) {
                units[i] = new Unit();
            }
            filled = 0;
            return units;
        }

        Unit at(int index) {
            if (index < 0 || index >= units.length) {
                throw new IllegalStateException("unit index " + index + " outside workflow of " + units.length);
            }
            return units[index];
        }

        Unit nextToFill() {
            return units[filled++];
        }

        void clear() {
            indices.clear();
            units = null;
        }
    }

    // ---- Kryo ----

    /**
     * Installs the unit-link and workflow serializers as Kryo's default serializers for those
     * classes. Unit bodies go through Kryo's FieldSerializer, or through {@link KryoUnitBody}.
     */
    static void install(Kryo kryo, boolean handWrittenBodies) {
        Table table = new Table();
        kryo.addDefaultSerializer(Unit.class, new KryoUnitLink(table));
        com.esotericsoftware.kryo.Serializer<Unit> body = handWrittenBodies
                ? new KryoUnitBody(table)
                : new FieldSerializer<>(kryo, Unit.class) {
                    @Override
                    protected Unit create(Kryo kryo, Input input, Class<? extends Unit> type) {
                        return table.nextToFill();
                    }
                };
        kryo.addDefaultSerializer(Workflow.class, new KryoWorkflow(table, body));
    }

    /** Links are already identified by index, so Kryo's reference map would only repeat that work. */
    static MapReferenceResolver kryoReferences() {
        return new MapReferenceResolver() {
            @Override
            @SuppressWarnings("rawtypes") // Kryo's signature
            public boolean useReferences(Class type) {
                return !Unit.class.isAssignableFrom(type) && super.useReferences(type);
            }
        };
    }

    private static final class KryoUnitLink extends com.esotericsoftware.kryo.Serializer<Unit> {
        private final Table table;

        KryoUnitLink(Table table) {
            this.table = table;
        }

        @Override
        public void write(Kryo kryo, Output output, Unit unit) {
            output.writeVarInt(table.indexOf(unit), true);
        }

        @Override
        public Unit read(Kryo kryo, Input input, Class<? extends Unit> type) {
            return table.at(input.readVarInt(true));
        }
    }

    private static final class KryoWorkflow extends com.esotericsoftware.kryo.Serializer<Workflow> {
        private final Table table;
        /** Writes a unit's own fields; its links go through {@link KryoUnitLink}. Reads into the next allocated unit. */
        private final com.esotericsoftware.kryo.Serializer<Unit> body;

        KryoWorkflow(Table table, com.esotericsoftware.kryo.Serializer<Unit> body) {
            this.table = table;
            this.body = body;
        }

        @Override
        public void write(Kryo kryo, Output output, Workflow wf) {
            output.writeString(wf.name);
            kryo.writeObjectOrNull(output, wf.config, UnitConfig.class);
            output.writeVarInt(wf.units.size(), true);
            table.number(wf.units);
            try {
                for (Unit unit : wf.units) {
                    kryo.writeObject(output, unit, body);
                }
            } finally {
                table.clear();
            }
        }

        @Override
        public Workflow read(Kryo kryo, Input input, Class<? extends Workflow> type) {
            Workflow wf = new Workflow();
            kryo.reference(wf);
            wf.name = input.readString();
            wf.config = kryo.readObjectOrNull(input, UnitConfig.class);
            Unit[] units = table.allocate(input.readVarInt(true));
            try {
                for (int i = 0; i < units.length; i++) {
                    // Through Kryo rather than body.read directly, so Kryo's reference stack stays balanced.
                    kryo.readObject(input, Unit.class, body);
                }
            } finally {
                table.clear();
            }
            wf.units = new ArrayList<>(Arrays.asList(units));
            return wf;
        }
    }

    /**
     * Unit's fields by hand: what FieldSerializer does without reflection, per-field serializer
     * lookups or a type tag before each link. The price is one such class per unit class, kept
     * in step with its fields; this measures what that buys.
     */
    private static final class KryoUnitBody extends com.esotericsoftware.kryo.Serializer<Unit> {
        private final Table table;

        KryoUnitBody(Table table) {
            this.table = table;
        }

        @Override
        public void write(Kryo kryo, Output output, Unit unit) {
            output.writeString(unit.name);
            output.writeVarInt(unit.index, false);
            output.writeVarLong(unit.created, false);
            output.writeDouble(unit.weight);
            output.writeBoolean(unit.enabled);
            if (unit.shape == null) {
                output.writeVarInt(0, true);
            } else {
                output.writeVarInt(unit.shape.size() + 1, true);
                for (Integer dim : unit.shape) {
                    kryo.writeObjectOrNull(output, dim, Integer.class);
                }
            }
            if (unit.attributes == null) {
                output.writeVarInt(0, true);
            } else {
                output.writeVarInt(unit.attributes.size() + 1, true);
                for (Map.Entry<String, Object> e : unit.attributes.entrySet()) {
                    output.writeString(e.getKey());
                    kryo.writeClassAndObject(output, e.getValue());
                }
            }
            kryo.writeObjectOrNull(output, unit.config, UnitConfig.class);
            writeLink(output, unit.prev);
            writeLink(output, unit.next);
        }

        private void writeLink(Output output, Unit unit) {
            output.writeVarInt(unit == null ? 0 : table.indexOf(unit) + 1, true);
        }

        @Override
        public Unit read(Kryo kryo, Input input, Class<? extends Unit> type) {
            Unit unit = table.nextToFill();
            kryo.reference(unit);
            unit.name = input.readString();
            unit.index = input.readVarInt(false);
            unit.created = input.readVarLong(false);
            unit.weight = input.readDouble();
            unit.enabled = input.readBoolean();
            int shape = input.readVarInt(true);
            if (shape > 0) {
                unit.shape = new ArrayList<>(shape - 1);
                for (int i = 1; i < shape; i++) {
                    unit.shape.add(kryo.readObjectOrNull(input, Integer.class));
                }
            }
            int attributes = input.readVarInt(true);
            if (attributes > 0) {
                unit.attributes = new LinkedHashMap<>();
                for (int i = 1; i < attributes; i++) {
                    unit.attributes.put(input.readString(), kryo.readClassAndObject(input));
                }
            }
            unit.config = kryo.readObjectOrNull(input, UnitConfig.class);
            unit.prev = readLink(input);
            unit.next = readLink(input);
            return unit;
        }

        private Unit readLink(Input input) {
            int link = input.readVarInt(true);
            return link == 0 ? null : table.at(link - 1);
        }
    }

    // ---- Fory ----

    /**
     * Registers the same two serializers with Fory. Bodies go through Fory's ObjectSerializer, its
     * interpreted path: that is where the hook to fill an existing object (readAndSetFields) is;
     * the JIT-generated serializers of this mode do not offer one.
     */
    static void install(Fory fory) {
        Table table = new Table();
        // "AndType": registering only the serializer leaves Unit a by-name struct, and the reader
        // then builds a struct reader from the written type meta instead of using ours.
        fory.registerSerializerAndType(Unit.class, new ForyUnitLink(fory, table));
        fory.registerSerializerAndType(Workflow.class, new ForyWorkflow(fory, table));
    }

    private static final class ForyUnitLink extends Serializer<Unit> {
        private final Table table;

        ForyUnitLink(Fory fory, Table table) {
            // needToWriteRef=false: an index is the reference, Fory need not track units again.
            super(fory.getConfig(), Unit.class, false, false);
            this.table = table;
        }

        @Override
        public void write(WriteContext context, Unit unit) {
            context.writeVarUInt32(table.indexOf(unit));
        }

        @Override
        public Unit read(ReadContext context) {
            return table.at(context.readVarUInt32());
        }
    }

    private static final class ForyWorkflow extends Serializer<Workflow> {
        private final Fory fory;
        private final Table table;
        private ObjectSerializer<Unit> body;

        ForyWorkflow(Fory fory, Table table) {
            super(fory.getConfig(), Workflow.class);
            this.fory = fory;
            this.table = table;
        }

        /** Built on first use, after registration, so Unit-typed fields resolve to {@link ForyUnitLink}. */
        private ObjectSerializer<Unit> body() {
            if (body == null) {
                body = new ObjectSerializer<>(fory.getTypeResolver(), Unit.class);
            }
            return body;
        }

        @Override
        public void write(WriteContext context, Workflow wf) {
            context.writeStringRef(wf.name);
            context.writeRef(wf.config);
            context.writeVarUInt32(wf.units.size());
            table.number(wf.units);
            try {
                for (Unit unit : wf.units) {
                    body().write(context, unit);
                }
            } finally {
                table.clear();
            }
        }

        @Override
        public Workflow read(ReadContext context) {
            Workflow wf = new Workflow();
            if (needToWriteRef) {
                context.reference(wf);
            }
            wf.name = context.readStringRef();
            wf.config = (UnitConfig) context.readRef();
            Unit[] units = table.allocate(context.readVarUInt32());
            try {
                for (Unit unit : units) {
                    // readAndSetFields fills our pre-allocated unit and, unlike read, claims no ref id.
                    body().readAndSetFields(context, unit);
                }
            } finally {
                table.clear();
            }
            wf.units = new ArrayList<>(Arrays.asList(units));
            return wf;
        }
    }
}
