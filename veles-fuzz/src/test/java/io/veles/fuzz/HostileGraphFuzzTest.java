package io.veles.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.file.SnapshotReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Structure-aware fuzzing of the deserializer: the fuzz data chooses an object graph
 * ({@link GraphGenerator}: collections, maps, queues, arrays, records, shared and cyclic
 * references, lists of nulls), the real writer writes it, and the data then overwrites a few
 * payload bytes (declared lengths, references, class ids) with the checksum recomputed. So the
 * inputs get past the container's checks to the allocation and hashing paths. Every input must
 * end in our own one-line error or a restore; surefire runs this module under a small heap, so
 * an OutOfMemoryError (or a StackOverflowError, or a hang) is a finding.
 */
class HostileGraphFuzzTest {
    private static final RestoreRules RULES = RestoreRules.forWorkflow(GraphWorkflow.class);

    @FuzzTest(maxDuration = "60s")
    void hostileGraphsEndInAClearErrorOrARestore(FuzzedDataProvider data) throws IOException {
        GraphWorkflow workflow = new GraphWorkflow();
        workflow.carrier.cargo = GraphGenerator.generate(data);
        ContainerBytes container;
        try {
            container = ContainerBytes.write(workflow);
        } catch (SnapshotException refusedByTheWriter) {
            return; // deeper than the writer allows, say: not a snapshot anyone could write
        }
        int patches = data.consumeInt(0, 6);
        for (int i = 0; i < patches && container.payloadLength() > 0; i++) {
            container.setPayloadByte(data.consumeInt(0, container.payloadLength() - 1), data.consumeByte());
        }
        byte[] snapshot = container.sealed();
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "input")) {
            reader.restore(RULES);
        } catch (SnapshotException expected) {
            if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                throw new AssertionError("an error message must be one line: " + expected.getMessage(), expected);
            }
        }
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "input")) {
            reader.readSaved(RULES);
        } catch (SnapshotException expected) {
            // the tools' reader reports the same way
        }
    }
}
