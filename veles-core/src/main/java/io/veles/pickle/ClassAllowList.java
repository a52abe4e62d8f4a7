package io.veles.pickle;

import io.veles.errors.SnapshotException;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one rule of what a snapshot may hold: the classes a restore may instantiate, and so the
 * classes a save accepts. JDK value types and collections, arrays of allowed types, the engine's
 * own packages, the workflow's package, every class of the workflow's own code source (the jar or
 * classes directory it was loaded from: the application's code), and packages the user adds.
 *
 * <p>A restore asks {@link #allows} for each class name it reads and refuses any other before
 * loading it, so a snapshot stays data and never runs code of its choosing; a save asks the same
 * question for each class name it writes, so that what saves also restores.
 */
public final class ClassAllowList {
    private static final Set<String> JDK_CLASSES = Set.of(
            "java.lang.String",
            "java.lang.Boolean",
            "java.lang.Byte",
            "java.lang.Short",
            "java.lang.Character",
            "java.lang.Integer",
            "java.lang.Long",
            "java.lang.Float",
            "java.lang.Double",
            "java.lang.StringBuilder",
            "java.math.BigInteger",
            "java.math.BigDecimal",
            "java.util.ArrayList",
            "java.util.LinkedList",
            "java.util.ArrayDeque",
            "java.util.PriorityQueue",
            "java.util.HashMap",
            "java.util.LinkedHashMap",
            "java.util.TreeMap",
            "java.util.EnumMap",
            "java.util.HashSet",
            "java.util.LinkedHashSet",
            "java.util.TreeSet",
            "java.util.RegularEnumSet",
            "java.util.JumboEnumSet",
            "java.util.BitSet",
            "java.util.UUID",
            "java.util.Arrays$ArrayList",
            "java.util.Collections$EmptyList",
            "java.util.Collections$EmptyMap",
            "java.util.Collections$EmptySet",
            "java.util.Collections$SingletonList",
            "java.util.Collections$SingletonMap",
            "java.util.Collections$SingletonSet",
            "java.util.ImmutableCollections$List12",
            "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$Set12",
            "java.util.ImmutableCollections$SetN",
            "java.util.ImmutableCollections$Map1",
            "java.util.ImmutableCollections$MapN",
            "java.util.concurrent.ConcurrentHashMap",
            "java.util.concurrent.CopyOnWriteArrayList",
            "java.time.Instant",
            "java.time.Duration",
            "java.time.LocalDate",
            "java.time.LocalTime",
            "java.time.LocalDateTime",
            "java.time.OffsetDateTime",
            "java.time.ZonedDateTime",
            "java.time.ZoneOffset",
            "java.time.Period",
            "java.time.Year",
            "java.time.YearMonth",
            "java.time.MonthDay",
            "java.time.DayOfWeek",
            "java.time.Month",
            // Everyday values added with their serializers (SnapshotKryo). A Path is rebuilt from its
            // string on the default file system; it is named by its interface, never its JDK class.
            "java.lang.Object",
            "java.util.Optional",
            "java.util.OptionalInt",
            "java.util.OptionalLong",
            "java.util.OptionalDouble",
            "java.util.concurrent.atomic.AtomicBoolean",
            "java.util.concurrent.atomic.AtomicInteger",
            "java.util.concurrent.atomic.AtomicLong",
            "java.net.URI",
            "java.nio.file.Path",
            "java.time.ZoneRegion",
            "java.time.OffsetTime");
    /** A binary class name: a resource path is built from it, so nothing else may pass. */
    private static final Pattern BINARY_NAME = Pattern.compile("[\\w$]+(\\.[\\w$]+)*", Pattern.UNICODE_CHARACTER_CLASS);

    private static final List<String> ENGINE_PACKAGES = List.of("io.veles");

    private final Set<String> packages;
    private final ClassLoader classLoader;
    /** Where the workflow class was loaded from, or null if its loader does not say. */
    private final URL codeSource;

    private final Map<String, Boolean> decided = new ConcurrentHashMap<>();

    private ClassAllowList(Collection<String> packages, ClassLoader classLoader, URL codeSource) {
        this.packages = new LinkedHashSet<>(packages);
        this.classLoader = classLoader;
        this.codeSource = codeSource;
    }

    /**
     * The engine's packages, {@code workflowClass}'s package and code source, and
     * {@code extraPackages}.
     */
    public static ClassAllowList forWorkflow(Class<?> workflowClass, Collection<String> extraPackages) {
        List<String> allowed = new ArrayList<>(ENGINE_PACKAGES);
        allowed.add(workflowClass.getPackageName());
        CodeSource source = workflowClass.getProtectionDomain().getCodeSource();
        return new ClassAllowList(allowed, workflowClass.getClassLoader(), source == null ? null : source.getLocation())
                .withPackages(extraPackages);
    }

    /** This list with {@code extraPackages} allowed too. */
    public ClassAllowList withPackages(Collection<String> extraPackages) {
        List<String> allowed = new ArrayList<>(packages);
        for (String extra : extraPackages) {
            allowed.add(checkPackageName(extra));
        }
        return new ClassAllowList(allowed, classLoader, codeSource);
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
        if (element.contains("$$Lambda")) {
            return false;
        }
        for (String allowed : packages) {
            if (element.startsWith(allowed + ".")) {
                return true;
            }
        }
        return decided.computeIfAbsent(element, this::inWorkflowCodeSource);
    }

    /**
     * True if the class file the workflow's loader would load for {@code binaryName} lies in the
     * workflow's own jar or classes directory. Asked of the loader as a resource: nothing is loaded.
     */
    private boolean inWorkflowCodeSource(String binaryName) {
        if (codeSource == null
                || classLoader == null
                || isJdkName(binaryName)
                || !BINARY_NAME.matcher(binaryName).matches()) {
            return false;
        }
        String path = binaryName.replace('.', '/') + ".class";
        URL found = classLoader.getResource(path);
        if (found == null) {
            return false;
        }
        String root = codeSource.toExternalForm();
        String file = found.toExternalForm();
        return root.endsWith("/") ? file.equals(root + path) : file.equals("jar:" + root + "!/" + path);
    }

    private static boolean isJdkName(String name) {
        return name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("sun.")
                || name.startsWith("com.sun.");
    }

    /** The most characters of a class name a refusal shows. */
    private static final int MAX_SHOWN_NAME = 200;

    /** Refuses, when restoring, a class that is not allowed, naming it. */
    public void check(String className) {
        if (!allows(className)) {
            // read from the payload: of any length and any characters
            throw new SnapshotException("snapshot names class "
                    + io.veles.internal.util.Printable.escapeAtMost(className, MAX_SHOWN_NAME)
                    + ", which is not allowed"
                    + " (allowed: JDK value types and collections, " + where() + "; "
                    + io.veles.internal.util.Printable.escapeAtMost(fix(className), 3 * MAX_SHOWN_NAME) + ")");
        }
    }

    /**
     * Why a restore with these rules would refuse a saved {@code className}, and how to allow it;
     * null if it is allowed. The writer refuses such a class up front, adding the path of fields.
     */
    public String refusalToSave(String className) {
        if (allows(className)) {
            return null;
        }
        return "cannot capture a " + className + ": a restore would refuse it (allowed: JDK value types and"
                + " collections, " + where() + "); " + fix(className) + ", or mark the field transient or end its"
                + " name with '_' and rebuild it in initUnpickled()";
    }

    private String where() {
        return (codeSource == null ? "" : "classes of " + codeSource + ", ") + "and packages "
                + String.join(", ", packages);
    }

    /** How to allow {@code className}; never advice to open a JDK package. */
    private static String fix(String className) {
        String element = className.replaceFirst("^\\[+L?", "").replace(";", "");
        int dot = element.lastIndexOf('.');
        if (dot < 0 || isJdkName(element)) {
            return "JDK classes other than the value types and collections cannot be captured";
        }
        String pkg = element.substring(0, dot);
        return "allow its package with RestoreRules.allowPackage(\"" + pkg + "\") or --allow-package " + pkg;
    }
}
