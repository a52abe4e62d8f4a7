package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.pickle.RestoreReport;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Restoring into code that changed since the snapshot: each version of a workflow is compiled at
 * test time and loaded by its own class loader, so one JVM holds the old and the new code.
 */
class CodeChangeTest {
    @TempDir
    Path dir;

    private static final String WORKFLOW = "package io.veles.evolve;\n"
            + "public class EvolveWorkflow extends io.veles.workflow.Workflow {\n"
            + "  public EvolveWorkflow() { super(\"evolve\"); new Counter(this); }\n"
            + "}\n";

    private static String counter(String fields) {
        return "package io.veles.evolve;\n"
                + "public class Counter extends io.veles.workflow.Unit {\n"
                + fields + "\n"
                + "  public Counter(io.veles.workflow.Workflow w) { super(w, \"counter\"); }\n"
                + "  public void run() {}\n"
                + "}\n";
    }

    private static final String ORIGINAL =
            counter("public int count = 5; public String label = \"five\"; public long dropped = 7;");

    /** Compiles {@code counterSource} with the workflow into its own directory and loads it. */
    private Class<? extends Workflow> version(String name, String counterSource) throws IOException {
        return version(name, WORKFLOW, "Counter", counterSource);
    }

    /** Compiles a workflow and one unit class into their own directory and loads them. */
    private Class<? extends Workflow> version(String name, String workflowSource, String unitName, String unitSource)
            throws IOException {
        Path source = dir.resolve(name + "-src/io/veles/evolve");
        Files.createDirectories(source);
        Files.writeString(source.resolve("EvolveWorkflow.java"), workflowSource);
        Files.writeString(source.resolve(unitName + ".java"), unitSource);
        Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                source.resolve("EvolveWorkflow.java").toString(),
                source.resolve(unitName + ".java").toString());
        assertThat(status).as("compiling version " + name).isZero();
        URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        try {
            return Class.forName("io.veles.evolve.EvolveWorkflow", true, loader).asSubclass(Workflow.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private byte[] originalSnapshot() throws Exception {
        Workflow workflow = version("v1", ORIGINAL).getConstructor().newInstance();
        return RoundTrip.write(workflow);
    }

    private static SnapshotReader.Restored restore(byte[] snapshot, Class<? extends Workflow> into) {
        return restore(snapshot, RestoreRules.forWorkflow(into));
    }

    private static SnapshotReader.Restored restore(byte[] snapshot, RestoreRules rules) {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            return reader.restore(rules);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        return owner.getClass().getField(name).get(owner);
    }

    @Test
    void addedFieldsTakeTheirConstantInitialisersRemovedOnesAreDroppedAndBothAreNamed() throws Exception {
        Class<? extends Workflow> changed = version(
                "v2",
                counter(
                        "public int count; public String label; public double added = 0.5; public java.util.List<String> alsoAdded;"));
        SnapshotReader.Restored restored = restore(originalSnapshot(), changed);
        Object unit = restored.workflow().findUnit("counter");
        assertThat(unit.getClass().getClassLoader()).isSameAs(changed.getClassLoader());
        assertThat(field(unit, "count")).isEqualTo(5);
        assertThat(field(unit, "label")).isEqualTo("five");
        // No constructor runs on restore: the constant initialiser is read from the class file;
        // alsoAdded has none, so it keeps Java's default.
        assertThat(field(unit, "added")).isEqualTo(0.5);
        assertThat(field(unit, "alsoAdded")).isNull();
        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .containsExactly("io.veles.evolve.Counter: added added = 0.5 (initialiser), alsoAdded (Java default);"
                        + " removed dropped (dropped)");
    }

    @Test
    void aRetypedPrimitiveIsRefusedNamingTheFieldTheTypesAndTheUnit() throws Exception {
        Class<? extends Workflow> changed =
                version("v3", counter("public long count; public String label; public long dropped;"));
        assertThatThrownBy(() -> restore(originalSnapshot(), changed))
                .hasMessageContaining(
                        "cannot restore io.veles.evolve.Counter.count: the snapshot holds int, the code declares long")
                .hasMessageContaining("(unit 'counter')");
    }

    @Test
    void aRetypedObjectFieldIsRefusedNamingTheFieldTheTypesAndTheUnit() throws Exception {
        Class<? extends Workflow> changed =
                version("v4", counter("public int count; public Integer label; public long dropped;"));
        assertThatThrownBy(() -> restore(originalSnapshot(), changed))
                .hasMessageContaining(
                        "cannot restore io.veles.evolve.Counter.label: the snapshot holds java.lang.String, "
                                + "the code declares java.lang.Integer (unit 'counter')");
    }

    @Test
    void aClassTheCodeNoLongerHasIsNamed() throws Exception {
        // Counter renamed to Tally: the snapshot names a class that is gone.
        Class<? extends Workflow> renamed = version(
                "v5",
                WORKFLOW.replace("new Counter(this)", "new Tally(this)"),
                "Tally",
                counter("public int count;").replace("Counter", "Tally"));
        assertThatThrownBy(() -> restore(originalSnapshot(), renamed))
                .hasMessageContaining("snapshot names class io.veles.evolve.Counter, which the code no longer has");
    }

    @Test
    void aFieldRenamedWithFormerNameKeepsItsValue() throws Exception {
        Class<? extends Workflow> changed = version(
                "v10",
                counter(
                        "@io.veles.pickle.FormerName(\"count\") public int total; public String label; public long dropped;"));
        SnapshotReader.Restored restored = restore(originalSnapshot(), changed);
        assertThat(field(restored.workflow().findUnit("counter"), "total")).isEqualTo(5);
        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .containsExactly("io.veles.evolve.Counter: renamed count → total");
    }

    /**
     * A field renamed while its old name went to a new field ({@code count} became {@code done},
     * and a new {@code count} is a target): a snapshot from before the rename gives its count to
     * the field that says it was once named so, and the new field keeps its initialiser. One taken
     * after the rename holds both names, and each goes by its name.
     */
    @Test
    void aFormerNameWinsOverANewFieldReusingTheOldName() throws Exception {
        String renamed = "@io.veles.pickle.FormerName(\"count\") public int done; public int count = 100;"
                + " public String label; public long dropped;";
        SnapshotReader.Restored restored = restore(originalSnapshot(), version("v40", counter(renamed)));
        Object unit = restored.workflow().findUnit("counter");
        assertThat(field(unit, "done")).as("the renamed field").isEqualTo(5);
        assertThat(field(unit, "count")).as("the new field of the old name").isEqualTo(100);
        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("renamed count → done")
                .contains("added count = 100 (initialiser)");

        String afterRename = renamed.replace("int done;", "int done = 6;").replace("count = 100", "count = 50");
        Object again = evolve("v41", afterRename, renamed).workflow().findUnit("counter");
        assertThat(field(again, "done")).isEqualTo(6);
        assertThat(field(again, "count")).isEqualTo(50);

        // Renamed again, listing both former names: the snapshot between the renames holds the
        // renamed field under its middle name, so count still goes by its name.
        String renamedAgain = "@io.veles.pickle.FormerName({\"count\", \"done\"}) public int completed;"
                + " public int count = 100; public String label; public long dropped;";
        Object third = evolve("v47", afterRename, renamedAgain).workflow().findUnit("counter");
        assertThat(field(third, "completed")).isEqualTo(6);
        assertThat(field(third, "count")).isEqualTo(50);
    }

    /** A constant the code no longer has is refused as a code change, naming the enum and the constant. */
    @Test
    void anEnumConstantRemovedIsRefusedNamingIt() throws Exception {
        assertThatThrownBy(() -> evolve(
                        "v42",
                        "public enum Mode { RED, GREEN } public Mode mode = Mode.RED;",
                        "public enum Mode { CRIMSON, GREEN } public Mode mode;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("io.veles.evolve.Counter$Mode: it has no constant RED any more");
    }

    /**
     * A constant whose body the code dropped is the same constant: the snapshot names its enum,
     * not the body's class (Counter$Op$1), which the code no longer has.
     */
    @Test
    void anEnumConstantThatLostItsBodyRestores() throws Exception {
        Object unit = evolve(
                        "v43",
                        "public enum Op { ADD { public int apply() { return 1; } }, NONE;"
                                + " public int apply() { return 0; } } public Op op = Op.ADD;",
                        "public enum Op { ADD, NONE } public Op op;")
                .workflow()
                .findUnit("counter");
        assertThat(field(unit, "op")).hasToString("ADD");
    }

    /**
     * An enum whose constant gained a body is no longer final, and Kryo writes an array of a
     * final class without a class per element: read by today's class, the array's elements were
     * taken for class numbers and the unit reported corrupt. The manifest records how each
     * element class's arrays were written, and the restore follows it.
     */
    @Test
    void anArrayOfAnEnumWhoseConstantGainedABodyRestores() throws Exception {
        Object unit = evolve(
                        "v60",
                        "public enum Op { ADD, NONE } public Op[] ops = { Op.ADD, null, Op.NONE }; public int after = 42;",
                        "public enum Op { ADD { public int apply() { return 1; } }, NONE; public int apply() { return 0; } }"
                                + " public Op[] ops; public int after;")
                .workflow()
                .findUnit("counter");
        assertThat(java.util.Arrays.toString((Object[]) field(unit, "ops"))).isEqualTo("[ADD, null, NONE]");
        assertThat(field(unit, "after")).isEqualTo(42);
    }

    /** The other way: a class made open (final dropped to subclass it) reads its arrays as written. */
    @Test
    void anArrayOfAClassNoLongerFinalRestores() throws Exception {
        Object unit = evolve(
                        "v61",
                        "public static final class P { public int x; P(int x) { this.x = x; } }"
                                + " public P[] ps = { new P(3), null, new P(4) }; public int after = 42;",
                        "public static class P { public int x; } public P[] ps; public int after;")
                .workflow()
                .findUnit("counter");
        Object[] ps = (Object[]) field(unit, "ps");
        assertThat(ps).hasSize(3);
        assertThat(ps[0].getClass().getField("x").get(ps[0])).isEqualTo(3);
        assertThat(ps[1]).isNull();
        assertThat(ps[2].getClass().getField("x").get(ps[2])).isEqualTo(4);
        assertThat(field(unit, "after")).isEqualTo(42);
    }

    /** And a class made final reads its arrays, written with a class per element, as written. */
    @Test
    void anArrayOfAClassMadeFinalRestores() throws Exception {
        Object unit = evolve(
                        "v62",
                        "public static class P { public int x; P(int x) { this.x = x; } }"
                                + " public P[] ps = { new P(3), null, new P(4) }; public int after = 42;",
                        "public static final class P { public int x; } public P[] ps; public int after;")
                .workflow()
                .findUnit("counter");
        Object[] ps = (Object[]) field(unit, "ps");
        assertThat(ps[2].getClass().getField("x").get(ps[2])).isEqualTo(4);
        assertThat(field(unit, "after")).isEqualTo(42);
    }

    /**
     * An enum made a class, held in an array: its constants were written as names, without a
     * class each (an enum is final), and were read as objects of fields the manifest does not
     * describe, "corrupt". Refused as the code change it is.
     */
    @Test
    void anArrayOfAnEnumMadeAClassIsRefusedAsACodeChange() throws Exception {
        assertThatThrownBy(() -> evolve(
                        "v64",
                        "public enum Mode { A, B } public Mode[] modes = { Mode.A, Mode.B };",
                        "public static final class Mode { public int x; } public Mode[] modes;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("io.veles.evolve.Counter$Mode that were not saved field by field")
                .hasMessageContaining("unit 'counter'");
    }

    /** A class of fields made an enum, held in an array: refused naming both kinds, not read as names. */
    @Test
    void anArrayOfAClassMadeAnEnumIsRefusedAsACodeChange() throws Exception {
        assertThatThrownBy(() -> evolve(
                        "v65",
                        "public static final class Mode { public int x = 1; } public Mode[] modes = { new Mode() };",
                        "public enum Mode { A } public Mode[] modes;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining(
                        "snapshot holds objects of io.veles.evolve.Counter$Mode as a class, and the code's"
                                + " io.veles.evolve.Counter$Mode is an enum");
    }

    /**
     * An array of a unit class removed on purpose: the array names the class by its JVM name,
     * which was not matched to the manifest's unit classes, so it was refused as a class the code
     * no longer has even with --removed-unit-class. Its units now restore as placeholders.
     */
    @Test
    void anArrayOfARemovedUnitClassRestoresAsPlaceholders() throws Exception {
        byte[] snapshot = RoundTrip.write(version(
                        "v66a",
                        counter("public static class Worker extends io.veles.workflow.Unit {"
                                + " public Worker(io.veles.workflow.Workflow w, String n) { super(w, n); }"
                                + " public void run() {} }"
                                + " public io.veles.workflow.Unit[][] grid;"
                                + " public Worker[] workers; public int after = 42;"
                                + " { workers = new Worker[] { new Worker(workflow(), \"w1\"), null };"
                                + " grid = new Worker[][] { workers }; }"))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> changed = version(
                "v66b", counter("public io.veles.workflow.Unit[] workers; public Object grid; public int after;"));
        RestoreRules rules = RestoreRules.forWorkflow(changed).removedUnitClass("io.veles.evolve.Counter$Worker");
        SnapshotReader.Restored restored = restore(snapshot, rules);
        Object unit = restored.workflow().findUnit("counter");
        Object[] workers = (Object[]) field(unit, "workers");
        assertThat(workers).hasSize(2);
        assertThat(workers[0]).isInstanceOf(io.veles.workflow.RemovedUnit.class);
        assertThat(((io.veles.workflow.Unit) workers[0]).name()).isEqualTo("w1");
        assertThat(workers[1]).isNull();
        assertThat(((Object[][]) field(unit, "grid"))[0][0]).isSameAs(workers[0]);
        assertThat(field(unit, "after")).isEqualTo(42);
    }

    /**
     * Reading state as data (diff, export, report) checks kinds as a restore does: a class of
     * fields made an enum had its fields read as a constant's name, and a unit made a plain class
     * had a unit number read as fields.
     */
    @Test
    void readingAsDataRefusesAClassThatChangedKind() throws Exception {
        byte[] snapshot = RoundTrip.write(version(
                        "v67a",
                        counter("public static final class Mode { public String s = \"RED\"; public int x = 7; }"
                                + " public Object mode = new Mode(); public int after = 42;"))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> changed =
                version("v67b", counter("public enum Mode { RED } public Object mode; public int after;"));
        assertThatThrownBy(() -> {
                    try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
                        reader.readSaved(RestoreRules.forWorkflow(changed));
                    }
                })
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining(
                        "snapshot holds objects of io.veles.evolve.Counter$Mode as a class, and the code's"
                                + " io.veles.evolve.Counter$Mode is an enum");
    }

    /** The recorded finality follows a renamed element class, as the array's own name does. */
    @Test
    void anArrayOfARenamedClassNoLongerFinalRestores() throws Exception {
        byte[] snapshot = RoundTrip.write(version(
                        "v63a",
                        counter("public static final class P { public int x; P(int x) { this.x = x; } }"
                                + " public P[] ps = { new P(3) }; public int after = 42;"))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> changed =
                version("v63b", counter("public static class Q { public int x; } public Q[] ps; public int after;"));
        RestoreRules rules =
                RestoreRules.forWorkflow(changed).renameClass("io.veles.evolve.Counter$P", "io.veles.evolve.Counter$Q");
        Object unit = restore(snapshot, rules).workflow().findUnit("counter");
        Object[] ps = (Object[]) field(unit, "ps");
        assertThat(ps[0].getClass().getField("x").get(ps[0])).isEqualTo(3);
        assertThat(field(unit, "after")).isEqualTo(42);
    }

    /**
     * A class of fields made a list: its objects were read by the collection serializer from the
     * bytes the field serializer wrote, its first byte taken for a length and the rest of the
     * unit misread. Refused as a code change, naming the class.
     */
    @Test
    void aClassOfFieldsThatBecameACollectionIsRefusedAsACodeChange() throws Exception {
        assertThatThrownBy(() -> evolve(
                        "v46",
                        "public static class Names { public java.util.List<String> items ="
                                + " new java.util.ArrayList<>(java.util.List.of(\"a\")); } public Names names = new Names();"
                                + " public int after = 9;",
                        "public static class Names extends java.util.ArrayList<String> {} public Names names;"
                                + " public int after;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("snapshot holds objects of io.veles.evolve.Counter$Names as a class of fields");
    }

    /**
     * An enum that became a class of fields, or a unit, is refused as a code change naming the
     * class: its constants were saved by name, with no fields to read, and were once misread as
     * a reference (the class) or a unit's number (the unit).
     */
    @Test
    void anEnumThatBecameAClassOrAUnitIsRefusedAsACodeChange() throws Exception {
        String before = "public enum Mode { A } public Mode mode = Mode.A;";
        assertThatThrownBy(() -> evolve("v44", before, "public static class Mode { public int v; } public Mode mode;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("snapshot holds objects of io.veles.evolve.Counter$Mode as no class of fields");
        assertThatThrownBy(() -> evolve(
                        "v45",
                        before,
                        "public static class Mode extends io.veles.workflow.Unit {"
                                + " Mode(io.veles.workflow.Workflow w) { super(w, \"m\"); } public void run() {} }"
                                + " public Mode mode;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("snapshot holds objects of io.veles.evolve.Counter$Mode as no unit");
    }

    /** A class made abstract since is refused as a code change naming it, not in Objenesis's words. */
    @Test
    void aClassMadeAbstractIsRefusedNamingIt() throws Exception {
        assertThatThrownBy(() -> evolve(
                        "v46",
                        "public static class Shape { public int n = 1; } public Shape shape = new Shape();",
                        "public abstract static class Shape { public int n; } public Shape shape;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining(
                        "cannot restore the objects of io.veles.evolve.Counter$Shape: the class is" + " abstract now");
    }

    @Test
    void retypedFieldsRestoreThroughConversionsInTheRules() throws Exception {
        Class<? extends Workflow> changed =
                version("v11", counter("public long count; public Integer label; public long dropped;"));
        RestoreRules rules = RestoreRules.forWorkflow(changed)
                .convert(Integer.class, Long.class, Integer::longValue)
                .convert(String.class, Integer.class, String::length);
        Object unit = restore(originalSnapshot(), rules).workflow().findUnit("counter");
        assertThat(field(unit, "count")).isEqualTo(5L);
        assertThat(field(unit, "label")).isEqualTo(4); // "five".length()
    }

    /**
     * An object two fields shared is converted once, when one result fits both fields (a HashSet
     * for a Set and a HashSet field): the converted object is shared as the saved one was.
     */
    @Test
    void aSharedObjectIsConvertedOnceAndStaysShared() throws Exception {
        String before = "public int[] a = {1, 2}; public int[] b = a;"
                + " public java.util.List<String> l = new java.util.ArrayList<>(java.util.List.of(\"x\"));"
                + " public java.util.List<String> m = l;";
        byte[] snapshot = RoundTrip.write(
                version("v79a", counter(before)).getConstructor().newInstance());
        int[] calls = {0};
        RestoreRules rules = RestoreRules.forWorkflow(version(
                        "v79b",
                        counter("public long[] a; public long[] b; public java.util.Set<String> l;"
                                + " public java.util.HashSet<String> m;")))
                .convert(int[].class, long[].class, ints -> {
                    calls[0]++;
                    return java.util.Arrays.stream(ints).asLongStream().toArray();
                })
                .convert(java.util.List.class, java.util.HashSet.class, java.util.HashSet::new);
        Object unit = restore(snapshot, rules).workflow().findUnit("counter");
        assertThat(field(unit, "a")).isSameAs(field(unit, "b"));
        assertThat((long[]) field(unit, "a")).containsExactly(1L, 2L);
        assertThat(calls[0]).isOne();
        assertThat(field(unit, "l")).isSameAs(field(unit, "m"));
    }

    /** A conversion that throws, or gives null for a primitive, is refused naming the field and both types. */
    @Test
    void aFailingConversionIsRefusedNamingTheField() throws Exception {
        byte[] snapshot =
                RoundTrip.write(version("v80a", counter("public long count = 1L << 40; public String label = \"x\";"))
                        .getConstructor()
                        .newInstance());
        Class<? extends Workflow> narrowed = version("v80b", counter("public int count; public StringBuilder label;"));
        assertThatThrownBy(() -> restore(
                        snapshot,
                        RestoreRules.forWorkflow(narrowed)
                                .convert(Long.class, Integer.class, Math::toIntExact)
                                .convert(String.class, StringBuilder.class, StringBuilder::new)))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageEndingWith(
                        "cannot convert io.veles.evolve.Counter.count from java.lang.Long to int (unit 'counter'):"
                                + " the restore rules' conversion threw java.lang.ArithmeticException: integer overflow");
        assertThatThrownBy(() -> restore(
                        snapshot,
                        RestoreRules.forWorkflow(narrowed)
                                .convert(Long.class, Integer.class, big -> null)
                                .convert(String.class, StringBuilder.class, StringBuilder::new)))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageEndingWith(
                        "the restore rules' conversion returned null, which a field of type int cannot hold");
        // null for an object field is the value the conversion chose
        Object unit = restore(
                        snapshot,
                        RestoreRules.forWorkflow(narrowed)
                                .convert(Long.class, Integer.class, big -> (int) (big >> 20))
                                .convert(String.class, StringBuilder.class, text -> null))
                .workflow()
                .findUnit("counter");
        assertThat(field(unit, "count")).isEqualTo(1 << 20);
        assertThat(field(unit, "label")).isNull();
    }

    /** The fields of {@link #aChangedTypeArgumentIsFittedOrRefused}'s snapshot, as saved. */
    private static final String INTEGER_CONTAINERS = "public java.util.List<Integer> history ="
            + " new java.util.ArrayList<>(java.util.List.of(1, 2, 3));"
            + " public java.util.List<Integer> alias = history;"
            + " public java.util.Map<String, java.util.List<Integer>> byName = new java.util.TreeMap<>("
            + "java.util.Map.of(\"a\", new java.util.ArrayList<>(java.util.List.of(4)), \"b\","
            + " new java.util.LinkedList<>(java.util.List.of(5, 6))));"
            + " public java.util.Map<Integer, String> names = new java.util.LinkedHashMap<>("
            + "java.util.Map.of(7, \"seven\"));"
            + " public java.util.Set<Integer> seen = new java.util.LinkedHashSet<>(java.util.List.of(9, 8));";

    /**
     * A field whose type arguments alone changed ({@code List<Integer>} to {@code List<Long>}) gets
     * its elements converted by the rules, in place (a shared list stays shared), keys, values and
     * nested containers too; without a conversion it is refused naming the field and both types,
     * where its class alone would have let the old elements through to fail later.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aChangedTypeArgumentIsFittedOrRefused() throws Exception {
        byte[] snapshot = RoundTrip.write(
                version("v81a", counter(INTEGER_CONTAINERS)).getConstructor().newInstance());
        Class<? extends Workflow> widened = version(
                "v81b",
                counter(INTEGER_CONTAINERS
                        .replace("<Integer>", "<Long>")
                        .replace("<Integer,", "<Long,")
                        .replaceAll(" = [^;]*;", ";")));
        SnapshotReader.Restored restored = restore(
                snapshot, RestoreRules.forWorkflow(widened).convert(Integer.class, Long.class, Integer::longValue));
        Object unit = restored.workflow().findUnit("counter");
        assertThat((java.util.List<Object>) field(unit, "history")).containsExactly(1L, 2L, 3L);
        assertThat(field(unit, "alias")).isSameAs(field(unit, "history"));
        assertThat((java.util.Map<Object, Object>) field(unit, "byName"))
                .containsExactly(
                        java.util.Map.entry("a", java.util.List.of(4L)),
                        java.util.Map.entry("b", java.util.List.of(5L, 6L)));
        assertThat(((java.util.Map<Object, Object>) field(unit, "names")).keySet())
                .containsExactly(7L);
        assertThat((java.util.Set<Object>) field(unit, "seen")).containsExactly(9L, 8L);
        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("history java.util.List<java.lang.Integer> → java.util.List<java.lang.Long>")
                .contains("names java.util.Map<java.lang.Integer, java.lang.String>"
                        + " → java.util.Map<java.lang.Long, java.lang.String>");

        assertThatThrownBy(() -> restore(snapshot, widened))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageEndingWith(
                        "cannot restore io.veles.evolve.Counter.history: the snapshot's"
                                + " java.util.List<java.lang.Integer> holds a java.lang.Integer, the code declares"
                                + " java.util.List<java.lang.Long> (unit 'counter'); map it with a conversion in the restore rules");

        // Arguments the old elements still fit need nothing.
        Class<? extends Workflow> looser = version(
                "v81c",
                counter(INTEGER_CONTAINERS
                        .replace("<Integer>", "<? extends Number>")
                        .replace("<Integer,", "<Number,")
                        .replaceAll(" = [^;]*;", ";")));
        Object loose = restore(snapshot, looser).workflow().findUnit("counter");
        assertThat((java.util.List<Object>) field(loose, "history")).containsExactly(1, 2, 3);
    }

    /** A class changed along with its arguments ({@code ArrayList<Integer>} to {@code List<Long>}) is checked too. */
    @Test
    @SuppressWarnings("unchecked")
    void aClassChangedWithItsArgumentsIsCheckedToo() throws Exception {
        byte[] snapshot = RoundTrip.write(version(
                        "v83a",
                        counter("public java.util.ArrayList<Integer> history ="
                                + " new java.util.ArrayList<>(java.util.List.of(1, 2));"))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> after = version("v83b", counter("public java.util.List<Long> history;"));
        assertThatThrownBy(() -> restore(snapshot, after))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("cannot restore io.veles.evolve.Counter.history: the snapshot's"
                        + " java.util.ArrayList<java.lang.Integer> holds a java.lang.Integer");
        Object unit = restore(
                        snapshot,
                        RestoreRules.forWorkflow(after).convert(Integer.class, Long.class, Integer::longValue))
                .workflow()
                .findUnit("counter");
        assertThat((java.util.List<Object>) field(unit, "history")).containsExactly(1L, 2L);
    }

    /**
     * Converted keys that become equal would drop an entry; a sorted set whose comparator takes
     * only the old elements cannot hold the new ones: both refused naming the field.
     */
    @Test
    void keysMadeEqualOrAComparatorOfTheOldElementsAreRefused() throws Exception {
        byte[] merging = RoundTrip.write(version(
                        "v84a",
                        counter("public java.util.Map<Integer, String> m ="
                                + " new java.util.HashMap<>(java.util.Map.of(1, \"one\", 2, \"two\"));"))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> longKeys = version("v84b", counter("public java.util.Map<Long, String> m;"));
        assertThatThrownBy(() -> restore(
                        merging, RestoreRules.forWorkflow(longKeys).convert(Integer.class, Long.class, i -> 0L)))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining(
                        "cannot restore io.veles.evolve.Counter.m as java.util.Map<java.lang.Long,"
                                + " java.lang.String>: converting its keys made 1 of them equal to others, which would drop 1 entry");

        String byInt = " public static final class ByInt implements java.util.Comparator<Integer> {"
                + " public int compare(Integer a, Integer b) { return Integer.compare(a, b); } }";
        byte[] sorted = RoundTrip.write(version(
                        "v84c",
                        counter("public java.util.TreeSet<Integer> s = new java.util.TreeSet<>(new ByInt());"
                                + " { s.add(3); s.add(1); }" + byInt))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> longs = version("v84d", counter("public java.util.TreeSet<Long> s;" + byInt));
        assertThatThrownBy(() -> restore(
                        sorted, RestoreRules.forWorkflow(longs).convert(Integer.class, Long.class, Integer::longValue)))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining(
                        "cannot restore io.veles.evolve.Counter.s as java.util.TreeSet<java.lang.Long>: its"
                                + " java.util.TreeSet cannot order its converted elements");
    }

    /** Hubs linked by record edges, hashed by their ids: keys read in a cycle are rehashed once whole. */
    private static final String HUB = " public static final class Hub {"
            + " public java.util.Map<Edge, Integer> edges = new java.util.HashMap<>(); public String id;"
            + " public boolean equals(Object o) { return o instanceof Hub && java.util.Objects.equals(id, ((Hub) o).id); }"
            + " public int hashCode() { return java.util.Objects.hashCode(id); } }"
            + " public record Edge(Hub from, Hub to) {}";

    /**
     * Map values converted where the keys were read before they were whole (a cycle through
     * records): the fit runs after the rehash, so each entry keeps its own value, converted.
     */
    @Test
    void valuesOfAMapRehashedAfterTheReadAreConvertedEntryByEntry() throws Exception {
        String before = "public Hub a = new Hub(); { Hub b = new Hub(); a.id = \"a\"; b.id = \"b\";"
                + " a.edges.put(new Edge(a, b), 0); b.edges.put(new Edge(a, b), 1); b.edges.put(new Edge(b, a), 2); }"
                + HUB;
        byte[] snapshot = RoundTrip.write(
                version("v85a", counter(before)).getConstructor().newInstance());
        Class<? extends Workflow> after =
                version("v85b", counter("public Hub a;" + HUB.replace("Map<Edge, Integer>", "Map<Edge, Long>")));
        Object unit = restore(
                        snapshot,
                        RestoreRules.forWorkflow(after).convert(Integer.class, Long.class, Integer::longValue))
                .workflow()
                .findUnit("counter");
        Object a = field(unit, "a");
        java.util.Map<String, Object> valuesByFrom = new java.util.TreeMap<>();
        for (java.util.Map.Entry<?, ?> entry :
                ((java.util.Map<?, ?>) a.getClass().getField("edges").get(a)).entrySet()) {
            Object b = entry.getKey().getClass().getMethod("to").invoke(entry.getKey());
            for (java.util.Map.Entry<?, ?> edge :
                    ((java.util.Map<?, ?>) b.getClass().getField("edges").get(b)).entrySet()) {
                Object from = edge.getKey().getClass().getMethod("from").invoke(edge.getKey());
                valuesByFrom.put((String) from.getClass().getField("id").get(from), edge.getValue());
            }
        }
        assertThat(valuesByFrom).containsExactly(java.util.Map.entry("a", 1L), java.util.Map.entry("b", 2L));
    }

    /** A list that cannot be changed in place is refused naming the field, not converted into a copy that would part it from its sharers. */
    @Test
    void anUnmodifiableContainerWhoseElementsNeedConvertingIsRefused() throws Exception {
        byte[] snapshot = RoundTrip.write(
                version("v82a", counter("public java.util.List<Integer> fixed = java.util.List.of(1, 2);"))
                        .getConstructor()
                        .newInstance());
        Class<? extends Workflow> widened = version("v82b", counter("public java.util.List<Long> fixed;"));
        assertThatThrownBy(() -> restore(
                        snapshot,
                        RestoreRules.forWorkflow(widened).convert(Integer.class, Long.class, Integer::longValue)))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("cannot restore io.veles.evolve.Counter.fixed as java.util.List<java.lang.Long>:"
                        + " its elements, saved as java.util.List<java.lang.Integer>, need converting");
    }

    @Test
    void aRenamedClassRestoresThroughTheRenameMap() throws Exception {
        Class<? extends Workflow> renamed = version(
                "v12",
                WORKFLOW.replace("new Counter(this)", "new Tally(this)"),
                "Tally",
                counter("public int count; public String label; public long dropped;")
                        .replace("Counter", "Tally"));
        RestoreRules rules =
                RestoreRules.forWorkflow(renamed).renameClass("io.veles.evolve.Counter", "io.veles.evolve.Tally");
        SnapshotReader.Restored restored = restore(originalSnapshot(), rules);
        Object unit = restored.workflow().findUnit("counter");
        assertThat(unit.getClass().getName()).isEqualTo("io.veles.evolve.Tally");
        assertThat(field(unit, "count")).isEqualTo(5);
        assertThat(restored.report().renamedClasses())
                .containsExactly("io.veles.evolve.Counter → io.veles.evolve.Tally");
    }

    /**
     * An array of a renamed class is named on the wire by its JVM name, [Lold.Name;, which the
     * rename map did not know: the restore was refused as naming a class the code no longer has,
     * advising the very --rename-class the user had given.
     */
    @Test
    void anArrayOfARenamedClassRestoresThroughTheRenameMap() throws Exception {
        byte[] snapshot = RoundTrip.write(version(
                        "v47",
                        counter("public static class Old { public int v = 7; }"
                                + " public Old[] olds = { new Old(), null }; public Old[][] grid = { { new Old() } };"))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> renamed = version(
                "v48", counter("public static class New { public int v; } public New[] olds; public New[][] grid;"));
        RestoreRules rules = RestoreRules.forWorkflow(renamed)
                .renameClass("io.veles.evolve.Counter$Old", "io.veles.evolve.Counter$New");
        Object unit = restore(snapshot, rules).workflow().findUnit("counter");
        Object[] olds = (Object[]) field(unit, "olds");
        assertThat(olds.getClass().getComponentType().getName()).isEqualTo("io.veles.evolve.Counter$New");
        assertThat(olds).hasSize(2);
        assertThat(field(olds[0], "v")).isEqualTo(7);
        assertThat(olds[1]).isNull();
        Object[][] grid = (Object[][]) field(unit, "grid");
        assertThat(field(grid[0][0], "v")).isEqualTo(7);
    }

    /**
     * Two recorded classes renamed to one (A=C for old snapshots, B=C for newer ones): a snapshot
     * holding both read both with whichever plan came first, A's fields swapped into B's objects
     * without a word. Refused, naming both; a snapshot holding one of them restores through it.
     */
    @Test
    void twoRecordedClassesRenamedToOneAreRefusedAndOneOfThemRestores() throws Exception {
        byte[] both = RoundTrip.write(version(
                        "v49",
                        counter("public static class A { public int x = 1; public int y = 2; }"
                                + " public static class B { public int y = 3; public int x = 4; }"
                                + " public Object a = new A(); public Object b = new B();"))
                .getConstructor()
                .newInstance());
        Class<? extends Workflow> merged = version(
                "v50",
                counter("public static class C { public int x; public int y; } public Object a; public Object b;"));
        RestoreRules rules = RestoreRules.forWorkflow(merged)
                .renameClass("io.veles.evolve.Counter$A", "io.veles.evolve.Counter$C")
                .renameClass("io.veles.evolve.Counter$B", "io.veles.evolve.Counter$C");
        assertThatThrownBy(() -> restore(both, rules))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("the snapshot holds objects of both io.veles.evolve.Counter$A and"
                        + " io.veles.evolve.Counter$B, and both are renamed to io.veles.evolve.Counter$C");

        byte[] onlyB = RoundTrip.write(version(
                        "v51",
                        counter("public static class B { public int y = 3; public int x = 4; }"
                                + " public Object a; public Object b = new B();"))
                .getConstructor()
                .newInstance());
        Object b = field(restore(onlyB, rules).workflow().findUnit("counter"), "b");
        assertThat(java.util.List.of(field(b, "x"), field(b, "y"))).containsExactly(4, 3);
    }

    @Test
    void recordsEvolveLikeOtherClasses() throws Exception {
        Workflow original = version(
                        "v20",
                        counter("public record Settings(int rate, String name) {}"
                                + " public Settings settings = new Settings(3, \"fast\");"))
                .getConstructor()
                .newInstance();
        byte[] snapshot = RoundTrip.write(original);
        Class<? extends Workflow> changed = version(
                "v21", counter("public record Settings(int rate, boolean added) {}" + " public Settings settings;"));
        SnapshotReader.Restored restored = restore(snapshot, changed);
        Object settings = field(restored.workflow().findUnit("counter"), "settings");
        assertThat(settings.getClass().getMethod("rate").invoke(settings)).isEqualTo(3);
        assertThat(settings.getClass().getMethod("added").invoke(settings)).isEqualTo(false);
        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .contains("io.veles.evolve.Counter$Settings: added added (Java default); removed name (dropped)");
    }

    private static final String STATE_HOOKS =
            " @Override protected void getState(io.veles.pickle.State s) { super.getState(s); }"
                    + " @Override protected void setState(io.veles.pickle.State s) { super.setState(s); }";

    private SnapshotReader.Restored evolve(String name, String before, String after) throws Exception {
        byte[] snapshot = RoundTrip.write(
                version(name + "a", counter(before)).getConstructor().newInstance());
        return restore(snapshot, version(name + "b", counter(after)));
    }

    private static String keyed(String keyClass, String equalsBy) {
        return keyClass.replace("EQUALS", equalsBy)
                + " public java.util.Map<Key, String> names = new java.util.LinkedHashMap<>();"
                + " public java.util.Set<Key> seen = new java.util.HashSet<>();"
                + " { names.put(new Key(\"g\", 1), \"one\"); names.put(new Key(\"g\", 2), \"two\");"
                + " seen.addAll(names.keySet()); }";
    }

    private static final String KEY_CLASS = "public static final class Key {"
            + " public String group; public int n; Key(String g, int n) { group = g; this.n = n; }"
            + " public boolean equals(Object o) { return o instanceof Key && EQUALS; }"
            + " public int hashCode() { return group.hashCode(); } }";

    /**
     * Keys whose class's equals changed since the snapshot so that two saved keys are one today:
     * the map and the set would each lose an entry, so the restore is refused, naming the class
     * (found when the keys are hashed again, once the graph is whole).
     */
    @Test
    void twoKeysThatTodaysEqualsMakesOneAreRefusedNotMerged() throws Exception {
        String before = keyed(KEY_CLASS, "java.util.Objects.equals(group, ((Key) o).group) && n == ((Key) o).n");
        String after = keyed(KEY_CLASS, "java.util.Objects.equals(group, ((Key) o).group)");
        assertThatThrownBy(() -> evolve("v70", before, after))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("holds two keys of io.veles.evolve.Counter$Key that today's equals finds equal")
                .hasMessageContaining("would drop an entry")
                .hasMessageEndingWith("(unit 'counter')");
        String inSubclass = " public static class Keys extends java.util.HashSet<Key> {} public Keys own = new Keys();"
                + " { own.add(new Key(\"g\", 1)); own.add(new Key(\"g\", 2)); }";
        assertThatThrownBy(() -> evolve(
                        "v78",
                        KEY_CLASS.replace(
                                        "EQUALS",
                                        "java.util.Objects.equals(group, ((Key) o).group) && n == ((Key) o).n")
                                + inSubclass,
                        KEY_CLASS.replace("EQUALS", "java.util.Objects.equals(group, ((Key) o).group)") + inSubclass))
                .as("a plain named subclass adds as its JDK class does")
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("io.veles.evolve.Counter$Keys holds two keys of io.veles.evolve.Counter$Key");
        // the same code both ways restores both entries
        Object unit = evolve("v71", before, before).workflow().findUnit("counter");
        assertThat((java.util.Map<?, ?>) field(unit, "names")).hasSize(2);
        assertThat((java.util.Set<Object>) field(unit, "seen")).hasSize(2);
    }

    /** As above for sorted keys: a compareTo that no longer tells two saved keys apart. */
    @Test
    void twoKeysThatTodaysCompareToMakesOneAreRefusedNotMerged() throws Exception {
        String key = "public static final class Key implements Comparable<Key> {"
                + " public String group; public int n; Key(String g, int n) { group = g; this.n = n; }"
                + " public int compareTo(Key o) { return COMPARE; } }";
        String before =
                key.replace("COMPARE", "group.equals(o.group) ? Integer.compare(n, o.n) : group.compareTo(o.group)")
                        + " public java.util.TreeMap<Key, String> names = new java.util.TreeMap<>();"
                        + " public java.util.TreeSet<Key> seen = new java.util.TreeSet<>();"
                        + " { names.put(new Key(\"g\", 1), \"one\"); names.put(new Key(\"g\", 2), \"two\");"
                        + " seen.addAll(names.keySet()); }";
        String after = before.replace(
                "group.equals(o.group) ? Integer.compare(n, o.n) : group.compareTo(o.group)",
                "group.compareTo(o.group)");
        assertThatThrownBy(() -> evolve("v75", before, after))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("java.util.TreeMap holds 2 keys of io.veles.evolve.Counter$Key,"
                        + " of which today's ordering finds some equal, so restoring it would drop an entry")
                .hasMessageEndingWith("(unit 'counter')");
        String setOnly = after.replace(
                "names.put(new Key(\"g\", 1), \"one\"); names.put(new Key(\"g\", 2), \"two\");"
                        + " seen.addAll(names.keySet());",
                "seen.add(new Key(\"g\", 1)); seen.add(new Key(\"g\", 2));");
        String setBefore = before.replace(
                "names.put(new Key(\"g\", 1), \"one\"); names.put(new Key(\"g\", 2), \"two\");"
                        + " seen.addAll(names.keySet());",
                "seen.add(new Key(\"g\", 1)); seen.add(new Key(\"g\", 2));");
        assertThatThrownBy(() -> evolve("v76", setBefore, setOnly))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("java.util.TreeSet holds 2 keys");
        Object unit = evolve("v77", before, before).workflow().findUnit("counter");
        assertThat((java.util.Map<?, ?>) field(unit, "names")).hasSize(2);
        assertThat((java.util.Set<Object>) field(unit, "seen")).hasSize(2);
    }

    /** As above for record keys, whole when put: a component removed makes two saved keys equal. */
    @Test
    void recordKeysThatLostTheComponentTheyDifferedInAreRefusedNotMerged() throws Exception {
        String before = "public record Key(String group, int n) {}"
                + " public java.util.Map<Key, String> names = new java.util.HashMap<>(java.util.Map.of("
                + "new Key(\"g\", 1), \"one\", new Key(\"g\", 2), \"two\"));";
        String after = "public record Key(String group) {} public java.util.Map<Key, String> names;";
        assertThatThrownBy(() -> evolve("v72", before, after))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("java.util.HashMap holds two keys of io.veles.evolve.Counter$Key");
        String setBefore = "public record Key(String group, int n) {}"
                + " public java.util.Set<Key> seen = new java.util.HashSet<>(java.util.Set.of("
                + "new Key(\"g\", 1), new Key(\"g\", 2)));";
        assertThatThrownBy(() ->
                        evolve("v73", setBefore, "public record Key(String group) {} public java.util.Set<Key> seen;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("java.util.HashSet holds two keys of io.veles.evolve.Counter$Key");
        String immutableBefore = "public record Key(String group, int n) {}"
                + " public java.util.Map<Key, String> names = java.util.Map.of("
                + "new Key(\"g\", 1), \"one\", new Key(\"g\", 2), \"two\");";
        assertThatThrownBy(() -> evolve("v74", immutableBefore, after))
                .as("Map.of, made from the entries as read")
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("holds two keys of io.veles.evolve.Counter$Key")
                .hasMessageEndingWith("(unit 'counter')");
    }

    /** The saved value of the field {@code owner}'s class {@code declaring} declares as {@code name}. */
    private static Object declared(Object owner, String declaring, String name) throws ReflectiveOperationException {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getSimpleName().equals(declaring)) {
                java.lang.reflect.Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            }
        }
        throw new AssertionError("no class " + declaring);
    }

    /**
     * A shadowed field renamed with FormerName takes its own class's saved value, not the
     * superclass's field of the same name (which the code removed).
     */
    @Test
    void aFormerNameOfAShadowedFieldTakesTheValueOfItsOwnClassesField() throws Exception {
        SnapshotReader.Restored restored = evolve(
                "v30",
                "public static class Base { public int x = 1; }"
                        + " public static class Sub extends Base { public int x = 2; } public Sub sub = new Sub();",
                "public static class Base { }"
                        + " public static class Sub extends Base { @io.veles.pickle.FormerName(\"x\") public int y; }"
                        + " public Sub sub;");
        Object sub = field(restored.workflow().findUnit("counter"), "sub");
        assertThat(declared(sub, "Sub", "y")).as("Sub's own x, renamed y").isEqualTo(2);
        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .contains("io.veles.evolve.Counter$Sub: renamed io.veles.evolve.Counter$Sub#x → y;"
                        + " removed io.veles.evolve.Counter$Base#x (dropped)");
    }

    /**
     * A subclass that adds a field of its base's field's name: the saved value's owner is not in
     * the snapshot, so the restore is refused rather than dropping it; @FormerName on the base's
     * field then restores it there, and the subclass's new field takes its initialiser.
     */
    @Test
    void aFieldNowShadowedIsRefusedUntilAFormerNameSaysWhichOneHeldIt() throws Exception {
        String before = "public static class Base { public int x = 1; }"
                + " public static class Sub extends Base { } public Sub sub = new Sub();";
        assertThatThrownBy(() -> evolve(
                        "v35",
                        before,
                        "public static class Base { public int x; }"
                                + " public static class Sub extends Base { public int x = 9; } public Sub sub;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("the snapshot's field x is now declared by io.veles.evolve.Counter$Base"
                        + " and io.veles.evolve.Counter$Sub")
                .hasMessageContaining("@FormerName(\"x\")");
        SnapshotReader.Restored restored = evolve(
                "v36",
                before.replace("x = 1", "x = 4"),
                "public static class Base { @io.veles.pickle.FormerName(\"x\") public int x; }"
                        + " public static class Sub extends Base { public int x = 9; } public Sub sub;");
        Object sub = field(restored.workflow().findUnit("counter"), "sub");
        assertThat(declared(sub, "Base", "x")).as("the base's saved x").isEqualTo(4);
        assertThat(declared(sub, "Sub", "x")).as("the subclass's new field").isEqualTo(9);
    }

    /** Two fields claiming the one saved field by FormerName are refused, not settled by order. */
    @Test
    void twoFieldsClaimingOneFormerNameAreRefused() throws Exception {
        assertThatThrownBy(() -> evolve(
                        "v31",
                        "public static class Sub { public int x = 2; } public Sub sub = new Sub();",
                        "public static class Base { @io.veles.pickle.FormerName(\"x\") public int a; }"
                                + " public static class Sub extends Base { @io.veles.pickle.FormerName(\"x\") public int b; }"
                                + " public Sub sub;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining(
                        "fields io.veles.evolve.Counter$Base.a and io.veles.evolve.Counter$Sub.b both claim"
                                + " the snapshot's field x by @FormerName");
    }

    /**
     * A class with getState/setState whose shadowed field is no longer shadowed (the subclass's
     * field of that name removed) restores the superclass's field from its saved entry.
     */
    @Test
    void customStateFollowsAFieldNoLongerShadowed() throws Exception {
        SnapshotReader.Restored restored = evolve(
                "v32",
                "public static class Base extends io.veles.pickle.Pickleable { public int x = 1; }"
                        + " public static class Sub extends Base { public int x = 2;" + STATE_HOOKS + " }"
                        + " public Sub sub = new Sub();",
                "public static class Base extends io.veles.pickle.Pickleable { public int x; }"
                        + " public static class Sub extends Base {" + STATE_HOOKS + " }"
                        + " public Sub sub;");
        Object sub = field(restored.workflow().findUnit("counter"), "sub");
        assertThat(declared(sub, "Base", "x")).isEqualTo(1);
    }

    /** An Integer field that held null, now an int, has no value to take: refused, not restored as 0. */
    @Test
    void aNullSavedIntoAFieldNowPrimitiveIsRefused() throws Exception {
        for (String hooks : new String[] {"", STATE_HOOKS}) {
            assertThatThrownBy(() -> evolve(
                            "v33" + hooks.length(),
                            "public static class Limits extends io.veles.pickle.Pickleable { public Integer limit; public int other = 4;"
                                    + hooks + " } public Limits limits = new Limits();",
                            "public static class Limits extends io.veles.pickle.Pickleable { public int limit; public int other;"
                                    + hooks + " } public Limits limits;"))
                    .as(hooks.isEmpty() ? "fields" : "getState/setState")
                    .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                    .hasMessageContaining("Limits.limit: the snapshot holds null, the code declares int");
        }
    }

    /** A class with getState/setState turned into a record: its saved entries become the components. */
    @Test
    void aClassWithCustomStateBecomesARecord() throws Exception {
        SnapshotReader.Restored restored = evolve(
                "v34",
                "public static class Range extends io.veles.pickle.Pickleable { public int lo = 3; public String hi = \"nine\";"
                        + STATE_HOOKS + " } public Range range = new Range(); public int after = 11;",
                "public record Range(int lo, String hi) {} public Range range; public int after;");
        Object unit = restored.workflow().findUnit("counter");
        Object range = field(unit, "range");
        assertThat(range.getClass().getMethod("lo").invoke(range)).isEqualTo(3);
        assertThat(range.getClass().getMethod("hi").invoke(range)).isEqualTo("nine");
        assertThat(field(unit, "after")).as("what follows is read in step").isEqualTo(11);
    }

    /**
     * A class whose kind changed (a plain class made a unit or an enum, a unit made a plain class)
     * had its objects written by another serializer than today's would read them with: refused
     * as a code change naming the class, not read out of step and reported as corruption.
     */
    @Test
    void aClassThatChangedKindIsRefusedAsACodeChange() throws Exception {
        String otherUnit = "public static class Other extends io.veles.workflow.Unit {"
                + " public Other(io.veles.workflow.Workflow w) { super(w, \"other\"); } public void run() {} }";
        String[][] cases = {
            {
                "public static class Helper { public int v = 3; } public Helper helper = new Helper();",
                otherUnit.replace("Other", "Helper") + " public Helper helper;",
                "snapshot holds objects of io.veles.evolve.Counter$Helper as a plain class, and the code's"
                        + " io.veles.evolve.Counter$Helper is a unit"
            },
            {
                otherUnit + " public Other other = new Other(workflow());",
                "public static class Other { } public Other other;",
                "snapshot holds objects of io.veles.evolve.Counter$Other as a unit, and the code's"
                        + " io.veles.evolve.Counter$Other is no unit"
            },
            {
                "public static class Mode { public int v = 1; } public Mode mode = new Mode();",
                "public enum Mode { A } public Mode mode;",
                "snapshot holds objects of io.veles.evolve.Counter$Mode as a class, and the code's"
                        + " io.veles.evolve.Counter$Mode is an enum"
            }
        };
        for (int i = 0; i < cases.length; i++) {
            String[] change = cases[i];
            String version = "v" + (40 + i);
            assertThatThrownBy(() -> evolve(version, change[0], change[1]))
                    .as(change[1])
                    .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                    .hasMessageContaining(change[2]);
        }
    }

    /**
     * A value whose class no longer fits its field (a class that stopped implementing the field's
     * interface) is refused as a code change naming the field, whether or not another field of
     * the class changed too.
     */
    @Test
    void aValueThatNoLongerFitsItsFieldIsRefusedNamingIt() throws Exception {
        String before = "public interface Shape {} public static class Circle implements Shape { public int r = 2; }"
                + " public Shape shape = new Circle();";
        for (String extra : new String[] {"", " public int added;"}) {
            assertThatThrownBy(() -> evolve(
                            "v5" + extra.length(),
                            before,
                            "public interface Shape {} public static class Circle { public int r; } public Shape shape;"
                                    + extra))
                    .as(extra.isEmpty() ? "no other change" : "another field added")
                    .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                    .hasMessageContaining("cannot restore io.veles.evolve.Counter.shape: the snapshot holds"
                            + " io.veles.evolve.Counter$Circle, the code declares io.veles.evolve.Counter$Shape");
        }
    }

    /** The same change under an array of the interface: refused naming the array's and the element's classes. */
    @Test
    void anArrayElementThatNoLongerFitsItsArrayIsRefusedNamingIt() throws Exception {
        assertThatThrownBy(
                        () -> evolve(
                                "v81",
                                "public interface Shape {} public static class Circle implements Shape { public int r = 2; }"
                                        + " public Shape[] shapes = {new Circle()};",
                                "public interface Shape {} public static class Circle { public int r; } public Shape[] shapes;"))
                .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                .hasMessageContaining("cannot restore an array of io.veles.evolve.Counter$Shape: the snapshot holds a"
                        + " io.veles.evolve.Counter$Circle in it, which is not a io.veles.evolve.Counter$Shape");
    }

    /** A sorted tree's key class that is no longer Comparable is refused as a code change naming both. */
    @Test
    void aTreeWhoseKeysAreNoLongerComparableIsRefusedNamingThem() throws Exception {
        String key = "public static final class K implements Comparable<K> { public int v; K(int v) { this.v = v; }"
                + " public int compareTo(K o) { return Integer.compare(v, o.v); } }";
        for (String tree : new String[] {"java.util.TreeMap<K, Integer>", "java.util.TreeSet<K>"}) {
            String filled = tree.startsWith("java.util.TreeMap")
                    ? "{ keys.put(new K(1), 1); keys.put(new K(2), 2); }"
                    : "{ keys.add(new K(1)); keys.add(new K(2)); }";
            assertThatThrownBy(() -> evolve(
                            "v82" + tree.length(),
                            key + " public " + tree + " keys = new " + tree.replaceAll("<.*>", "<>") + "(); " + filled,
                            "public static final class K { public int v; } public " + tree + " keys;"))
                    .as(tree)
                    .isInstanceOf(io.veles.errors.IncompatibleSnapshotException.class)
                    .hasMessageContaining("cannot restore the snapshot's " + tree.replaceAll("<.*>", "")
                            + ": it orders its keys of io.veles.evolve.Counter$K by their compareTo, and that class is"
                            + " no longer Comparable in the code");
        }
    }

    /** A priority queue inside a tree's value, whose keys lost Comparable, is not blamed on the tree. */
    @Test
    void aQueueInsideATreesValueIsNotTakenForTheTree() throws Exception {
        String key = "public static final class K implements Comparable<K> { public int v; K(int v) { this.v = v; }"
                + " public int compareTo(K o) { return Integer.compare(v, o.v); } }";
        String holder = " public static final class Holder { public java.util.PriorityQueue<K> queue ="
                + " new java.util.PriorityQueue<>(); }";
        assertThatThrownBy(() -> evolve(
                        "v83",
                        key + holder + " public java.util.TreeMap<String, Holder> byName = new java.util.TreeMap<>();"
                                + " { Holder h = new Holder(); h.queue.add(new K(1)); h.queue.add(new K(2));"
                                + " byName.put(\"a\", h); }",
                        "public static final class K { public int v; }" + holder
                                + " public java.util.TreeMap<String, Holder> byName;"))
                .hasMessageNotContaining("java.util.TreeMap");
    }

    /**
     * A getState that puts null for a primitive field (its way to say "take the default") still
     * restores: only a null saved for a field that was an object, and is a primitive now, is refused.
     */
    @Test
    void aNullAGetStatePutsForAPrimitiveLeavesItsDefault() throws Exception {
        String retry = "public static class Retry extends io.veles.pickle.Pickleable { public int retries = 3;"
                + " public int kept = 5;"
                + " @Override protected void getState(io.veles.pickle.State s) { super.getState(s); s.put(\"retries\", null); }"
                + " @Override protected void setState(io.veles.pickle.State s) { super.setState(s); } }"
                + " public Retry retry = new Retry();";
        SnapshotReader.Restored restored = evolve("v60", retry, retry);
        Object restoredRetry = field(restored.workflow().findUnit("counter"), "retry");
        assertThat(declared(restoredRetry, "Retry", "retries")).isEqualTo(0);
        assertThat(declared(restoredRetry, "Retry", "kept")).isEqualTo(5);
    }
}
