package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreReport;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Every code change a restore must survive, each alone and all at once, for three shapes of
 * state: fields of a plain unit, fields split between a unit and its base class, and components
 * of a record a unit holds. Each version of the code is compiled at test time into its own class
 * loader; a snapshot of the original is restored into it. The test checks every restored value
 * and that the restore report names each change.
 *
 * <p>The original state: {@code int a = 11, String b = "twelve", long c = 13, double d = 14.5,
 * int e = 15, boolean f = true}; with a base class, a, b and c live there. Changed versions give
 * the kept fields other initialisers, so a value that came from an initialiser would show.
 */
class EvolutionMatrixTest {
    private static final String PACKAGE = "io.veles.evolve";
    private static final String MOVED = "io.veles.evolve.moved";

    @TempDir
    static Path dir;

    private static final AtomicInteger VERSIONS = new AtomicInteger();
    private static final Map<Shape, byte[]> ORIGINAL_SNAPSHOTS = new EnumMap<>(Shape.class);

    /** Where the changed fields live. */
    enum Shape {
        PLAIN,
        SUBCLASS,
        RECORD
    }

    /**
     * One field of a version. {@code inBase}: declared in the base class (SUBCLASS); {@code
     * formerName}: its {@link FormerName}; {@code expected}: its value after the restore, for
     * classes (PLAIN, SUBCLASS) and for the record.
     */
    record F(
            String type,
            String name,
            String init,
            boolean inBase,
            String formerName,
            Object expected,
            Object expectedInRecord) {
        static F kept(String type, String name, String init, boolean inBase, Object saved) {
            return new F(type, name, init, inBase, null, saved, saved);
        }

        F with(String newType, String newName, String newFormerName, Object newExpected) {
            return new F(newType, newName, init, inBase, newFormerName, newExpected, newExpected);
        }
    }

    static List<F> original() {
        return List.of(
                F.kept("int", "a", "11", true, 11),
                F.kept("String", "b", "\"twelve\"", true, "twelve"),
                F.kept("long", "c", "13L", true, 13L),
                F.kept("double", "d", "14.5", false, 14.5),
                F.kept("int", "e", "15", false, 15),
                F.kept("boolean", "f", "true", false, true));
    }

    /** Kept fields get other initialisers in changed versions. */
    private static final Map<String, String> CHANGED_INIT =
            Map.of("a", "-1", "b", "\"changed\"", "c", "-1L", "d", "-1.5", "e", "-2", "f", "false");

    /** A code change: what it does to the fields, the rules it needs, and how the report names it. */
    enum Change {
        ADD {
            @Override
            List<F> apply(List<F> fields) {
                List<F> changed = new ArrayList<>(fields);
                // At the front, in the base class: every later field moves one position.
                changed.add(0, new F("int", "added", "9", true, null, 9, 0));
                changed.add(
                        1,
                        new F(
                                "java.util.List<String>",
                                "addedList",
                                "new java.util.ArrayList<>()",
                                true,
                                null,
                                List.of(),
                                null));
                return changed;
            }

            @Override
            String described(Shape shape) {
                return shape == Shape.RECORD
                        ? "added added (Java default), addedList (Java default)"
                        : "added added = 9 (initialiser), addedList = new ArrayList() (initialiser)";
            }
        },
        REMOVE_FIRST {
            @Override
            List<F> apply(List<F> fields) {
                return without(fields, "a");
            }

            @Override
            String described(Shape shape) {
                return "removed a (dropped)";
            }
        },
        REMOVE_MIDDLE {
            @Override
            List<F> apply(List<F> fields) {
                return without(fields, "c");
            }

            @Override
            String described(Shape shape) {
                return "removed c (dropped)";
            }
        },
        REMOVE_LAST {
            @Override
            List<F> apply(List<F> fields) {
                return without(fields, "f");
            }

            @Override
            String described(Shape shape) {
                return "removed f (dropped)";
            }
        },
        REPLACE_LAST {
            @Override
            List<F> apply(List<F> fields) {
                // As many fields as before, one of them new: the layouts differ although the counts match.
                return replace(fields, "f", f -> new F("int", "g", "21", f.inBase(), null, 21, 0));
            }

            @Override
            String described(Shape shape) {
                return (shape == Shape.RECORD ? "added g (Java default)" : "added g = 21 (initialiser)")
                        + "; removed f (dropped)";
            }
        },
        REORDER {
            @Override
            List<F> apply(List<F> fields) {
                // Reversed, and with a base class, each field moved to the other class.
                List<F> changed = new ArrayList<>();
                for (F f : fields) {
                    changed.add(
                            0,
                            new F(
                                    f.type(),
                                    f.name(),
                                    f.init(),
                                    !f.inBase(),
                                    f.formerName(),
                                    f.expected(),
                                    f.expectedInRecord()));
                }
                return changed;
            }

            @Override
            String described(Shape shape) {
                return "reordered fields";
            }
        },
        RENAME_FIELD {
            @Override
            List<F> apply(List<F> fields) {
                return replace(fields, "d", f -> f.with(f.type(), "dee", "d", f.expected()));
            }

            @Override
            String described(Shape shape) {
                return "renamed d → dee";
            }
        },
        RETYPE_FITS {
            @Override
            List<F> apply(List<F> fields) {
                return replace(fields, "b", f -> f.with("CharSequence", "b", null, f.expected()));
            }

            @Override
            String described(Shape shape) {
                return "retyped b java.lang.String → java.lang.CharSequence";
            }
        },
        RETYPE_CONVERTED {
            @Override
            List<F> apply(List<F> fields) {
                return replace(fields, "e", f -> f.with("long", "e", null, 15L));
            }

            @Override
            RestoreRules rules(RestoreRules rules, Shape shape) {
                return rules.convert(Integer.class, Long.class, Integer::longValue);
            }

            @Override
            String described(Shape shape) {
                return "retyped e int → long";
            }
        },
        RENAME_CLASS {
            @Override
            RestoreRules rules(RestoreRules rules, Shape shape) {
                return rules.renameClass(PACKAGE + "." + subject(shape), PACKAGE + "." + subject(shape) + "Renamed");
            }

            @Override
            String subjectName(String name) {
                return name + "Renamed";
            }
        },
        MOVE_CLASS {
            @Override
            RestoreRules rules(RestoreRules rules, Shape shape) {
                return rules.renameClass(PACKAGE + "." + subject(shape), MOVED + "." + subject(shape));
            }

            @Override
            String subjectPackage() {
                return MOVED;
            }
        };

        List<F> apply(List<F> fields) {
            return fields;
        }

        RestoreRules rules(RestoreRules rules, Shape shape) {
            return rules;
        }

        /** How the report names this change of the subject's fields; null if it changes none. */
        String described(Shape shape) {
            return null;
        }

        String subjectName(String name) {
            return name;
        }

        String subjectPackage() {
            return PACKAGE;
        }
    }

    /**
     * The changes that go together into one version: moving and renaming the class exclude each
     * other, and the field that REPLACE_LAST replaces is one that REMOVE_LAST removes.
     */
    static final EnumSet<Change> ALL_AT_ONCE = EnumSet.complementOf(EnumSet.of(Change.MOVE_CLASS, Change.REPLACE_LAST));

    static Stream<Arguments> eachChangeAlone() {
        List<Arguments> cases = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            for (Change change : Change.values()) {
                cases.add(Arguments.of(shape, change));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("eachChangeAlone")
    void eachChangeAloneRestoresEveryValueAndIsNamed(Shape shape, Change change) throws Exception {
        SnapshotReader.Restored restored = restoreInto(shape, EnumSet.of(change));
        String described = change.described(shape);
        List<String> lines = describedChanges(restored);
        if (described == null) {
            assertThat(lines).isEmpty();
        } else {
            assertThat(lines).containsExactly(subjectClass(shape, EnumSet.of(change)) + ": " + described);
        }
        assertRenamedClasses(restored, shape, EnumSet.of(change));
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void allChangesAtOnceRestoreEveryValueAndAreEachNamed(Shape shape) throws Exception {
        SnapshotReader.Restored restored = restoreInto(shape, ALL_AT_ONCE);
        List<RestoreReport.ClassChange> changes = restored.report().changes();
        assertThat(changes).hasSize(1);
        RestoreReport.ClassChange change = changes.get(0);
        assertThat(change.className()).isEqualTo(subjectClass(shape, ALL_AT_ONCE));
        assertThat(change.removed()).containsExactlyInAnyOrder("a", "c", "f");
        assertThat(change.renamed()).containsExactly("d → dee");
        assertThat(change.retyped())
                .containsExactlyInAnyOrder("b java.lang.String → java.lang.CharSequence", "e int → long");
        assertThat(change.added())
                .containsExactlyInAnyOrder(
                        Change.ADD.described(shape).substring("added ".length()).split(", "));
        assertThat(change.reordered()).isTrue();
        assertRenamedClasses(restored, shape, ALL_AT_ONCE);
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aRetypeWithoutAConversionIsRefusedInOneLineNamingTheFieldBothTypesAndTheFix(Shape shape) throws Exception {
        List<F> fields = replace(original(), "a", f -> f.with("short", "a", null, null));
        Class<? extends Workflow> changed = compile(shape, fields, PACKAGE, subject(shape));
        assertThatThrownBy(() -> restore(originalSnapshot(shape), RestoreRules.forWorkflow(changed)))
                .isInstanceOf(SnapshotException.class)
                .hasMessage("snap: cannot restore " + PACKAGE + "." + subject(shape)
                        + ".a: the snapshot holds int, the code"
                        + " declares short; map it with a conversion in the restore rules (unit 'counter')");
    }

    // ----- one version: compile, restore, check -----

    private static SnapshotReader.Restored restoreInto(Shape shape, EnumSet<Change> changes) throws Exception {
        List<F> fields = original().stream()
                .map(f -> new F(
                        f.type(),
                        f.name(),
                        CHANGED_INIT.get(f.name()),
                        f.inBase(),
                        f.formerName(),
                        f.expected(),
                        f.expectedInRecord()))
                .toList();
        String name = subject(shape);
        String pkg = PACKAGE;
        for (Change change : changes) {
            fields = change.apply(fields);
            name = change.subjectName(name);
            pkg = change.subjectPackage().equals(PACKAGE) ? pkg : change.subjectPackage();
        }
        Class<? extends Workflow> changed = compile(shape, fields, pkg, name);
        RestoreRules rules = RestoreRules.forWorkflow(changed);
        for (Change change : changes) {
            rules = change.rules(rules, shape);
        }
        SnapshotReader.Restored restored = restore(originalSnapshot(shape), rules);
        assertValues(shape, restored.workflow(), fields, pkg + "." + name);
        // The restored state is a state like any other: it saves and restores again, unchanged.
        byte[] again = RoundTrip.write(restored.workflow());
        SnapshotReader.Restored second = restore(again, RestoreRules.forWorkflow(changed));
        assertThat(second.report().isEmpty()).isTrue();
        assertValues(shape, second.workflow(), fields, pkg + "." + name);
        return restored;
    }

    private static void assertValues(Shape shape, Workflow workflow, List<F> fields, String subjectClass)
            throws Exception {
        Object unit = workflow.findUnit("counter");
        Object holder =
                shape == Shape.RECORD ? unit.getClass().getField("settings").get(unit) : unit;
        assertThat(holder.getClass().getName()).isEqualTo(subjectClass);
        for (F f : fields) {
            Field field = declared(holder.getClass(), f.name());
            field.setAccessible(true);
            Object expected = shape == Shape.RECORD ? f.expectedInRecord() : f.expected();
            assertThat(field.get(holder)).as("%s %s", shape, f.name()).isEqualTo(expected);
        }
    }

    private static Field declared(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException notHere) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static List<String> describedChanges(SnapshotReader.Restored restored) {
        return restored.report().changes().stream()
                .map(RestoreReport.ClassChange::describe)
                .toList();
    }

    private static void assertRenamedClasses(SnapshotReader.Restored restored, Shape shape, EnumSet<Change> changes) {
        String current = subjectClass(shape, changes);
        String old = PACKAGE + "." + subject(shape);
        if (current.equals(old)) {
            assertThat(restored.report().renamedClasses()).isEmpty();
        } else {
            assertThat(restored.report().renamedClasses()).containsExactly(old + " → " + current);
        }
    }

    private static String subjectClass(Shape shape, EnumSet<Change> changes) {
        String name = subject(shape);
        String pkg = PACKAGE;
        for (Change change : changes) {
            name = change.subjectName(name);
            pkg = change.subjectPackage().equals(PACKAGE) ? pkg : change.subjectPackage();
        }
        return pkg + "." + name;
    }

    /** The class whose fields change: the unit, or the record it holds. */
    static String subject(Shape shape) {
        return shape == Shape.RECORD ? "Settings" : "Counter";
    }

    private static synchronized byte[] originalSnapshot(Shape shape) throws Exception {
        byte[] snapshot = ORIGINAL_SNAPSHOTS.get(shape);
        if (snapshot == null) {
            Workflow workflow = compile(shape, original(), PACKAGE, subject(shape))
                    .getConstructor()
                    .newInstance();
            snapshot = RoundTrip.write(workflow);
            ORIGINAL_SNAPSHOTS.put(shape, snapshot);
        }
        return snapshot;
    }

    private static SnapshotReader.Restored restore(byte[] snapshot, RestoreRules rules) {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            return reader.restore(rules);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ----- sources -----

    static List<F> without(List<F> fields, String name) {
        return fields.stream().filter(f -> !f.name().equals(name)).toList();
    }

    static List<F> replace(List<F> fields, String name, java.util.function.UnaryOperator<F> change) {
        return fields.stream()
                .map(f -> f.name().equals(name) ? change.apply(f) : f)
                .toList();
    }

    /** Compiles the workflow, its unit and the subject with {@code fields} into a fresh class loader. */
    private static Class<? extends Workflow> compile(Shape shape, List<F> fields, String pkg, String name)
            throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        String subject = pkg + "." + name;
        switch (shape) {
            case PLAIN -> {
                sources.put(
                        subject,
                        unitClass(
                                pkg,
                                name,
                                "io.veles.workflow.Unit",
                                declarations(fields, false),
                                "super(w, \"counter\");"));
                sources.put(PACKAGE + ".EvolveWorkflow", workflow("new " + subject + "(this);"));
            }
            case SUBCLASS -> {
                sources.put(
                        PACKAGE + ".Base",
                        "package " + PACKAGE + ";\npublic abstract class Base extends io.veles.workflow.Unit {\n"
                                + declarations(fields.stream().filter(F::inBase).toList(), false)
                                + "  protected Base(io.veles.workflow.Workflow w) { super(w, \"counter\"); }\n}\n");
                sources.put(
                        subject,
                        unitClass(
                                pkg,
                                name,
                                PACKAGE + ".Base",
                                declarations(
                                        fields.stream().filter(f -> !f.inBase()).toList(), false),
                                "super(w);"));
                sources.put(PACKAGE + ".EvolveWorkflow", workflow("new " + subject + "(this);"));
            }
            case RECORD -> {
                boolean original = fields.equals(original());
                sources.put(
                        subject,
                        "package " + pkg + ";\npublic record " + name + "(" + declarations(fields, true) + ") {}\n");
                String value = original
                        ? " = new " + subject + "("
                                + String.join(", ", fields.stream().map(F::init).toList()) + ")"
                        : "";
                sources.put(
                        PACKAGE + ".Counter",
                        unitClass(
                                PACKAGE,
                                "Counter",
                                "io.veles.workflow.Unit",
                                "  public " + subject + " settings" + value + ";\n",
                                "super(w, \"counter\");"));
                sources.put(PACKAGE + ".EvolveWorkflow", workflow("new Counter(this);"));
            }
            default -> throw new IllegalArgumentException(shape.toString());
        }
        Path root = dir.resolve("v" + VERSIONS.incrementAndGet());
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = root.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        Path classes = Files.createDirectories(root.resolve("classes"));
        List<String> arguments =
                new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        arguments.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, arguments.toArray(String[]::new)))
                .as("compiling " + sources.keySet())
                .isZero();
        URLClassLoader loader =
                new URLClassLoader(new URL[] {classes.toUri().toURL()}, EvolutionMatrixTest.class.getClassLoader());
        try {
            return Class.forName(PACKAGE + ".EvolveWorkflow", true, loader).asSubclass(Workflow.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** Field declarations, or record components ({@code components}). */
    private static String declarations(List<F> fields, boolean components) {
        List<String> parts = new ArrayList<>();
        for (F f : fields) {
            String annotation =
                    f.formerName() == null ? "" : "@io.veles.pickle.FormerName(\"" + f.formerName() + "\") ";
            parts.add(
                    components
                            ? annotation + f.type() + " " + f.name()
                            : "  " + annotation + "public " + f.type() + " " + f.name() + " = " + f.init() + ";\n");
        }
        return String.join(components ? ", " : "", parts);
    }

    private static String unitClass(String pkg, String name, String superclass, String body, String superCall) {
        return "package " + pkg + ";\npublic class " + name + " extends " + superclass + " {\n" + body
                + "  public " + name + "(io.veles.workflow.Workflow w) { " + superCall + " }\n"
                + "  public void run() {}\n}\n";
    }

    private static String workflow(String body) {
        return "package " + PACKAGE + ";\npublic class EvolveWorkflow extends io.veles.workflow.Workflow {\n"
                + "  public EvolveWorkflow() { super(\"evolve\"); " + body + " }\n}\n";
    }
}
