package io.veles.snapshot.format;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A fingerprint of the code a snapshot's state belongs to: SHA-256 over the names and class-file
 * bytes of every captured class outside the JDK. Class files are read as resources, never loaded,
 * so the fingerprint of a snapshot's classes can be checked without running their code. Nothing
 * is cached: the same name can mean different code under different class loaders, and a few
 * dozen class files hash in well under a millisecond.
 */
public final class CodeFingerprint {
    private static final byte[] MISSING = new byte[0];

    private CodeFingerprint() {}

    /** The fingerprint of {@code classes} as {@code loader} finds their class files now. */
    public static String of(List<ClassDescription> classes, ClassLoader loader) {
        MessageDigest total = sha256();
        TreeSet<String> names = new TreeSet<>();
        for (ClassDescription description : classes) {
            if (!description.name().startsWith("java.")) {
                names.add(description.name());
            }
        }
        for (String name : names) {
            total.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            total.update(digestClassFile(name, loader));
        }
        return "sha256:" + HexFormat.of().formatHex(total.digest());
    }

    private static byte[] digestClassFile(String className, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in == null ? MISSING : sha256().digest(in.readAllBytes());
        } catch (IOException e) {
            return MISSING;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
