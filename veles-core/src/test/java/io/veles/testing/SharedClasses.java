package io.veles.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive for child JVMs of one main class. The command-line tests start
 * hundreds of short-lived JVMs; loading and linking the same few thousand classes was about a
 * quarter of each one's life here ({@code veles snapshot ls}: 0.81–1.23 s without, 0.65–0.69 s
 * with an archive of a wine run's classes; {@code veles run wine}: 1.13–1.38 s and 0.86–1.01 s).
 *
 * <p>The JVM archives classes only from jars, so the class-path directories other than
 * {@code test-classes} (the module's own {@code target/classes}) are packed into jars under
 * {@code target/shared-classes}, and one warm-up run of the main class writes the archive as it
 * exits. Children then map it, with {@code test-classes} appended to the class path (its classes
 * load as before: nothing there shadows a jar). {@code -Xlog:disable} keeps the JVM's notes about
 * the archive out of the children's output, which the tests read. Without a warm-up registered,
 * or if the warm-up fails (which it says once), children start as before.
 */
public final class SharedClasses {
    /** Replaced in a warm-up's arguments by a scratch directory. */
    public static final String SCRATCH = "{scratch}";

    private static final Map<String, List<String>> WARM_UPS = new ConcurrentHashMap<>();
    private static final Map<String, Optional<Launch>> LAUNCHES = new HashMap<>();

    /** What a child adds to its command line to map the archive, and the class path it must use. */
    record Launch(List<String> options, String classPath) {}

    private SharedClasses() {}

    /**
     * Children of {@code main} will share an archive of the classes that {@code main} run with
     * {@code warmUp} loads; {@link #SCRATCH} in an argument stands for a scratch directory.
     */
    public static void warmUpWith(Class<?> main, String... warmUp) {
        WARM_UPS.putIfAbsent(main.getName(), List.of(warmUp));
    }

    /** The launch for children of {@code main} on the tests' class path; empty without an archive. */
    static synchronized Optional<Launch> forMain(Class<?> main, String java, List<String> quickStart) {
        List<String> warmUp = WARM_UPS.get(main.getName());
        if (warmUp == null) {
            return Optional.empty();
        }
        return LAUNCHES.computeIfAbsent(main.getName(), name -> create(main, warmUp, java, quickStart));
    }

    private static Optional<Launch> create(Class<?> main, List<String> warmUp, String java, List<String> quickStart) {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        Optional<Path> target = Stream.of(entries)
                .map(Path::of)
                .filter(entry -> entry.getFileName() != null
                        && entry.getFileName().toString().equals("test-classes"))
                .map(Path::getParent)
                .findFirst();
        if (target.isEmpty()) {
            return Optional.empty(); // not under Maven: nowhere of the build's own to put the jars
        }
        try {
            Path dir = target.get().resolve("shared-classes");
            deleteTree(dir);
            Files.createDirectories(dir.resolve("scratch"));
            List<String> archived = new ArrayList<>();
            List<String> appended = new ArrayList<>();
            for (int i = 0; i < entries.length; i++) {
                Path entry = Path.of(entries[i]);
                if (!Files.isDirectory(entry)) {
                    archived.add(entries[i]);
                } else if (entry.getFileName().toString().equals("test-classes")) {
                    appended.add(entries[i]);
                } else {
                    archived.add(jar(entry, dir.resolve(i + "-" + entry.getFileName() + ".jar"))
                            .toString());
                }
            }
            String archivedPath = String.join(File.pathSeparator, archived);
            Path archive = dir.resolve(main.getSimpleName() + ".jsa");
            List<String> dump = new ArrayList<>(List.of(java));
            dump.addAll(quickStart);
            dump.addAll(List.of("-Xlog:disable", "-XX:ArchiveClassesAtExit=" + archive, "-cp", archivedPath));
            dump.add(main.getName());
            String scratch = dir.resolve("scratch").toString();
            warmUp.forEach(argument -> dump.add(argument.replace(SCRATCH, scratch)));
            ChildProcess.Result result =
                    ChildProcess.of(dump).in(dir).mergeErrors().run();
            if (result.exitCode() != 0 || !Files.isRegularFile(archive)) {
                System.out.println("SharedClasses: the warm-up of " + main.getName() + " failed (exit "
                        + result.exitCode() + "), so its children load their classes themselves: "
                        + result.output()
                                .strip()
                                .lines()
                                .reduce((first, last) -> last)
                                .orElse(""));
                return Optional.empty();
            }
            List<String> classPath = new ArrayList<>(archived);
            classPath.addAll(appended);
            return Optional.of(new Launch(
                    List.of("-Xlog:disable", "-XX:SharedArchiveFile=" + archive),
                    String.join(File.pathSeparator, classPath)));
        } catch (IOException e) {
            System.out.println("SharedClasses: no archive for " + main.getName() + ": " + e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Packs the files under {@code directory} into the jar {@code to}. */
    private static Path jar(Path directory, Path to) throws IOException {
        try (OutputStream file = Files.newOutputStream(to);
                JarOutputStream jar = new JarOutputStream(file);
                Stream<Path> files = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                jar.putNextEntry(
                        new JarEntry(directory.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, jar);
                jar.closeEntry();
            }
        }
        return to;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
