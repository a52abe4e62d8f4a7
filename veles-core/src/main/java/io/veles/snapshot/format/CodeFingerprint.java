package io.veles.snapshot.format;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fingerprint of the code a snapshot's state belongs to: SHA-256 over the names and class-file
 * bytes of every captured class outside the JDK. Class files are read as resources, never loaded,
 * so the fingerprint of a snapshot's classes can be checked without running their code.
 *
 * <p>Each class file's digest is kept per class loader (weakly: a loader let go takes its digests
 * with it), as the loader keeps the class it defined from that file: finding and inflating the
 * files from a jar and hashing them took 2.7% of a snapshot and restore of 10,000 small units.
 * Names found in no class file are looked up every time and never kept, so a snapshot listing
 * made-up names cannot grow the table.
 */
public final class CodeFingerprint {
    private static final byte[] MISSING = new byte[0];
    private static final Map<ClassLoader, Map<String, byte[]>> DIGESTS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private CodeFingerprint() {}

    /** The fingerprint of {@code classes} as {@code loader} found their class files first. */
    public static String of(List<ClassDescription> classes, ClassLoader loader) {
        MessageDigest total = sha256();
        TreeSet<String> names = new TreeSet<>();
        for (ClassDescription description : classes) {
            if (!description.name().startsWith("java.")) {
                names.add(description.name());
            }
        }
        Map<String, byte[]> known = DIGESTS.computeIfAbsent(loader, any -> new ConcurrentHashMap<>());
        for (String name : names) {
            total.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            total.update(digestClassFile(name, loader, known));
        }
        return "sha256:" + HexFormat.of().formatHex(total.digest());
    }

    /** The digest of one class file, from {@code known} (the loader's) when it was read before. */
    private static byte[] digestClassFile(String className, ClassLoader loader, Map<String, byte[]> known) {
        byte[] digest = known.get(className);
        if (digest == null) {
            digest = readAndDigest(className, loader);
            if (digest != MISSING) {
                known.put(className, digest);
            }
        }
        return digest;
    }

    private static byte[] readAndDigest(String className, ClassLoader loader) {
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
