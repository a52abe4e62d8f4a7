package io.veles.pickle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How a restore maps a snapshot onto today's code: which classes it may instantiate
 * ({@link ClassAllowList}), classes that were renamed or moved since, and conversions for fields
 * whose type changed. Immutable; each method returns a new set of rules.
 *
 * <pre>{@code
 * RestoreRules rules = RestoreRules.forWorkflow(MyWorkflow.class)
 *         .renameClass("com.example.OldLayer", "com.example.nn.Layer")
 *         .convert(Integer.class, Long.class, Integer::longValue)
 *         .removedUnitClass("com.example.OldLogger");
 * }</pre>
 *
 * Fields renamed within a class are mapped with {@link FormerName} on the field instead.
 */
public final class RestoreRules {
    /** A conversion of a saved value of one type into a field of another. */
    private record Conversion(Class<?> from, Class<?> to, Function<Object, Object> function) {}

    private final ClassAllowList allowList;
    private final Map<String, String> renamedClasses;
    private final List<Conversion> conversions;
    private final Set<String> removedUnitClasses;

    private RestoreRules(
            ClassAllowList allowList,
            Map<String, String> renamedClasses,
            List<Conversion> conversions,
            Set<String> removedUnitClasses) {
        this.allowList = allowList;
        this.renamedClasses = renamedClasses;
        this.conversions = conversions;
        this.removedUnitClasses = removedUnitClasses;
    }

    /** Rules for restoring a {@code workflowClass} workflow: its package and the engine's allowed. */
    public static RestoreRules forWorkflow(Class<?> workflowClass) {
        Objects.requireNonNull(workflowClass, "workflowClass");
        return new RestoreRules(ClassAllowList.forWorkflow(workflowClass, List.of()), Map.of(), List.of(), Set.of());
    }

    /** Rules that only allow what {@code allowList} allows: no renames, no conversions. */
    public static RestoreRules allowing(ClassAllowList allowList) {
        return new RestoreRules(allowList, Map.of(), List.of(), Set.of());
    }

    /** These rules, also allowing classes of {@code packages}. */
    public RestoreRules allowPackages(Collection<String> packages) {
        return new RestoreRules(allowList.withPackages(packages), renamedClasses, conversions, removedUnitClasses);
    }

    /** These rules, also allowing classes of {@code packageName}: the Java form of {@code --allow-package}. */
    public RestoreRules allowPackage(String packageName) {
        return allowPackages(List.of(Objects.requireNonNull(packageName, "packageName")));
    }

    /** These rules, restoring objects saved as class {@code oldName} into class {@code newName}. */
    public RestoreRules renameClass(String oldName, String newName) {
        Map<String, String> renamed = new LinkedHashMap<>(renamedClasses);
        renamed.put(Objects.requireNonNull(oldName, "oldName"), Objects.requireNonNull(newName, "newName"));
        return new RestoreRules(allowList, Map.copyOf(renamed), conversions, removedUnitClasses);
    }

    /**
     * These rules, restoring units saved as class {@code className}, which the code removed on
     * purpose, as {@link io.veles.workflow.RemovedUnit} placeholders: they keep their names and
     * links and do nothing; their state is dropped. Without this, a restore that meets a unit class
     * the code no longer has is refused, since the class may just have been renamed.
     */
    public RestoreRules removedUnitClass(String className) {
        Set<String> removed = new LinkedHashSet<>(removedUnitClasses);
        removed.add(Objects.requireNonNull(className, "className"));
        return new RestoreRules(allowList, renamedClasses, conversions, Set.copyOf(removed));
    }

    /** True if units of class {@code className} were removed on purpose ({@link #removedUnitClass}). */
    public boolean unitClassRemoved(String className) {
        return removedUnitClasses.contains(className);
    }

    /**
     * These rules, converting a saved {@code from} value with {@code conversion} when the field it
     * restores into now holds a {@code to}. Primitive fields are seen boxed: a field changed from
     * int to long takes {@code convert(Integer.class, Long.class, Integer::longValue)}.
     */
    @SuppressWarnings("unchecked")
    public <A, B> RestoreRules convert(Class<A> from, Class<B> to, Function<? super A, ? extends B> conversion) {
        List<Conversion> all = new ArrayList<>(conversions);
        all.add(new Conversion(from, to, value -> conversion.apply((A) value)));
        return new RestoreRules(allowList, renamedClasses, List.copyOf(all), removedUnitClasses);
    }

    /** Which classes a snapshot may name. */
    public ClassAllowList allowList() {
        return allowList;
    }

    /** The class to restore objects saved as {@code recordedName} into. */
    public String currentName(String recordedName) {
        return renamedClasses.getOrDefault(recordedName, recordedName);
    }

    /** The name a class of today was saved under: its old name if it was renamed. */
    public String recordedName(String currentName) {
        for (Map.Entry<String, String> rename : renamedClasses.entrySet()) {
            if (rename.getValue().equals(currentName)) {
                return rename.getKey();
            }
        }
        return currentName;
    }

    /** True if a saved {@code from} value can be converted into a {@code to} field. */
    public boolean canConvert(Class<?> from, Class<?> to) {
        return conversion(from, to) != null;
    }

    /** The value converted for a {@code to} field, or null if no conversion applies. */
    public Object applyConversion(Object value, Class<?> to) {
        Conversion conversion = conversion(value.getClass(), to);
        return conversion == null ? null : conversion.function().apply(value);
    }

    private Conversion conversion(Class<?> from, Class<?> to) {
        for (Conversion conversion : conversions) {
            if (conversion.from().isAssignableFrom(from) && to.isAssignableFrom(conversion.to())) {
                return conversion;
            }
        }
        return null;
    }
}
