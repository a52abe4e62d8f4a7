package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreReport;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.RemovedUnit;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit added to or removed from the code since the snapshot, for a plain unit, a unit with a
 * base class and a unit holding a record. A restore rebuilds the graph the snapshot holds: a
 * unit whose class is gone is refused (it may have been renamed) unless the rules say it was
 * removed, when it becomes a {@link RemovedUnit} placeholder that keeps the chain running; a unit the code added is not in the snapshot, and its field is null until the
 * workflow's {@code initUnpickled()} creates it. The report names both.
 */
class UnitEvolutionTest {
    private static final String PACKAGE = "io.veles.evolve";

    @TempDir
    Path dir;

    enum Shape {
        PLAIN,
        SUBCLASS,
        RECORD
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aUnitWhoseClassIsGoneRestoresAsAPlaceholderThatKeepsTheChainRunning(Shape shape) throws Exception {
        byte[] snapshot = RoundTrip.write(
                compile("with", shape, true, false).getConstructor().newInstance());
        Class<? extends Workflow> without = compile("without", shape, false, false);
        RestoreRules removed = RestoreRules.forWorkflow(without).removedUnitClass(PACKAGE + ".Extra");
        SnapshotReader.Restored restored = restore(snapshot, removed);

        Unit extra = restored.workflow().findUnit("extra");
        assertThat(extra).isInstanceOf(RemovedUnit.class);
        assertThat(extra.getClass().getName()).isEqualTo(PACKAGE + ".Extra");
        assertThat(restored.report().removedUnits())
                .containsExactly(
                        "unit 'extra' (io.veles.evolve.Extra): the code no"
                                + " longer has its class; restored as a placeholder that does nothing and keeps its links, its state dropped");
        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .containsExactlyInAnyOrder(
                        PACKAGE + ".EvolveWorkflow: removed extra (dropped)",
                        PACKAGE + ".Extra: removed "
                                + switch (shape) {
                                    case PLAIN -> "kept, runs";
                                    case SUBCLASS -> "inBase, kept, runs";
                                    case RECORD -> "settings, runs";
                                }
                                + " (dropped)");

        // The chain start → counter → extra → end still runs to its end.
        Workflow workflow = restored.workflow();
        workflow.initialize();
        workflow.run();
        assertThat(workflow.isFinished()).isTrue();
        assertThat(workflow.findUnit("counter").getClass().getField("runs").get(workflow.findUnit("counter")))
                .isEqualTo(1);

        // Later snapshots keep the placeholder, under the removed class's name.
        SnapshotReader.Restored again = restore(RoundTrip.write(workflow), removed);
        assertThat(again.workflow().findUnit("extra")).isInstanceOf(RemovedUnit.class);
        assertThat(again.report().removedUnits()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aMissingUnitClassIsRefusedUnlessTheRulesSayItWasRemovedForItMayHaveBeenRenamed(Shape shape) throws Exception {
        byte[] snapshot = RoundTrip.write(
                compile("with", shape, true, false).getConstructor().newInstance());
        Class<? extends Workflow> without = compile("without", shape, false, false);
        assertThatThrownBy(() -> restore(snapshot, RestoreRules.forWorkflow(without)))
                .isInstanceOf(SnapshotException.class)
                .hasMessage(
                        "snap: snapshot names class io.veles.evolve.Extra, which the code no longer has (renamed, moved"
                                + " or removed? map it with --rename-class OLD=NEW; a unit class removed on purpose:"
                                + " --removed-unit-class io.veles.evolve.Extra (RestoreRules.removedUnitClass) restores its units"
                                + " as placeholders that do nothing)");
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aUnitTheCodeAddedIsNamedAndCreatedByInitUnpickled(Shape shape) throws Exception {
        byte[] snapshot = RoundTrip.write(
                compile("without", shape, false, false).getConstructor().newInstance());
        Class<? extends Workflow> with = compile("with", shape, true, true);
        SnapshotReader.Restored restored = restore(snapshot, with);

        assertThat(restored.report().changes())
                .extracting(RestoreReport.ClassChange::describe)
                .containsExactly(PACKAGE + ".EvolveWorkflow: added extra (null: a unit the snapshot does not have)");
        Workflow workflow = restored.workflow();
        Unit extra = workflow.findUnit("extra");
        assertThat(extra)
                .isNotNull()
                .isSameAs(workflow.getClass().getField("extra").get(workflow));
        workflow.initialize();
        workflow.run();
        assertThat(workflow.isFinished()).isTrue();
        assertThat(extra.getClass().getField("runs").get(extra)).isEqualTo(1);
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

    /**
     * The workflow start → counter (→ extra) → end. {@code createMissing}: its initUnpickled()
     * creates extra when a restore left it null.
     */
    private Class<? extends Workflow> compile(String name, Shape shape, boolean withExtra, boolean createMissing)
            throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(
                "Counter",
                "public class Counter extends io.veles.workflow.Unit {\n  public int runs;\n"
                        + "  public Counter(io.veles.workflow.Workflow w) { super(w, \"counter\"); }\n"
                        + "  public void run() { runs++; }\n}\n");
        String extraBody = "  public int runs;\n  public void run() { runs++; }\n";
        switch (shape) {
            case PLAIN ->
                sources.put(
                        "Extra",
                        "public class Extra extends io.veles.workflow.Unit {\n  public int kept = 5;\n" + extraBody
                                + "  public Extra(io.veles.workflow.Workflow w) { super(w, \"extra\"); }\n}\n");
            case SUBCLASS -> {
                sources.put(
                        "Base",
                        "public abstract class Base extends io.veles.workflow.Unit {\n  public int inBase = 3;\n"
                                + "  protected Base(io.veles.workflow.Workflow w, String name) { super(w, name); }\n}\n");
                sources.put(
                        "Extra",
                        "public class Extra extends Base {\n  public int kept = 5;\n" + extraBody
                                + "  public Extra(io.veles.workflow.Workflow w) { super(w, \"extra\"); }\n}\n");
            }
            case RECORD -> {
                sources.put("Settings", "public record Settings(int rate) {}\n");
                sources.put(
                        "Extra",
                        "public class Extra extends io.veles.workflow.Unit {\n"
                                + "  public Settings settings = new Settings(4);\n" + extraBody
                                + "  public Extra(io.veles.workflow.Workflow w) { super(w, \"extra\"); }\n}\n");
            }
            default -> throw new IllegalArgumentException(shape.toString());
        }
        if (!withExtra) {
            sources.remove("Extra"); // the class is gone from the code
        }
        String wiring = withExtra
                ? "extra = new Extra(this); counter.linkFrom(startPoint()); extra.linkFrom(counter); endPoint().linkFrom(extra);"
                : "counter.linkFrom(startPoint()); endPoint().linkFrom(counter);";
        String hook = !createMissing
                ? ""
                : "  @Override protected void initUnpickled() {\n    super.initUnpickled();\n"
                        + "    if (extra == null) { extra = new Extra(this); extra.linkFrom(counter);"
                        + " endPoint().unlinkFrom(counter); endPoint().linkFrom(extra); }\n  }\n";
        sources.put(
                "EvolveWorkflow",
                "public class EvolveWorkflow extends io.veles.workflow.Workflow {\n"
                        + "  public Counter counter;\n" + (withExtra ? "  public Extra extra;\n" : "")
                        + "  public EvolveWorkflow() { super(\"evolve\"); counter = new Counter(this); " + wiring
                        + " }\n" + hook + "}\n");

        Path source = Files.createDirectories(dir.resolve(name + "-" + shape + "-src/io/veles/evolve"));
        List<String> arguments = new ArrayList<>();
        Path classes = Files.createDirectories(dir.resolve(name + "-" + shape + "-classes"));
        arguments.addAll(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        for (Map.Entry<String, String> entry : sources.entrySet()) {
            Path file = source.resolve(entry.getKey() + ".java");
            Files.writeString(file, "package " + PACKAGE + ";\n" + entry.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, arguments.toArray(String[]::new)))
                .as("compiling " + name)
                .isZero();
        URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        try {
            return Class.forName(PACKAGE + ".EvolveWorkflow", true, loader).asSubclass(Workflow.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
