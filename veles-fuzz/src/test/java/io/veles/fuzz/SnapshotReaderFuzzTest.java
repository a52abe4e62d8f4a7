package io.veles.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the whole reader — codec detection, container, manifest, graph — with real snapshots of
 * every codec as seeds (the corpus under src/test/resources). Every input must end in our own
 * clear error or a correct restore: any other exception, a hang or running out of memory is a
 * finding.
 *
 * <p>Under {@code mvn verify} this replays the corpus; {@code JAZZER_FUZZ=1} fuzzes (README).
 */
class SnapshotReaderFuzzTest {
    private static final RestoreRules RULES = RestoreRules.forWorkflow(FuzzWorkflow.class);

    @FuzzTest(maxDuration = "60s")
    void readerEndsInAClearErrorOrARestore(byte[] input) throws IOException {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(input), "input")) {
            reader.restore(RULES).workflow().initialize();
        } catch (SnapshotException expected) {
            if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                throw new AssertionError("an error message must be one line: " + expected.getMessage(), expected);
            }
        }
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(input), "input")) {
            reader.verify();
        } catch (SnapshotException expected) {
            // verify reports the same way
        }
    }
}
