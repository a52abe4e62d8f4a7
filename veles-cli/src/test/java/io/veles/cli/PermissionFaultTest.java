package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.ChildProcess;
import io.veles.testing.FreshJvm;
import io.veles.testing.Requirement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Permission denied, for real: veles runs as user nobody against directories owned by root.
 * Needs root to switch users (as on CI); elsewhere skipped with a message unless VELES_REQUIRE_ROOT=1.
 */
@Tag("slow")
class PermissionFaultTest {
    private Path root;
    private String classPath;

    @BeforeEach
    void setUp() throws Exception {
        boolean canSwitch = "root".equals(System.getProperty("user.name")) && new File("/usr/bin/setpriv").canExecute();
        if (!canSwitch) {
            String message = "not root or no setpriv: permission fault test skipped";
            Requirement.skipOrFail("VELES_REQUIRE_ROOT", message);
        }
        root = Files.createTempDirectory("veles-perm");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        // nobody cannot read root's Maven repository: give it a copy of the class path.
        Path lib = Files.createDirectories(root.resolve("lib"));
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.isRegularFile(source)) {
                Path copy = lib.resolve(entries.size() + "-" + source.getFileName());
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                entries.add(copy.toString());
            } else if (Files.isDirectory(source)) {
                Path copy = lib.resolve(entries.size() + "-classes");
                copyTree(source, copy);
                entries.add(copy.toString());
            }
        }
        makeReadable(root);
        classPath = String.join(File.pathSeparator, entries);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void makeReadable(Path tree) throws Exception {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(
                        path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private String[] runAsNobody(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                ProcessHandle.current().info().command().orElse("java")));
        command.addAll(FreshJvm.QUICK_START);
        command.addAll(List.of("-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        ChildProcess.Result result = ChildProcess.of(command).in(root).run();
        return new String[] {String.valueOf(result.exitCode()), result.output(), result.stderr()};
    }

    @Test
    void aDirectoryTheRunCannotWriteGivesOneClearErrorAndKeepsEarlierSnapshots() throws Exception {
        // An earlier snapshot, written by root.
        VelesProcess earlier = VelesProcess.run(
                root, "run", "walk", "walk.walkers=100", "walk.iterations=1", "--snapshot-dir", "owned-by-root");
        assertThat(earlier.exitCode()).as(earlier.stderr()).isZero();
        makeReadable(root.resolve("owned-by-root"));

        String[] denied =
                runAsNobody("run", "walk", "walk.walkers=100", "walk.iterations=2", "--snapshot-dir", "owned-by-root");
        assertThat(denied[0]).isEqualTo("1");
        List<String> errors = denied[2]
                .lines()
                .filter(line -> line.startsWith("veles: error:"))
                .toList();
        // Refused at start, when the run takes its prefix's lock in the directory.
        assertThat(errors)
                .containsExactly("veles: error: cannot write owned-by-root/.walk.lock (the lock of snapshot"
                        + " prefix 'walk'): permission denied");
        try (SnapshotReader reader =
                Snapshots.open(root.resolve("owned-by-root").toString())) {
            reader.verify();
            assertThat(reader.manifest().name).isEqualTo("walk_00001");
        }

        String[] missing = runAsNobody("run", "walk", "walk.iterations=1", "--snapshot-dir", "owned-by-root/new/dir");
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2])
                .contains("veles: error: cannot create snapshot directory owned-by-root/new/dir: permission denied");
    }
}
