package io.veles.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.testing.FreshJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The README's "Running from Java" example is {@code RunningFromJava.java} of these tests, word
 * for word, and it runs: in a fresh JVM, in an empty directory, as a user would run it.
 */
@Tag("slow")
class RunningFromJavaTest {
    private static final Path EXAMPLE = Path.of("src/test/java/RunningFromJava.java");
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path dir;

    @Test
    void theReadmeShowsTheExampleWordForWord() throws Exception {
        assertThat(readmeExample()).isEqualTo(Files.readString(EXAMPLE));
    }

    @Test
    void theExampleRunsContinuesAndRestores() throws Exception {
        FreshJvm.Running example =
                FreshJvm.start(dir, System.getProperty("java.class.path"), Class.forName("RunningFromJava"));
        assertThat(example.waitFor(120)).as(example.output()).isZero();

        ObjectMapper json = new ObjectMapper();
        Map<?, ?> first = (Map<?, ?>)
                json.readValue(dir.resolve("first.json").toFile(), Map.class).get("results");
        Map<?, ?> longer = json.readValue(dir.resolve("longer.json").toFile(), Map.class);
        assertThat(first.get("iterations")).isEqualTo(100);
        assertThat(((Map<?, ?>) longer.get("results")).get("iterations")).isEqualTo(150);
        assertThat(longer.get("restored_from")).asString().startsWith("runs");
        assertThat(example.output())
                .containsPattern("first run: runs/walk_\\S+")
                .containsPattern("continued: runs/walk_\\S+")
                .containsPattern("iterations in runs/walk_\\S+: 100")
                .doesNotContain("the run ended with");
    }

    /** The first java block after the heading "## Running from Java". */
    private static String readmeExample() throws Exception {
        String readme = Files.readString(README);
        int section = readme.indexOf("\n## Running from Java\n");
        assertThat(section).as("the README's section").isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        int end = readme.indexOf("```\n", start);
        return readme.substring(start, end);
    }
}
