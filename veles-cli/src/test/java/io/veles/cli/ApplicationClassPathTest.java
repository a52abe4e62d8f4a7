package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * An application's own workflow, compiled at test time outside veles's class path, run, inspected,
 * compared and resumed through {@code --class-path} and {@code VELES_CLASSPATH}. Its classes log
 * every hook of theirs that runs (static initialisers, constructors, setState, initUnpickled) to
 * hooks.log in the working directory: the tools that only read must leave that file absent; a
 * real restore runs initUnpickled.
 */
@Tag("slow")
class ApplicationClassPathTest {
    private static final String HOOKS = """
            package com.acme;
            public final class Hooks {
              /** Appends what ran to hooks.log, as a user's hook would open its journal files. */
              public static void ran(String what) {
                try {
                  java.nio.file.Files.writeString(java.nio.file.Path.of("hooks.log"), what + "\\n",
                      java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
              }
            }
            """;
    private static final String LEVEL = """
            package com.acme;
            public enum Level { LOW, HIGH; static { Hooks.ran("Level static"); } }
            """;
    private static final String STATS = """
            package com.acme;
            public record Stats(int count, double mean) {
              public Stats { Hooks.ran("Stats constructor"); }
            }
            """;
    private static final String JOURNAL = """
            package com.acme;
            import io.veles.pickle.State;
            import io.veles.snapshot.Snapshotter;
            import io.veles.workflow.Bool;
            import io.veles.workflow.Unit;
            import io.veles.workflow.Workflow;
            public class Journal extends Unit {
              static { Hooks.ran("Journal static"); }
              final Bool complete = new Bool(false);
              private final int iterations;
              private final Snapshotter snapshotter;
              int iteration;
              double[] totals = new double[4];
              Level level = Level.LOW;
              Stats stats = new Stats(0, 0);
              private transient String journal_;
              Journal(Workflow workflow, int iterations, Snapshotter snapshotter) {
                super(workflow, "ledger");
                this.iterations = iterations;
                this.snapshotter = snapshotter;
              }
              @Override protected void initUnpickled() {
                super.initUnpickled();
                journal_ = "open";
                Hooks.ran("initUnpickled");
              }
              @Override protected void setState(State state) {
                super.setState(state);
                Hooks.ran("setState");
              }
              @Override public void run() {
                iteration++;
                totals[iteration % 4] += iteration;
                level = iteration > 1 ? Level.HIGH : Level.LOW;
                stats = new Stats(iteration, totals[iteration % 4]);
                snapshotter.suffix(String.valueOf(iteration));
                complete.set(iteration >= iterations);
              }
            }
            """;
    private static final String WORKFLOW = """
            package com.acme;
            import io.veles.config.Config;
            import io.veles.snapshot.SnapshotSettings;
            import io.veles.snapshot.Snapshotter;
            import io.veles.workflow.Repeater;
            import io.veles.workflow.Workflow;
            public class JournalWorkflow extends Workflow {
              public JournalWorkflow(Config config) {
                super("journal");
                Repeater repeater = new Repeater(this);
                Snapshotter snapshotter = Snapshotter.create(this,
                    SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("journal")));
                Journal journal = new Journal(this, config.getInt("journal.iterations", 3), snapshotter);
                repeater.linkFrom(startPoint());
                journal.linkFrom(repeater);
                snapshotter.linkFrom(journal);
                repeater.linkFrom(snapshotter);
                endPoint().linkFrom(journal).gateBlock(journal.complete.not());
              }
            }
            """;

    @TempDir
    static Path dir;

    static Path classes;
    static Path jar;

    @BeforeAll
    static void compileTheApplication() throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/com/acme"));
        Map<String, String> files =
                Map.of("Hooks", HOOKS, "Level", LEVEL, "Stats", STATS, "Journal", JOURNAL, "JournalWorkflow", WORKFLOW);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(sources.resolve(file.getKey() + ".java"), file.getValue());
        }
        classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String[] arguments = Stream.concat(
                        Stream.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")),
                        files.keySet().stream()
                                .map(name -> sources.resolve(name + ".java").toString()))
                .toArray(String[]::new);
        assertThat(javac.run(null, null, null, arguments))
                .as("compiling the application")
                .isZero();
        jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> all = Files.walk(classes)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
    }

    private static Path hooks(Path work) {
        return work.resolve("hooks.log");
    }

    @Test
    void runsInspectsComparesAndResumesAnApplicationsWorkflow() throws Exception {
        Path work = Files.createDirectories(dir.resolve("run"));
        VelesProcess run =
                VelesProcess.run(work, "--class-path", classes.toString(), "run", "com.acme.JournalWorkflow");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readAllLines(hooks(work))).contains("Journal static", "initUnpickled");
        assertThat(work.resolve("snapshots/journal_1.gz")).exists();
        assertThat(work.resolve("snapshots/journal_3.gz")).exists();
        Files.delete(hooks(work));

        // The tools that only read: none of the application's code runs, from a directory or a jar.
        VelesProcess inspect =
                VelesProcess.run(work, "--class-path", jar.toString(), "snapshot", "inspect", "snapshots");
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        assertThat(inspect.stdout()).contains("workflow     journal (com.acme.JournalWorkflow)");
        VelesProcess verify = VelesProcess.run(work, "snapshot", "verify", "snapshots/journal_2.gz");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        VelesProcess list = VelesProcess.run(work, "snapshot", "ls", "--verify", "snapshots");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        VelesProcess diff = VelesProcess.run(
                work,
                "snapshot",
                "diff",
                "snapshots/journal_1.gz",
                "snapshots/journal_3.gz",
                "--class-path",
                jar.toString());
        assertThat(diff.exitCode()).as(diff.stderr()).isEqualTo(DiffCommand.DIFFERENT);
        assertThat(diff.stdout())
                .containsPattern("ledger +iteration +- +- +- +1 -> 3")
                .containsPattern("ledger +level +- +- +- +LOW -> HIGH")
                .containsPattern("ledger +stats\\.count +- +- +- +1 -> 3")
                .containsPattern("ledger +totals .* 2 of 4 elements differ");
        VelesProcess same = VelesProcess.run(
                work,
                "--class-path",
                classes.toString(),
                "snapshot",
                "diff",
                "snapshots/journal_2.gz",
                "snapshots/journal_2.gz");
        assertThat(same.exitCode()).as(same.stdout() + same.stderr()).isEqualTo(DiffCommand.EQUAL);
        assertThat(hooks(work))
                .as("a hook of the application ran in a read-only tool")
                .doesNotExist();

        // A real restore, the class path from the environment: setState and initUnpickled run.
        VelesProcess resume = VelesProcess.run(
                work,
                Map.of(ApplicationClassPath.VARIABLE, jar.toString()),
                "run",
                "com.acme.JournalWorkflow",
                "-w",
                "snapshots/journal_2.gz",
                "--snapshot-dir",
                "resumed");
        assertThat(resume.exitCode()).as(resume.stderr()).isZero();
        assertThat(Files.readAllLines(hooks(work))).contains("setState", "initUnpickled");
        assertThat(work.resolve("resumed/journal_3.gz")).exists();
        VelesProcess compare = VelesProcess.run(
                work,
                Map.of(ApplicationClassPath.VARIABLE, classes.toString()),
                "snapshot",
                "diff",
                "snapshots/journal_3.gz",
                "resumed/journal_3.gz");
        assertThat(compare.stdout())
                .doesNotContain("iteration")
                .doesNotContain("totals")
                .doesNotContain("level");
    }

    @Test
    void badClassPathsAndMissingClassesSayWhatIsWrongInOneLine() throws Exception {
        Path work = Files.createDirectories(dir.resolve("errors"));
        VelesProcess missing =
                VelesProcess.run(work, "--class-path", "nope:" + classes, "run", "com.acme.JournalWorkflow");
        assertThat(missing.exitCode()).isEqualTo(Main.USAGE);
        assertThat(missing.stderr().lines().findFirst())
                .hasValue("veles: --class-path: no such file or directory: nope");
        assertThat(work.resolve("snapshots")).doesNotExist();

        VelesProcess fromEnvironment =
                VelesProcess.run(work, Map.of(ApplicationClassPath.VARIABLE, "gone.jar"), "snapshot", "ls", ".");
        assertThat(fromEnvironment.exitCode()).isEqualTo(Main.USAGE);
        assertThat(fromEnvironment.stderr()).startsWith("veles: VELES_CLASSPATH: no such file or directory: gone.jar");
        VelesProcess help = VelesProcess.run(work, Map.of(ApplicationClassPath.VARIABLE, "gone.jar"), "run", "--help");
        assertThat(help.exitCode()).as(help.stderr()).isZero();
        assertThat(help.stdout()).contains("--class-path");

        Files.writeString(work.resolve("notes.txt"), "not a jar");
        VelesProcess notAJar = VelesProcess.run(work, "--class-path", "notes.txt", "samples");
        assertThat(notAJar.exitCode()).isEqualTo(Main.USAGE);
        assertThat(notAJar.stderr()).startsWith("veles: --class-path: notes.txt is neither a directory nor a jar");

        VelesProcess noClass = VelesProcess.run(work, "--class-path", classes.toString(), "run", "com.acme.Nope");
        assertThat(noClass.exitCode()).isEqualTo(Main.FAILED);
        assertThat(noClass.stderr().strip())
                .isEqualTo("veles: error: no workflow class com.acme.Nope on the class path"
                        + " (give its jar or classes directory with --class-path)");

        VelesProcess run = VelesProcess.run(
                work, "--class-path", classes.toString(), "run", "com.acme.JournalWorkflow", "journal.iterations=1");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        VelesProcess withoutClasses = VelesProcess.run(work, "snapshot", "diff", "snapshots", "snapshots/journal_1.gz");
        assertThat(withoutClasses.exitCode()).isEqualTo(DiffCommand.ERROR);
        assertThat(withoutClasses.stderr())
                .contains("is a snapshot of com.acme.JournalWorkflow, which is not on the class path");
        VelesProcess resumeWithout = VelesProcess.run(work, "run", "com.acme.JournalWorkflow", "-w", "snapshots");
        assertThat(resumeWithout.exitCode()).isEqualTo(Main.FAILED);
        assertThat(resumeWithout.stderr().lines().toList()).hasSize(1);
    }
}
