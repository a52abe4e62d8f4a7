package io.veles.snapshot.file;

import io.veles.internal.pickle.ArrayElementsTest;
import io.veles.pickle.RestoreRules;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Map;

/**
 * The manifest's {@code arrayElementsFinal} is taken only for the code's classes: the writer never
 * records the JDK's, whose finality does not change, so a manifest's word on them (here, that
 * {@code Object[]} holds no classes and {@code String[]} holds them) is ignored rather than
 * followed into misreading the arrays.
 */
class ForgedArrayRecordTest {
    @Test
    void aRecordForJdkElementClassesIsIgnored() throws Exception {
        byte[] snapshot = ForgedRootTest.forged(
                new ArrayElementsTest.ArraysWorkflow(),
                manifest -> manifest.arrayElementsFinal(Map.of("java.lang.Object", true, "java.lang.String", false)));
        ArrayElementsTest.Holder restored;
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "forged")) {
            restored = (ArrayElementsTest.Holder)
                    reader.restore(RestoreRules.forWorkflow(ArrayElementsTest.ArraysWorkflow.class))
                            .workflow()
                            .findUnit("holder");
        }
        ArrayElementsTest.assertRestored(restored);
    }
}
