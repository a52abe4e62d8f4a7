package io.veles.pickle;

import io.veles.snapshot.SnapshotException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes a restore may instantiate: JDK value types and collections, arrays of allowed
 * types, the engine's own packages, the packages of the workflow being restored, and packages the
 * user adds. A snapshot naming any other class is refused before that class is loaded, so a
 * snapshot stays data and never runs code of its choosing.
 */
public final class ClassAllowList {
    private static final Set<String> JDK_CLASSES = Set.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
            "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
            "java.lang.Double", "java.lang.StringBuilder",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.PriorityQueue",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.EnumMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.RegularEnumSet", "java.util.JumboEnumSet", "java.util.BitSet", "java.util.UUID",
            "java.util.Arrays$ArrayList", "java.util.Collections$EmptyList", "java.util.Collections$EmptyMap",
            "java.util.Collections$EmptySet", "java.util.Collections$SingletonList",
            "java.util.Collections$SingletonMap", "java.util.Collections$SingletonSet",
            "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
            "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.CopyOnWriteArrayList",
            "java.time.Instant", "java.time.Duration", "java.time.LocalDate", "java.time.LocalTime",
            "java.time.LocalDateTime", "java.time.OffsetDateTime", "java.time.ZonedDateTime",
            "java.time.ZoneOffset", "java.time.Period", "java.time.Year", "java.time.YearMonth",
            "java.time.MonthDay", "java.time.DayOfWeek", "java.time.Month");
    private static final List<String> ENGINE_PACKAGES = List.of("io.veles");

    private final Set<String> packages;
    private final ClassLoader classLoader;

    private ClassAllowList(Collection<String> packages, ClassLoader classLoader) {
        this.packages = new LinkedHashSet<>(packages);
        this.classLoader = classLoader;
    }

    /** The engine's packages, {@code workflowClass}'s package, and {@code extraPackages}. */
    public static ClassAllowList forWorkflow(Class<?> workflowClass, Collection<String> extraPackages) {
        List<String> allowed = new ArrayList<>(ENGINE_PACKAGES);
        allowed.add(workflowClass.getPackageName());
        return new ClassAllowList(allowed, workflowClass.getClassLoader()).withPackages(extraPackages);
    }

    /** This list with {@code extraPackages} allowed too. */
    public ClassAllowList withPackages(Collection<String> extraPackages) {
        List<String> allowed = new ArrayList<>(packages);
        for (String extra : extraPackages) {
            allowed.add(checkPackageName(extra));
        }
        return new ClassAllowList(allowed, classLoader);
    }

    /** The loader that allowed classes are loaded with: the workflow's own. */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /** The packages allowed besides the JDK's value types and collections. */
    public Set<String> packages() {
        return packages;
    }

    private static String checkPackageName(String name) {
        if (!name.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
            throw new SnapshotException("not a Java package name: '" + name + "'");
        }
        return name;
    }

    /** True if a restore may instantiate the class with this binary name. */
    public boolean allows(String className) {
        String element = className;
        while (element.startsWith("[")) {
            element = element.substring(1);
        }
        if (element.length() == 1 && "ZBCSIJFD".contains(element)) {
            return true; // a primitive array
        }
        if (element.startsWith("L") && element.endsWith(";")) {
            element = element.substring(1, element.length() - 1);
        }
        if (JDK_CLASSES.contains(element)) {
            return true;
        }
        for (String allowed : packages) {
            if (element.startsWith(allowed + ".") && !element.contains("$$Lambda")) {
                return true;
            }
        }
        return false;
    }

    /** Refuses a class that is not allowed, naming it. */
    public void check(String className) {
        if (!allows(className)) {
            throw new SnapshotException("snapshot names class " + className + ", which is not allowed"
                    + " (allowed: JDK value types and collections, and packages " + String.join(", ", packages)
                    + "; add a package with --allow-package)");
        }
    }
}
