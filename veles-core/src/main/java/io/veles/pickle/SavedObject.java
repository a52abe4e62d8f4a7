package io.veles.pickle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An object as a snapshot saved it, read without creating an instance of its class: the class,
 * and the saved values by the names the snapshot records (captured fields, or what a custom
 * {@code getState} saved). Values are JDK values, arrays, collections, {@link SavedEnum}s and
 * other saved objects. Units are saved objects too, shared wherever they are referenced.
 */
public final class SavedObject {
    private final Class<?> type;
    private final boolean unit;
    private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();

    /** For the snapshot reader, which fills it with {@link #put} as it reads. */
    public SavedObject(Class<?> type, boolean unit) {
        this.type = type;
        this.unit = unit;
    }

    /** The saved class: loaded to read the bytes, never initialised. */
    public Class<?> type() {
        return type;
    }

    public String className() {
        return type.getName();
    }

    public boolean isUnit() {
        return unit;
    }

    /** Recorded by the snapshot reader: the value saved under {@code name}. */
    public void put(String name, Object value) {
        fields.put(name, value);
    }

    /** The saved values, in the order the snapshot holds them. */
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** A unit's name ({@code Unit.name}, whatever a subclass's own fields are called), else null. */
    public String name() {
        Object name = fields.containsKey("name") ? fields.get("name") : fields.get("io.veles.workflow.Unit#name");
        return name instanceof String ? (String) name : null;
    }

    @Override
    public String toString() {
        return unit ? "unit " + name() : type.getSimpleName() + fields;
    }
}
