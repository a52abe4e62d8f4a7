package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.internal.db.DatabaseTarget;
import io.veles.internal.db.SnapshotRow;
import io.veles.internal.db.SnapshotTable;
import io.veles.pickle.RestoreRules;
import io.veles.progress.Progress;
import io.veles.progress.ProgressReporter;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.testing.TestDatabase;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A signed restore deserializes the bytes whose signature it checked: a file or a row replaced
 * with another snapshot the moment the first read of it ends (as a watcher on the file or the
 * table would) changes nothing, because the source is read only once.
 */
class SwapWhileRestoringTest {
    static final float GOOD = 1.5f;
    static final float FORGED = 666f;

    @TempDir
    Path dir;

    private ProgressReporter previous;
    /** What the reporter was asked to track, in order. */
    private final List<String> reads = new ArrayList<>();

    static final class Weights extends Unit {
        float value;

        Weights(Workflow workflow, float value) {
            super(workflow, "weights");
            this.value = value;
        }

        @Override
        public void run() {}
    }

    public static final class Model extends Workflow {
        public Model() {
            this(GOOD);
        }

        Model(float value) {
            super("model");
            new Weights(this, value);
        }
    }

    @BeforeEach
    void rememberReporter() {
        previous = Progress.reporter();
    }

    @AfterEach
    void restoreReporter() {
        Progress.use(previous);
    }

    private SnapshotKey key(String name, int seed) throws Exception {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return SnapshotKey.fromFile(file);
    }

    private static byte[] snapshot(float value, SnapshotKey key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest manifest = Manifest.builder().name("model_1").build();
        SnapshotWriter.write(new Model(value), manifest, Codec.NONE, -1, key, out);
        return out.toByteArray();
    }

    /** Runs {@code swap} when the first read of a source ("reading ...") has ended. */
    private void swapAfterTheFirstRead(Runnable swap) {
        Progress.use((what, totalBytes) -> {
            reads.add(what);
            boolean first = what.startsWith("reading ")
                    && reads.stream().filter(r -> r.startsWith("reading ")).count() == 1;
            return new ProgressReporter.Task() {
                @Override
                public void advanceTo(long bytesDone) {}

                @Override
                public void close() {
                    if (first) {
                        swap.run();
                    }
                }
            };
        });
    }

    private static float restoredValue(String source, SnapshotKey key) {
        Model model = Snapshots.restore(source, Model.class, RestoreRules.forWorkflow(Model.class), key)
                .workflow();
        return ((Weights) model.findUnit("weights")).value;
    }

    @Test
    void aFileSwappedAfterItsSignatureIsCheckedIsNotWhatIsRestored() throws Exception {
        SnapshotKey key = key("key", 1);
        Path file = dir.resolve("model_1.veles");
        Files.write(file, snapshot(GOOD, key));
        Path forged = dir.resolve("forged");
        Files.write(forged, snapshot(FORGED, key("other", 2)));
        swapAfterTheFirstRead(() -> {
            try {
                Files.move(forged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(restoredValue(file.toString(), key)).isEqualTo(GOOD);
        assertThat(Files.exists(forged)).as("the swap happened").isFalse();
        assertThat(reads)
                .as("the file is read once")
                .filteredOn(what -> what.startsWith("reading "))
                .hasSize(1);
    }

    @Tag("slow")
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRowRewrittenAfterItsSignatureIsCheckedIsNotWhatIsRestored(TestDatabase db) throws Exception {
        String odbc = db.odbc(dir);
        String table = TestDatabase.freshTable();
        try {
            SnapshotKey key = key("key", 1);
            byte[] good = snapshot(GOOD, key);
            byte[] forged = snapshot(FORGED, key("other", 2));
            new SnapshotTable(DatabaseTarget.of(odbc), table)
                    .insert(
                            SnapshotRow.of(Instant.now(), "run-1", "log-1", "model", "model_1", "none"),
                            out -> out.write(good));
            swapAfterTheFirstRead(() -> {
                try (Connection connection = db.admin(odbc);
                        PreparedStatement update =
                                connection.prepareStatement("UPDATE " + table + " SET data = ? WHERE name = ?")) {
                    update.setBytes(1, forged);
                    update.setString(2, "model_1");
                    assertThat(update.executeUpdate()).as("the swap happened").isEqualTo(1);
                } catch (java.sql.SQLException e) {
                    throw new AssertionError(e);
                }
            });

            assertThat(restoredValue("odbc://" + odbc + "&" + table, key)).isEqualTo(GOOD);
            assertThat(reads)
                    .as("the row is read once")
                    .filteredOn(what -> what.startsWith("reading "))
                    .hasSize(1);
        } finally {
            db.drop(odbc, table);
        }
    }
}
