package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.internal.pickle.HostileCargo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** diff of a hostile snapshot is an error (exit 2, one line), never "different" or a stack trace. */
@Tag("slow")
class HostileDiffTest {
    @TempDir
    Path dir;

    @Test
    void aSelfContainingHashKeyIsOneErrorLineAndExitTwo() throws Exception {
        Files.write(dir.resolve("hostile.gz"), HostileCargo.selfContainingHashSetElement());
        Files.write(dir.resolve("honest.gz"), HostileCargo.honest());
        VelesProcess diff = VelesProcess.run(dir, "snapshot", "diff", "honest.gz", "hostile.gz");
        assertThat(diff.exitCode()).as(diff.stdout() + diff.stderr()).isEqualTo(DiffCommand.ERROR);
        assertThat(diff.stderr().strip().lines())
                .singleElement()
                .asString()
                .startsWith("veles: error: ")
                .contains("a java.util.HashSet holds a java.util.ArrayList as a key")
                .doesNotContain("StackOverflowError");
    }
}
