package io.veles.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * An application's own classes: the directories and jars named by {@code --class-path} and by
 * the {@code VELES_CLASSPATH} variable, both lists separated as the platform's class path is
 * ({@code :} on Unix). The two concatenate, the option's entries first, so a class in both comes
 * from the option. One class loader over them, whose parent is the engine's, loads the workflow
 * that {@code run} names and every application class a snapshot names.
 */
final class ApplicationClassPath {
    static final String VARIABLE = "VELES_CLASSPATH";

    /** A class-path entry that is missing or not a directory or jar: bad input, said in one line. */
    static final class BadEntry extends RuntimeException {
        BadEntry(String message) {
            super(message);
        }
    }

    private static final List<String> optionEntries = new ArrayList<>();
    private static ClassLoader loader;

    private ApplicationClassPath() {}

    /** Forgets a previous command line's entries (commands may run more than once per JVM in tests). */
    static synchronized void reset() {
        optionEntries.clear();
        loader = null;
    }

    /** Adds the entries of one {@code --class-path} value. */
    static synchronized void addOption(String paths) {
        optionEntries.addAll(split(paths));
        loader = null;
    }

    /**
     * The loader for application classes: the engine's own when no entry is given. Every entry is
     * checked first; a missing one, or a file that is not a jar, is refused with a {@link BadEntry}.
     */
    static synchronized ClassLoader loader() {
        if (loader == null) {
            List<URL> urls = new ArrayList<>();
            for (String entry : optionEntries) {
                urls.add(checked(entry, "--class-path"));
            }
            for (String entry : split(System.getenv(VARIABLE))) {
                urls.add(checked(entry, VARIABLE));
            }
            ClassLoader engine = ApplicationClassPath.class.getClassLoader();
            loader =
                    urls.isEmpty() ? engine : new URLClassLoader("veles-application", urls.toArray(URL[]::new), engine);
        }
        return loader;
    }

    private static List<String> split(String paths) {
        List<String> entries = new ArrayList<>();
        if (paths != null) {
            for (String entry : paths.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    private static URL checked(String entry, String origin) {
        Path path = Path.of(entry);
        if (!Files.exists(path)) {
            throw new BadEntry(origin + ": no such file or directory: " + entry);
        }
        if (!Files.isDirectory(path)) {
            try (JarFile ignored = new JarFile(path.toFile())) {
                // opens: a jar (or zip) the loader can read
            } catch (IOException e) {
                throw new BadEntry(origin + ": " + entry + " is neither a directory nor a jar");
            }
        }
        try {
            return path.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new BadEntry(origin + ": cannot use " + entry + ": " + e.getMessage());
        }
    }
}
