package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.IncompatibleSnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.pickle.RestoreRules;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A caller can tell what went wrong by the exception's type, whatever its message: damaged bytes,
 * code that changed beyond the rules, or a store that failed. Each case is real: a cut file, code
 * compiled anew at test time, a file where a directory must go, a PostgreSQL server that refuses.
 */
class FailureKindsTest {
    @TempDir
    Path dir;

    private static final String WORKFLOW = "package io.veles.kinds;\n"
            + "public class KindsWorkflow extends io.veles.workflow.Workflow {\n"
            + "  public KindsWorkflow() { super(\"kinds\"); new Counter(this); }\n"
            + "}\n";

    private static String counter(String fields) {
        return "package io.veles.kinds;\n"
                + "public class Counter extends io.veles.workflow.Unit {\n"
                + fields + "\n"
                + "  public Counter(io.veles.workflow.Workflow w) { super(w, \"counter\"); }\n"
                + "  public void run() {}\n"
                + "}\n";
    }

    /** Compiles the workflow with a Counter of {@code fields} into its own directory and loads it. */
    private Class<? extends Workflow> version(String name, String fields) throws IOException {
        Path source = Files.createDirectories(dir.resolve(name + "-src/io/veles/kinds"));
        Files.writeString(source.resolve("KindsWorkflow.java"), WORKFLOW);
        Files.writeString(source.resolve("Counter.java"), counter(fields));
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
                source.resolve("KindsWorkflow.java").toString(),
                source.resolve("Counter.java").toString());
        assertThat(status).as("compiling version " + name).isZero();
        URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        try {
            return Class.forName("io.veles.kinds.KindsWorkflow", true, loader).asSubclass(Workflow.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private Path snapshotFile(Class<? extends Workflow> type, int cut) throws Exception {
        byte[] snapshot = RoundTrip.write(type.getConstructor().newInstance());
        return Files.write(dir.resolve("kinds_1.veles"), Arrays.copyOf(snapshot, snapshot.length - cut));
    }

    private static void restore(Path file, Class<? extends Workflow> into) throws IOException {
        try (var reader = Snapshots.openFile(file)) {
            Snapshots.restore(reader, into, RestoreRules.forWorkflow(into));
        }
    }

    @Test
    void aTruncatedFileIsCorrupt() throws Exception {
        Class<? extends Workflow> type = version("v1", "public int count = 5;");
        Path truncated = snapshotFile(type, 7);
        assertThatThrownBy(() -> restore(truncated, type))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("is truncated");
    }

    @Test
    void aFieldRetypedWithoutAConversionIsIncompatible() throws Exception {
        Path whole = snapshotFile(version("v1", "public int count = 5;"), 0);
        Class<? extends Workflow> retyped = version("v2", "public String count;");
        assertThatThrownBy(() -> restore(whole, retyped))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("cannot restore io.veles.kinds.Counter.count")
                .hasMessageContaining("the code declares java.lang.String");
    }

    @Test
    void aRestoreOfTheUnchangedCodeIsNoFailure() throws Exception {
        Class<? extends Workflow> type = version("v1", "public int count = 5;");
        Path whole = snapshotFile(type, 0);
        restore(whole, type);
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAStoreFailure() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        SnapshotDirectory underAFile = new SnapshotDirectory(file.resolve("snapshots"));
        assertThatThrownBy(() -> underAFile.lock("kinds", "run"))
                .isInstanceOf(SnapshotStoreException.class)
                .hasMessageContaining("cannot create snapshot directory");
    }

    @Test
    void aDatabaseThatRefusesIsAStoreFailure() throws Exception {
        Class<? extends Workflow> type = version("v1", "public int count = 5;");
        String refused = "odbc://{jdbc:postgresql://127.0.0.1:5432/veles_no_such_database?user=postgres}&veles";
        assertThatThrownBy(() -> Snapshots.restore(refused, type, RestoreRules.forWorkflow(type), null))
                .isInstanceOf(SnapshotStoreException.class)
                .hasMessageContaining("cannot connect to")
                .hasMessageContaining("veles_no_such_database");
    }

    /**
     * A store that fails mid-payload (an S3 range that keeps failing, a connection lost between a
     * row's chunks) is reported as the store's failure: the snapshot may be whole, and a user told
     * it is corrupt might delete it.
     */
    @Test
    void aStoreFailingMidPayloadIsTheStoresFailureNotCorruption() throws Exception {
        io.veles.testing.LoopWorkflow loop = new io.veles.testing.LoopWorkflow(3, 200_000, -1);
        Snapshotter snapshotter = Snapshotter.create(
                loop,
                SnapshotSettings.builder()
                        .prefix("loop")
                        .directory(dir.resolve("snaps").toString())
                        .compression(io.veles.snapshot.codec.Codec.NONE)
                        .build());
        loop.initialize();
        loop.run();
        snapshotter.export();
        try (io.veles.snapshot.store.SnapshotStore real =
                SnapshotStores.open(dir.resolve("snaps").toString())) {
            io.veles.snapshot.store.StoredSnapshot snapshot = real.list().get(0);
            java.io.InputStream whole = real.open(snapshot);
            java.io.InputStream breaking = new java.io.FilterInputStream(whole) {
                private long delivered;

                @Override
                public int read(byte[] bytes, int from, int length) throws IOException {
                    if (delivered > 100_000) {
                        throw new io.veles.internal.store.StoreReadException(
                                "cannot read it: connection reset (injected)", null);
                    }
                    int n = super.read(bytes, from, Math.min(length, 4096));
                    delivered += Math.max(n, 0);
                    return n;
                }
            };
            try (io.veles.snapshot.file.SnapshotReader reader =
                    io.veles.snapshot.file.SnapshotReader.open(breaking, "loop_1")) {
                assertThatThrownBy(() ->
                                Snapshots.restore(reader, io.veles.testing.LoopWorkflow.class, java.util.List.of()))
                        .isInstanceOf(SnapshotStoreException.class)
                        .hasMessage("loop_1 cannot be read: cannot read it: connection reset (injected)");
            }
        }
    }
}
