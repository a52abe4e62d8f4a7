package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.CorruptSnapshotException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;

/**
 * A manifest whose lists are missing or hold null (valid JSON, its checksum right) is refused as
 * corrupt when the file is opened, naming the list, not met later as a NullPointerException.
 */
class ManifestShapeTest {
    private static final String CLASSES = "\"classes\":[{\"name\":\"io.x.A\",\"customState\":false,\"fields\":[]}]";
    private static final String UNITS = "\"units\":[{\"index\":0,\"name\":\"w\",\"type\":\"io.x.W\",\"bytes\":0}]";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"x\",\"units\":null," + CLASSES + "}",
                "{\"name\":\"x\",\"units\":[{\"index\":0,\"name\":\"w\",\"type\":\"io.x.W\",\"bytes\":0},null],"
                        + CLASSES + "}",
                "{\"name\":\"x\"," + UNITS + ",\"classes\":null}",
                "{\"name\":\"x\"," + UNITS + ",\"classes\":[null]}",
                "{\"name\":\"x\"," + UNITS + ",\"classes\":[{\"name\":null,\"fields\":[]}]}",
                "{\"name\":\"x\"," + UNITS + ",\"classes\":[{\"name\":\"io.x.A\",\"fields\":null}]}",
                "{\"name\":\"x\"," + UNITS + ",\"classes\":[{\"name\":\"io.x.A\",\"fields\":[null]}]}",
                "{\"name\":\"x\"," + UNITS + ",\"classes\":[{\"name\":\"io.x.A\",\"fields\":[{\"name\":\"f\"}]}]}"
            })
    void listsThatAreMissingOrHoldNullAreRefusedOnOpen(String manifest) throws Exception {
        byte[] file = UnitColumnsInFilesTest.header(manifest);
        assertThatThrownBy(() -> SnapshotReader.open(new ByteArrayInputStream(file), "forged")
                        .close())
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageMatching("forged is corrupt: its manifest's (units|classes) list is missing or holds an"
                        + " empty entry");
    }

    /**
     * What listings, retention and reports compute with is there and in range: a manifest without
     * a workflow class or info, or created beyond year 9999 (milliseconds overflow a long),
     * is refused on open rather than failing every tool that lists the directory.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"x\"," + UNITS + "," + CLASSES + "}|no workflowClass",
                "{\"name\":\"x\",\"workflowClass\":\"io.x.W\",\"info\":null," + UNITS + "," + CLASSES + "}|no info",
                "{\"name\":\"x\",\"workflowClass\":\"io.x.W\",\"created\":\"+300000000-01-01T00:00:00Z\"," + UNITS + ","
                        + CLASSES + "}|creation time +300000000-01-01T00:00:00Z is out of range"
            })
    void whatToolsComputeWithIsThereAndInRange(String manifestAndCause) throws Exception {
        String[] parts = manifestAndCause.split("\\|");
        byte[] file = UnitColumnsInFilesTest.header(parts[0]);
        assertThatThrownBy(() -> SnapshotReader.open(new ByteArrayInputStream(file), "forged")
                        .close())
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageEndingWith(parts[1]);
    }

    /**
     * Empty lists in a manifest's info are two bytes of JSON and some 48 of heap each: more values
     * than any run records are refused as they are read, before they fill the heap.
     */
    @org.junit.jupiter.api.Test
    void infoWithMoreValuesThanAnyRunRecordsIsRefused() throws Exception {
        String lists = "[],".repeat(io.veles.internal.format.BoundedFacts.MAX_VALUES) + "[]";
        byte[] file = UnitColumnsInFilesTest.header("{\"name\":\"x\",\"workflowClass\":\"io.x.W\",\"info\":{\"a\":["
                + lists + "]}," + UNITS + "," + CLASSES + "}");
        assertThatThrownBy(() -> SnapshotReader.open(new ByteArrayInputStream(file), "forged")
                        .close())
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessage("forged is corrupt: its manifest's info holds more than 1000000 values");
    }

    /** A writer refuses the info a reader would refuse: the run learns it then, not when it resumes. */
    @org.junit.jupiter.api.Test
    void infoAReaderWouldRefuseIsRefusedWhenWritten() {
        io.veles.testing.LoopWorkflow loop = new io.veles.testing.LoopWorkflow(3, 8, -1);
        loop.initialize();
        loop.run();
        int many = io.veles.internal.format.BoundedFacts.MAX_VALUES;
        for (Object history : new Object[] {java.util.Collections.nCopies(many, 1), new double[many]}) {
            io.veles.snapshot.format.Manifest manifest = io.veles.snapshot.format.Manifest.builder()
                    .name("x")
                    .info("history", history)
                    .build();
            assertThatThrownBy(() -> SnapshotWriter.write(
                            loop,
                            manifest,
                            io.veles.snapshot.codec.Codec.NONE,
                            -1,
                            java.io.OutputStream.nullOutputStream()))
                    .as(history.getClass().getSimpleName())
                    .isInstanceOf(io.veles.errors.SnapshotException.class)
                    .hasMessageContaining("may hold at most 1000000 values");
        }
    }
}
