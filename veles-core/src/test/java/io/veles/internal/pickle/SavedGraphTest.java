package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.veles.errors.SnapshotException;
import io.veles.pickle.ArraySpill;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedEnum;
import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.pickle.SpilledArray;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading a snapshot's state as data runs none of the workflow's code. The workflow is compiled at
 * test time; each of its classes counts in a system property how often its static initialiser,
 * constructors and hooks ran. The snapshot is written with one class loader and read with a fresh
 * one, whose classes have never been initialised: reading as data leaves every count at zero, a
 * restore does not (so the counts can tell).
 */
class SavedGraphTest {
    private static final String PACKAGE = "io.veles.savedgraph";
    private static final String COUNTS = "package " + PACKAGE + ";\n"
            + "public final class Counts {\n"
            + "  public static void ran(String what) {\n"
            + "    String key = \"veles.savedgraph.\" + what;\n"
            + "    System.setProperty(key, String.valueOf(Integer.getInteger(key, 0) + 1));\n"
            + "  }\n"
            + "}\n";
    private static final Map<String, String> SOURCES = Map.of(
            "Counts", COUNTS,
            "Colour",
                    "package " + PACKAGE + ";\n"
                            + "public enum Colour { RED, GREEN { }, BLUE; static { Counts.ran(\"Colour.static\"); } }\n",
            "Point",
                    "package " + PACKAGE + ";\n"
                            + "public record Point(int x, int y) { public Point { Counts.ran(\"Point.new\"); } }\n",
            "Rank",
                    "package " + PACKAGE + ";\n"
                            + "public final class Rank implements Comparable<Rank> {\n"
                            + "  public int value;\n"
                            + "  public Rank(int value) { this.value = value; }\n"
                            + "  public int compareTo(Rank o) { Counts.ran(\"Rank.compareTo\"); return Integer.compare(value, o.value); }\n"
                            + "}\n",
            "History",
                    "package " + PACKAGE + ";\n"
                            + "public class History extends java.util.ArrayList<Double> {\n"
                            + "  static { Counts.ran(\"History.static\"); }\n"
                            + "  public History() { Counts.ran(\"History.new\"); }\n"
                            + "}\n",
            "Cell",
                    "package " + PACKAGE + ";\n"
                            + "public final class Cell {\n"
                            + "  static { Counts.ran(\"Cell.static\"); }\n"
                            + "  public double value; public Cell next;\n"
                            + "  public Cell(double value) { this.value = value; }\n"
                            + "}\n",
            "Holder",
                    "package " + PACKAGE + ";\n"
                            + "public class Holder extends io.veles.workflow.Unit {\n"
                            + "  static { Counts.ran(\"Holder.static\"); }\n"
                            + "  public Colour colour = Colour.GREEN;\n"
                            + "  public java.util.EnumSet<Colour> colours = java.util.EnumSet.of(Colour.RED, Colour.BLUE);\n"
                            + "  public Point point = new Point(3, 4);\n"
                            + "  public Cell[] cells;\n"
                            + "  public float[] weights = {1.5f, 2.5f};\n"
                            + "  public java.util.List<Object> list = new java.util.ArrayList<>();\n"
                            + "  public java.util.TreeMap<Rank, String> ranks = new java.util.TreeMap<>();\n"
                            + "  public History history = new History();\n"
                            + "  public java.util.TreeSet<Rank> sorted = new java.util.TreeSet<>();\n"
                            + "  public java.util.PriorityQueue<Rank> queue = new java.util.PriorityQueue<>();\n"
                            + "  public Holder(io.veles.workflow.Workflow w) {\n"
                            + "    super(w, \"holder\");\n"
                            + "    Cell a = new Cell(1); Cell b = new Cell(2); a.next = b; b.next = a;\n"
                            + "    cells = new Cell[] {a, b, null};\n"
                            + "    for (int i = 3; i > 0; i--) { ranks.put(new Rank(i), \"r\" + i); sorted.add(new Rank(i)); queue.add(new Rank(i)); }\n"
                            + "    history.add(0.5); history.add(0.25);\n"
                            + "    list.add(b); list.add(w); list.add(\"text\"); list.add(Colour.BLUE); list.add(7);\n"
                            + "  }\n"
                            + "  protected void initUnpickled() { super.initUnpickled(); Counts.ran(\"Holder.initUnpickled\"); }\n"
                            + "  protected void getState(io.veles.pickle.State s) { super.getState(s); s.put(\"extra\", 42); }\n"
                            + "  protected void setState(io.veles.pickle.State s) { super.setState(s); Counts.ran(\"Holder.setState\"); }\n"
                            + "  public void run() {}\n"
                            + "}\n",
            "Keeper",
                    "package " + PACKAGE + ";\n"
                            + "public class Keeper extends io.veles.workflow.Workflow {\n"
                            + "  static { Counts.ran(\"Keeper.static\"); }\n"
                            + "  public Keeper() { super(\"keeper\"); new Holder(this); }\n"
                            + "}\n");

    @TempDir
    static Path dir;

    static URL classes;
    static byte[] snapshot;

    @BeforeAll
    static void writeASnapshotWithItsOwnLoader() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        Path output = Files.createDirectories(dir.resolve("classes"));
        for (Map.Entry<String, String> file : SOURCES.entrySet()) {
            Files.writeString(source.resolve(file.getKey() + ".java"), file.getValue());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new java.util.ArrayList<>(
                List.of("-d", output.toString(), "-cp", System.getProperty("java.class.path")));
        SOURCES.keySet()
                .forEach(name -> arguments.add(source.resolve(name + ".java").toString()));
        assertThat(javac.run(null, null, null, arguments.toArray(String[]::new)))
                .isZero();
        classes = output.toUri().toURL();
        try (URLClassLoader writer = new URLClassLoader(new URL[] {classes}, SavedGraphTest.class.getClassLoader())) {
            Workflow keeper = (Workflow) Class.forName(PACKAGE + ".Keeper", true, writer)
                    .getConstructor()
                    .newInstance();
            snapshot = RoundTrip.write(keeper);
        }
    }

    @BeforeEach
    void forgetWhatRanBefore() {
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith("veles.savedgraph."))
                .forEach(System::clearProperty);
    }

    private static Set<String> codeThatRan() {
        return System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith("veles.savedgraph."))
                .map(key -> key.substring("veles.savedgraph.".length()))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static RestoreRules rulesWithAFreshLoader() throws Exception {
        URLClassLoader reader = new URLClassLoader(new URL[] {classes}, SavedGraphTest.class.getClassLoader());
        return RestoreRules.forWorkflow(
                Class.forName(PACKAGE + ".Keeper", false, reader).asSubclass(Workflow.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsTheStateAsDataWithoutRunningAnyOfTheWorkflowsCode() throws Exception {
        SavedGraph saved;
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            saved = reader.readSaved(rulesWithAFreshLoader());
        }
        assertThat(codeThatRan()).isEmpty();

        assertThat(saved.root().name()).isEqualTo("keeper");
        assertThat(saved.units()).extracting(SavedObject::name).contains("keeper", "holder");
        SavedObject holder = saved.units().stream()
                .filter(u -> "holder".equals(u.name()))
                .findFirst()
                .orElseThrow();
        Map<String, Object> fields = holder.fields();
        assertThat(fields.get("colour")).isEqualTo(new SavedEnum(PACKAGE + ".Colour", "GREEN"));
        assertThat((Set<Object>) fields.get("colours"))
                .containsExactly(new SavedEnum(PACKAGE + ".Colour", "RED"), new SavedEnum(PACKAGE + ".Colour", "BLUE"));
        SavedObject point = (SavedObject) fields.get("point");
        assertThat(point.className()).isEqualTo(PACKAGE + ".Point");
        assertThat(point.fields()).containsEntry("x", 3).containsEntry("y", 4);
        assertThat(fields.get("weights")).isEqualTo(new float[] {1.5f, 2.5f});
        assertThat(fields.get("extra")).isEqualTo(42); // what getState added is shown as saved

        Object[] cells = (Object[]) fields.get("cells");
        SavedObject a = (SavedObject) cells[0];
        SavedObject b = (SavedObject) cells[1];
        assertThat(cells[2]).isNull();
        assertThat(a.fields().get("value")).isEqualTo(1.0);
        assertThat(a.fields().get("next")).isSameAs(b); // references and cycles kept
        assertThat(b.fields().get("next")).isSameAs(a);
        assertThat(((Map<Object, Object>) fields.get("ranks")).values()).containsExactly("r1", "r2", "r3");
        assertThat((java.util.Collection<Object>) fields.get("sorted"))
                .extracting(rank -> ((SavedObject) rank).fields().get("value"))
                .containsExactly(1, 2, 3);
        assertThat((java.util.Collection<Object>) fields.get("queue")).hasSize(3);
        assertThat((List<Object>) fields.get("history")).containsExactly(0.5, 0.25);
        assertThat((List<Object>) fields.get("list"))
                .containsExactly(b, saved.root(), "text", new SavedEnum(PACKAGE + ".Colour", "BLUE"), 7);
    }

    @Test
    void withASpillNumericArraysGoThereAndTheRestIsReadAsBefore() throws Exception {
        java.io.ByteArrayOutputStream spill = new java.io.ByteArrayOutputStream();
        SavedGraph saved;
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            saved = reader.readSaved(rulesWithAFreshLoader(), new ArraySpill(spill));
        }
        assertThat(codeThatRan()).isEmpty();
        SavedObject holder = saved.units().stream()
                .filter(u -> "holder".equals(u.name()))
                .findFirst()
                .orElseThrow();
        SpilledArray weights = (SpilledArray) holder.fields().get("weights");
        assertThat(weights.elementType()).isEqualTo(float.class);
        assertThat(weights.length()).isEqualTo(2);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(spill.toByteArray(), (int) weights.offset(), 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.getFloat()).isEqualTo(1.5f);
        assertThat(bytes.getFloat()).isEqualTo(2.5f);
        assertThat(holder.fields().get("extra")).isEqualTo(42);

        // A spilled array's declared length is still checked against the payload left.
        Output output = new Output(64, -1);
        output.writeVarInt(Kryo.NOT_NULL, true);
        output.writeVarInt(1_000_000_000, true);
        output.writeBytes(new byte[16]);
        byte[] lie = output.toBytes();
        Kryo kryo = new SavedStateSerializers(
                        Map.of(),
                        RestoreRules.forWorkflow(HostileSnapshotTest.CarrierWorkflow.class),
                        new ArraySpill(java.io.OutputStream.nullOutputStream()))
                .kryo();
        assertThatThrownBy(() -> kryo.readObject(
                        new SnapshotInput(new ByteArrayInputStream(lie), 1024, lie.length), float[].class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a float array of 1000000000 elements");
    }

    @Test
    void aRestoreRunsTheWorkflowsCodeWhichTheCountsSee() throws Exception {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            reader.restore(rulesWithAFreshLoader());
        }
        assertThat(codeThatRan())
                .contains(
                        "Holder.static",
                        "Holder.setState",
                        "Holder.initUnpickled",
                        "Point.new",
                        "Colour.static",
                        "Rank.compareTo",
                        "History.new");
    }

    @Test
    void hostileInputIsRefusedAsARestoreRefusesIt() throws Exception {
        // A class outside the allowlist (the workflow's code source is allowed, so a JDK one),
        // written by a writer that allows its package.
        HostileSnapshotTest.CarrierWorkflow workflow = new HostileSnapshotTest.CarrierWorkflow();
        new HostileSnapshotTest.Carrier(workflow).cargo = new java.net.URL("http://gadget.invalid/");
        workflow.useRestoreRules(RestoreRules.forWorkflow(HostileSnapshotTest.CarrierWorkflow.class)
                .allowPackage("java.net"));
        byte[] evil = RoundTrip.write(workflow);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(evil), "evil")) {
            assertThatThrownBy(
                            () -> reader.readSaved(RestoreRules.forWorkflow(HostileSnapshotTest.CarrierWorkflow.class)))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("names class java.net.URL, which is not allowed");
        }

        // An array whose declared length the payload cannot hold: refused before it is allocated.
        Output output = new Output(64, -1);
        output.writeVarInt(Kryo.NOT_NULL, true);
        output.writeVarInt(1_000_000_001, true);
        output.writeBytes(new byte[16]);
        byte[] bytes = output.toBytes();
        SnapshotInput lie = new SnapshotInput(new ByteArrayInputStream(bytes), 1024, bytes.length);
        Kryo kryo = new SavedStateSerializers(
                        Map.of(), RestoreRules.forWorkflow(HostileSnapshotTest.CarrierWorkflow.class))
                .kryo();
        assertThatThrownBy(() -> kryo.readObject(lie, String[].class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares an array of 1000000000 elements");
    }
}
