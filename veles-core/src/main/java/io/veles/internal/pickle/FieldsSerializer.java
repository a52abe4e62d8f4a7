package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.IdentityMap;
import io.veles.errors.SnapshotException;
import io.veles.pickle.PickleHooks;
import io.veles.pickle.Pickleable;
import io.veles.workflow.Unit;

import java.util.Map;

/**
 * Captures an object of our or the user's classes field by field, by the {@link Pickleable}
 * rules: every instance field of the hierarchy except transient ones and those ending in
 * {@code _}. Primitive fields are written raw; other values with their class, through Kryo, which
 * keeps shared objects shared and cycles intact.
 *
 * <p>The field layout of each class is recorded once, in the manifest; an object is just its
 * values in that order. Classes that customise {@code getState}/{@code setState} are written as
 * name/value pairs instead.
 */
final class FieldsSerializer extends Serializer<Object> {
    static final ClassValue<Boolean> RECORDS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.isRecord();
        }
    };

    private final PickleContext context;

    /**
     * The schemas of the classes this session has written, each recorded in the context when
     * first met: asking ClassSchema's ClassValue for every object cost a twentieth of writing many
     * small units (see SnapshotKryo.UnitsByNumber on why its cache misses).
     */
    private final IdentityMap<Class<?>, ClassSchema> written = new IdentityMap<>();

    /** Numbers the objects written; {@link #prefetchLookups} reads its table early. */
    private final SnapshotKryo.UnitsByNumber numbers;

    FieldsSerializer(PickleContext context, SnapshotKryo.UnitsByNumber numbers) {
        super(false, false);
        this.context = context;
        this.numbers = numbers;
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        if (object instanceof Record) { // a type check, where the ClassValue would be a lookup per object
            numbers.writingRecord(object);
            try {
                writeFields(kryo, output, object);
            } finally {
                numbers.recordWritten();
            }
            return;
        }
        writeFields(kryo, output, object);
    }

    private ClassSchema schemaWritten(Class<?> type) {
        ClassSchema schema = written.get(type);
        if (schema == null) {
            schema = ClassSchema.of(type);
            context.recordClass(schema);
            written.put(type, schema);
        }
        return schema;
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        if (RECORDS.get(type)) { // Class.isRecord asks the VM each time
            return readRecord(kryo, input, type);
        }
        Object object = context.instantiate(type);
        kryo.reference(object); // before the fields, so that cycles back to it resolve
        readFields(kryo, input, object);
        return object;
    }

    /** Writes the captured state of {@code object}; units' bodies are written this way too. */
    void writeFields(Kryo kryo, Output output, Object object) {
        ClassSchema schema = schemaWritten(object.getClass());
        if (schema.customState) {
            FieldState state = new FieldState(schema, context::adapt);
            PickleHooks.getState((Pickleable) object, state);
            if (!state.fieldsCaptured()) {
                throw new SnapshotException(object.getClass().getName()
                        + ".getState(State) must call super.getState(state) so that base state is saved");
            }
            output.writeVarInt(state.values().size(), true);
            for (Map.Entry<String, Object> entry : state.values().entrySet()) {
                output.writeString(entry.getKey());
                writeValue(kryo, output, entry.getValue(), entry.getKey(), schema);
            }
            return;
        }
        prefetchLookups(schema, object);
        for (FieldSlot slot : schema.slots) {
            try {
                writeSlot(kryo, output, slot, object);
            } catch (CaptureException e) {
                throw e.at(slot.toString());
            } catch (SnapshotException e) {
                throw new CaptureException(e.getMessage(), e).at(slot.toString());
            }
        }
    }

    /**
     * Reads the table slots that the identity lookups of {@code object}'s field values will read,
     * before writing makes the lookups one by one: on a graph larger than the cache each lookup
     * waits for memory, and read together their waits overlap (see {@link IdentityNumbers}).
     * Units are numbered by the unit table instead. {@link ClassSchema#earlyLookups} holds only
     * fields read through their offsets.
     */
    private void prefetchLookups(ClassSchema schema, Object object) {
        for (FieldSlot slot : schema.earlyLookups) {
            Object value = slot.getObjectDirect(object);
            if (value != null && !(value instanceof Unit)) {
                numbers.prefetch(value);
            }
        }
    }

    /** Reads into {@code object} the state written by {@link #writeFields}. */
    void readFields(Kryo kryo, Input input, Object object) {
        ReadPlan plan = context.planFor(object.getClass());
        if (plan.identical) {
            for (FieldSlot slot : plan.current.slots) {
                readSlot(kryo, input, slot, object, context);
            }
        } else {
            // Fields added since the snapshot: their initialisers' values where known (no constructor runs).
            plan.initialised.forEach(
                    (slot, initial) -> slot.set(object, initial.value().get()));
            FieldState state = new FieldState(plan.current, context::adapt);
            if (plan.writtenCustom) {
                int count = ((SnapshotInput) input).checkedLength(input.readVarInt(true), 1, "a state");
                for (int i = 0; i < count; i++) {
                    String key = input.readString();
                    String current = plan.currentKey(key);
                    Object value = kryo.readClassAndObject(input);
                    // only a field saved as an object: a getState may have put null for a primitive
                    state.put(
                            current,
                            plan.recordedKind(key) == FieldSlot.Kind.OBJECT
                                    ? admitted(plan.current.slot(current), value)
                                    : value);
                }
            } else {
                for (int i = 0; i < plan.keys.length; i++) {
                    Object value = readValue(kryo, input, plan.kinds[i]);
                    if (plan.targets[i] != null) {
                        state.put(plan.targets[i].key, admitted(plan.targets[i], value));
                    }
                }
            }
            if (plan.current.customState) {
                PickleHooks.setState((Pickleable) object, state);
                if (!state.fieldsRestored()) {
                    throw new SnapshotException(object.getClass().getName()
                            + ".setState(State) must call super.setState(state) so that base state is restored");
                }
            } else {
                state.restoreInto(object);
            }
        }
        if (object instanceof Pickleable) {
            context.restored((Pickleable) object);
        }
    }

    /**
     * {@code value} as read from the payload for {@code target} (null where no field takes it): a
     * null for a primitive field (an Integer field that held null, now an int) has no value to
     * take, and is refused here, as a record's component is, before any hook could tell it from
     * an entry a setState cleared.
     */
    private Object admitted(FieldSlot target, Object value) {
        if (value == null && target != null && target.kind != FieldSlot.Kind.OBJECT) {
            return context.adapt(target, null); // throws, naming the field and both types
        }
        return value;
    }

    /**
     * Reads a record: its recorded components are matched to today's by name (added ones take
     * their defaults, removed ones are dropped) and the record is built by its canonical
     * constructor, since a record's fields cannot be set. Kryo registers the reference after.
     */
    private Object readRecord(Kryo kryo, Input input, Class<?> type) {
        ReadPlan plan = context.planFor(type);
        FieldSlot[] slots = plan.current.slots;
        Object[] values = new Object[slots.length];
        for (int i = 0; i < slots.length; i++) {
            values[i] = RecordConstruction.defaultValue(slots[i].field.getType());
        }
        if (plan.writtenCustom) { // a class with getState/setState when saved: its entries by name
            int count = ((SnapshotInput) input).checkedLength(input.readVarInt(true), 1, "a state");
            for (int i = 0; i < count; i++) {
                String key = input.readString();
                Object value = kryo.readClassAndObject(input);
                FieldSlot target = plan.current.slot(plan.currentKey(key));
                if (target != null) {
                    values[java.util.Arrays.asList(slots).indexOf(target)] = context.adapt(target, value);
                }
            }
            return RecordConstruction.construct(type, slots, values);
        }
        for (int i = 0; i < plan.keys.length; i++) {
            Object value = readValue(kryo, input, plan.kinds[i]);
            FieldSlot target = plan.targets[i];
            if (target != null) {
                values[java.util.Arrays.asList(slots).indexOf(target)] = context.adapt(target, value);
            }
        }
        return RecordConstruction.construct(type, slots, values);
    }

    private static void writeSlot(Kryo kryo, Output output, FieldSlot slot, Object owner) {
        try {
            switch (slot.kind) {
                case BOOLEAN:
                    output.writeBoolean(slot.getBoolean(owner));
                    break;
                case BYTE:
                    output.writeByte(slot.getByte(owner));
                    break;
                case SHORT:
                    output.writeShort(slot.getShort(owner));
                    break;
                case CHAR:
                    output.writeChar(slot.getChar(owner));
                    break;
                case INT:
                    output.writeVarInt(slot.getInt(owner), false);
                    break;
                case LONG:
                    output.writeVarLong(slot.getLong(owner), false);
                    break;
                case FLOAT: // raw bits: Output.writeFloat would write every NaN as the canonical one
                    output.writeInt(Float.floatToRawIntBits(slot.getFloat(owner)));
                    break;
                case DOUBLE:
                    output.writeLong(Double.doubleToRawLongBits(slot.getDouble(owner)));
                    break;
                default:
                    kryo.writeClassAndObject(output, slot.getObject(owner));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + slot, e);
        }
    }

    /**
     * Reads one field written by {@link #writeSlot} straight into {@code owner}, unboxed. A value
     * the field's type no longer admits (its class no longer implements the field's interface) is
     * refused, or converted, by {@code context}, as on the path for classes whose fields changed.
     */
    private static void readSlot(Kryo kryo, Input input, FieldSlot slot, Object owner, PickleContext context) {
        try {
            switch (slot.kind) {
                case BOOLEAN:
                    slot.setBoolean(owner, input.readBoolean());
                    break;
                case BYTE:
                    slot.setByte(owner, input.readByte());
                    break;
                case SHORT:
                    slot.setShort(owner, input.readShort());
                    break;
                case CHAR:
                    slot.setChar(owner, input.readChar());
                    break;
                case INT:
                    slot.setInt(owner, input.readVarInt(false));
                    break;
                case LONG:
                    slot.setLong(owner, input.readVarLong(false));
                    break;
                case FLOAT: // readFloat is intBitsToFloat(readInt()): the raw bits come back
                    slot.setFloat(owner, input.readFloat());
                    break;
                case DOUBLE:
                    slot.setDouble(owner, input.readDouble());
                    break;
                default:
                    Object value = kryo.readClassAndObject(input);
                    try {
                        slot.setObject(owner, value);
                    } catch (IllegalArgumentException notAdmitted) { // rare: no check on the common path
                        slot.set(owner, context.adapt(slot, value));
                    }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot write " + slot, e);
        }
    }

    private void writeValue(Kryo kryo, Output output, Object value, String key, ClassSchema schema) {
        try {
            kryo.writeClassAndObject(output, value);
        } catch (CaptureException e) {
            throw e.at(schema.type.getSimpleName() + " state '" + key + "'");
        } catch (SnapshotException e) {
            throw new CaptureException(e.getMessage(), e).at(schema.type.getSimpleName() + " state '" + key + "'");
        }
    }

    static Object readValue(Kryo kryo, Input input, FieldSlot.Kind kind) {
        switch (kind) {
            case BOOLEAN:
                return input.readBoolean();
            case BYTE:
                return input.readByte();
            case SHORT:
                return input.readShort();
            case CHAR:
                return input.readChar();
            case INT:
                return input.readVarInt(false);
            case LONG:
                return input.readVarLong(false);
            case FLOAT:
                return input.readFloat();
            case DOUBLE:
                return input.readDouble();
            default:
                return kryo.readClassAndObject(input);
        }
    }
}
