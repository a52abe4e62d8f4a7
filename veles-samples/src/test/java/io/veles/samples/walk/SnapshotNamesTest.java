package io.veles.samples.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.veles.launcher.Veles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The walk names its snapshots by iteration in ASCII digits, whatever the JVM's locale. */
class SnapshotNamesTest {
    @TempDir
    Path dir;

    @Test
    void snapshotNamesAreTheSameInALocaleWithOtherDigits() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("ar-EG"));
        try {
            assumeFalse(String.format("%d", 1).equals("1"), "this JVM's ar-EG writes ASCII digits");
            Veles.run(RandomWalkWorkflow.class)
                    .settings("walk.walkers=10", "walk.iterations=2")
                    .snapshotsTo(dir.toString())
                    .start()
                    .await();
        } finally {
            Locale.setDefault(before);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString())
                            .filter(name -> name.endsWith(".gz") && !name.contains("current"))
                            .collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("walk_00001.gz", "walk_00002.gz");
        }
    }
}
