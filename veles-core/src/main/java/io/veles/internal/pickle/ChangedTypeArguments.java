package io.veles.internal.pickle;

import io.veles.errors.IncompatibleSnapshotException;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * Fits a restored container to the type arguments its field declares now, when only those changed
 * since the snapshot ({@code List<Integer>} became {@code List<Long>}): the field's class still
 * admits the container, so without this its old elements would be restored silently and fail
 * later, far from the restore. Each element of a collection, and each key and value of a map, and
 * of the containers nested in them as the arguments say, must be an instance of its argument's
 * class or be converted by the restore rules; anything else is refused, naming the field.
 *
 * <p>The container is changed in place, so that the objects sharing it keep sharing it. Only the
 * JDK's collections and maps are walked: their type parameters are their elements', where a
 * user's {@code class Counts<V> extends HashMap<String, V>} maps them its own way. Arguments that
 * say nothing (an unbounded wildcard or type variable, {@code Object}) are not checked.
 */
final class ChangedTypeArguments {
    /** What an element becomes for a class it is not an instance of. */
    interface Conversions {
        /** {@code element} converted to {@code to}, or {@link #NONE} when the restore rules have no such conversion. */
        Object convert(Object element, Class<?> to);
    }

    /** What {@link Conversions#convert} returns when no conversion applies. */
    static final Object NONE = new Object();

    private final Conversions conversions;
    /** The field, its type as recorded and as declared now, and the unit, for messages. */
    private final String field;

    private final String recorded;
    private final String declared;
    private final String inUnit;

    /**
     * For the value of {@code field} (its class's name and key), whose type the snapshot recorded
     * as {@code recorded} and the code declares as {@code declared}; {@code inUnit} ends messages.
     */
    ChangedTypeArguments(Conversions conversions, String field, String recorded, String declared, String inUnit) {
        this.conversions = conversions;
        this.field = field;
        this.recorded = recorded;
        this.declared = declared;
        this.inUnit = inUnit;
    }

    /** Fits {@code value}'s elements to {@code declared}'s arguments, where {@code value} is a JDK container. */
    @SuppressWarnings("unchecked")
    void fit(Object value, Type declared) {
        if (!(declared instanceof ParameterizedType) || value == null || !isJdkContainer(value.getClass())) {
            return;
        }
        Type[] arguments = ((ParameterizedType) declared).getActualTypeArguments();
        if (value instanceof Map && arguments.length == 2) {
            fitMap((Map<Object, Object>) value, arguments[0], arguments[1]);
        } else if (value instanceof Collection && arguments.length == 1) {
            fitCollection((Collection<Object>) value, arguments[0]);
        }
    }

    private static boolean isJdkContainer(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.util.");
    }

    private void fitCollection(Collection<Object> collection, Type argument) {
        if (says(argument) == null) {
            return;
        }
        if (collection instanceof List) {
            ListIterator<Object> elements = ((List<Object>) collection).listIterator();
            while (elements.hasNext()) {
                Object element = elements.next();
                Object fitted = fitted(element, argument);
                if (fitted != element) {
                    changeIn(collection, () -> elements.set(fitted));
                }
            }
            return;
        }
        List<Object> fittedElements = new ArrayList<>(collection.size());
        boolean changed = false;
        for (Object element : collection) {
            Object fitted = fitted(element, argument);
            changed |= fitted != element;
            fittedElements.add(fitted);
        }
        if (changed) { // a set's elements may hash anew: put them back in their order
            int size = collection.size();
            changeIn(collection, () -> {
                collection.clear();
                collection.addAll(fittedElements);
            });
            refuseMerged(collection.size(), size, "elements");
        }
    }

    private void fitMap(Map<Object, Object> map, Type keyArgument, Type valueArgument) {
        boolean keysChecked = says(keyArgument) != null;
        boolean valuesChecked = says(valueArgument) != null;
        if (!keysChecked && !valuesChecked) {
            return;
        }
        LinkedHashMap<Object, Object> fittedEntries = new LinkedHashMap<>();
        boolean keysChanged = false;
        for (Map.Entry<Object, Object> entry : map.entrySet()) {
            Object key = keysChecked ? fitted(entry.getKey(), keyArgument) : entry.getKey();
            Object value = valuesChecked ? fitted(entry.getValue(), valueArgument) : entry.getValue();
            keysChanged |= key != entry.getKey();
            if (!keysChanged && value != entry.getValue()) {
                changeIn(map, () -> entry.setValue(value));
            }
            fittedEntries.put(key, value);
        }
        if (keysChanged) { // keys hash anew: put the entries back in their order
            int size = map.size();
            changeIn(map, () -> {
                map.clear();
                map.putAll(fittedEntries);
            });
            refuseMerged(map.size(), size, "keys");
        }
    }

    /** {@code element} as an instance of {@code argument}'s class, converted if it was not one; its own elements fitted too. */
    private Object fitted(Object element, Type argument) {
        Class<?> bound = says(argument);
        if (element == null || bound == null) {
            return element;
        }
        Object result = element;
        if (!bound.isInstance(element)) {
            result = conversions.convert(element, bound);
            if (result == NONE) {
                throw new IncompatibleSnapshotException("cannot restore " + field + ": the snapshot's " + recorded
                        + " holds a " + element.getClass().getName() + ", the code declares " + declared + inUnit
                        + "; map it with a conversion in the restore rules");
            }
        }
        fit(result, argument); // a Map<String, List<Long>>'s lists
        return result;
    }

    /** The class every value of {@code argument} must be an instance of, or null when it says nothing. */
    static Class<?> says(Type argument) {
        Class<?> erased = erasure(argument);
        return erased == Object.class ? null : erased;
    }

    private static Class<?> erasure(Type type) {
        if (type instanceof Class) {
            return (Class<?>) type;
        }
        if (type instanceof ParameterizedType) {
            return erasure(((ParameterizedType) type).getRawType());
        }
        if (type instanceof WildcardType) {
            Type[] upper = ((WildcardType) type).getUpperBounds();
            return upper.length == 0 ? null : erasure(upper[0]);
        }
        if (type instanceof TypeVariable) {
            Type[] bounds = ((TypeVariable<?>) type).getBounds();
            return bounds.length == 0 ? null : erasure(bounds[0]);
        }
        if (type instanceof GenericArrayType) {
            Class<?> component = erasure(((GenericArrayType) type).getGenericComponentType());
            return component == null ? null : Array.newInstance(component, 0).getClass();
        }
        return null;
    }

    /**
     * Runs a change of {@code container}, refusing one that cannot be changed (an unmodifiable
     * list or map) or whose comparator refuses the converted elements (a TreeSet ordered by a
     * {@code Comparator<Integer>}).
     */
    private void changeIn(Object container, Runnable change) {
        try {
            change.run();
        } catch (UnsupportedOperationException unmodifiable) {
            throw new IncompatibleSnapshotException(
                    "cannot restore " + field + " as " + declared
                            + ": its elements, saved as " + recorded + ", need converting, and its "
                            + container.getClass().getName() + " cannot be changed" + inUnit,
                    unmodifiable);
        } catch (ClassCastException comparator) {
            throw new IncompatibleSnapshotException(
                    "cannot restore " + field + " as " + declared
                            + ": its " + container.getClass().getName() + " cannot order its converted elements"
                            + " (its comparator takes the elements saved, " + recorded + ")" + inUnit,
                    comparator);
        }
    }

    /** Refuses a conversion that made keys (or a set's elements) equal: an entry would be dropped without a word. */
    private void refuseMerged(int now, int before, String what) {
        if (now < before) {
            throw new IncompatibleSnapshotException("cannot restore " + field + " as " + declared + ": converting its "
                    + what + " made " + (before - now) + " of them equal to others, which would drop "
                    + (before - now) + (before - now == 1 ? " entry" : " entries") + inUnit);
        }
    }
}
