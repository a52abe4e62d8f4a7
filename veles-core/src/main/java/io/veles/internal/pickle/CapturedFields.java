package io.veles.internal.pickle;

import java.util.LinkedHashMap;
import java.util.Map;

/** The fields a snapshot captures of an object, by the keys snapshots name them with. */
public final class CapturedFields {
    private CapturedFields() {}

    /** Field key to current value, superclass fields first. */
    public static Map<String, Object> of(Object object) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldSlot slot : ClassSchema.of(object.getClass()).slots) {
            values.put(slot.key, slot.get(object));
        }
        return values;
    }
}
