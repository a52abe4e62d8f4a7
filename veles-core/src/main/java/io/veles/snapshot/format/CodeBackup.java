package io.veles.snapshot.format;

import io.veles.errors.SnapshotException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The workflow's own code, kept with a snapshot as VELES advises (a snapshot holds data only,
 * and restoring needs the code it was taken with): the jar the workflow class came from, or the
 * class files of its package when it came from a directory. Stored as a zip; written out by
 * {@code veles snapshot extract-code}, never loaded by a restore.
 */
public final class CodeBackup {
    private CodeBackup() {}

    /** A zip of {@code workflowClass}'s jar, or of its package's class files. */
    public static byte[] collect(Class<?> workflowClass) {
        Path location = locationOf(workflowClass);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            if (Files.isRegularFile(location)) {
                add(out, location.getFileName().toString(), location);
            } else {
                Path packageDir =
                        location.resolve(workflowClass.getPackageName().replace('.', '/'));
                List<Path> files;
                try (Stream<Path> walk = Files.walk(packageDir)) {
                    files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
                }
                for (Path file : files) {
                    add(out, location.relativize(file).toString().replace('\\', '/'), file);
                }
            }
        } catch (IOException e) {
            throw new SnapshotException(
                    "cannot back up the code of " + workflowClass.getName() + " from " + location + ": "
                            + e.getMessage(),
                    e);
        }
        return zip.toByteArray();
    }

    /**
     * Writes the files of a code backup under {@code directory}; returns how many. Nothing is
     * overwritten and the expanded size is capped at {@link CodeExtraction#DEFAULT_MAX_BYTES}: see
     * {@link CodeExtraction} for what is checked before anything is written.
     */
    public static int extract(byte[] backup, Path directory) {
        return new CodeExtraction(directory, false, CodeExtraction.DEFAULT_MAX_BYTES).extract(backup);
    }

    private static void add(ZipOutputStream out, String name, Path file) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
        out.closeEntry();
    }

    private static Path locationOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new SnapshotException(
                    "cannot back up the code of " + type.getName() + ": its class has no code source");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new SnapshotException(
                    "cannot back up the code of " + type.getName() + " from " + source.getLocation(), e);
        }
    }
}
