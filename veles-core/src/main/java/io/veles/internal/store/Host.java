package io.veles.internal.store;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's name as it goes into temporary names and lock files: the short host name, with
 * anything but letters, digits and '-' replaced by '-', so that it never breaks a file name.
 * Two hosts sharing a file system tell their files apart by it.
 */
public final class Host {
    private static final String NAME = sanitize(lookUp());

    private Host() {}

    public static String name() {
        return NAME;
    }

    static String sanitize(String host) {
        String shortName = host.strip();
        int dot = shortName.indexOf('.');
        if (dot > 0) {
            shortName = shortName.substring(0, dot);
        }
        String clean = shortName.replaceAll("[^A-Za-z0-9-]", "-");
        return clean.isEmpty() ? "localhost" : clean;
    }

    /** The kernel's host name where it can be read without a name service; else Java's. */
    private static String lookUp() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel);
            }
        } catch (IOException ignored) {
            // fall back to the JDK
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
