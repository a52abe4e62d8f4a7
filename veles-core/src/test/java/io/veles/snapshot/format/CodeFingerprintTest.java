package io.veles.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fingerprint covers the class files its loader finds: kept per loader, so that the same name
 * in another loader is read from that loader's file, and a name with no file is looked for again.
 */
class CodeFingerprintTest {
    @TempDir
    Path dir;

    private static final List<ClassDescription> CLASSES = List.of(
            new ClassDescription("p.Model", false, List.of()), new ClassDescription("p.Later", false, List.of()));

    private URLClassLoader loaderOver(String folder, String modelBytes) throws IOException {
        Path root = dir.resolve(folder);
        Files.createDirectories(root.resolve("p"));
        Files.writeString(root.resolve("p/Model.class"), modelBytes);
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    @Test
    void eachLoaderIsFingerprintedFromItsOwnFiles() throws IOException {
        try (URLClassLoader one = loaderOver("one", "first code");
                URLClassLoader same = loaderOver("same", "first code");
                URLClassLoader other = loaderOver("other", "changed code")) {
            String first = CodeFingerprint.of(CLASSES, one);
            assertThat(CodeFingerprint.of(CLASSES, one)).isEqualTo(first);
            assertThat(CodeFingerprint.of(CLASSES, same)).isEqualTo(first);
            assertThat(CodeFingerprint.of(CLASSES, other)).isNotEqualTo(first);
        }
    }

    @Test
    void aClassFileThatWasMissingIsLookedForAgain() throws IOException {
        try (URLClassLoader loader = loaderOver("late", "code")) {
            String without = CodeFingerprint.of(CLASSES, loader);
            Files.writeString(dir.resolve("late/p/Later.class"), "added later");
            assertThat(CodeFingerprint.of(CLASSES, loader)).isNotEqualTo(without);
        }
    }
}
