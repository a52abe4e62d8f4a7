package io.veles.snapshot.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, as Maven wrote it into version.properties. */
public final class Version {
    private static final String VERSION = load();

    private Version() {}

    public static String version() {
        return VERSION;
    }

    /** "veles-java VERSION", as snapshots record their writer. */
    public static String writer() {
        return "veles-java " + VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/veles/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
