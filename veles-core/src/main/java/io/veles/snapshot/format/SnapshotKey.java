package io.veles.snapshot.format;

import io.veles.errors.SnapshotException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * A secret that signs snapshots with HMAC-SHA256, for snapshots that travel through shared
 * directories, databases or web addresses: a restore given the key accepts only snapshots signed
 * with it. The key is read from a file, is never part of a snapshot, and is never logged.
 */
public final class SnapshotKey {
    static final String ALGORITHM = "HmacSHA256";
    /** Bytes of a signature. */
    public static final int SIGNATURE_BYTES = 32;

    private static final int MIN_KEY_BYTES = 16;
    /** The longest key file read (64 KiB): a key is tens of random bytes, and /dev/zero never ends. */
    private static final int MAX_KEY_BYTES = 64 << 10;

    private final SecretKeySpec secret;

    private SnapshotKey(byte[] bytes) {
        this.secret = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The key held by {@code file}: its bytes as they are, at least 16 of them. */
    public static SnapshotKey fromFile(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_KEY_BYTES + 1);
        } catch (IOException e) {
            throw new SnapshotException(
                    "cannot read the snapshot key file " + file + ": "
                            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()),
                    e);
        }
        if (bytes.length > MAX_KEY_BYTES) {
            throw new SnapshotException("the snapshot key file " + file + " holds more than " + MAX_KEY_BYTES
                    + " bytes; a key is 32 or so random bytes (e.g. head -c 32 /dev/urandom > key)");
        }
        if (bytes.length < MIN_KEY_BYTES) {
            throw new SnapshotException("the snapshot key file " + file + " holds " + bytes.length
                    + " bytes; use at least " + MIN_KEY_BYTES + " random bytes (e.g. head -c 32 /dev/urandom > "
                    + file.getFileName() + ")");
        }
        return new SnapshotKey(bytes);
    }

    /** A fresh HMAC over this key. */
    public Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    @Override
    public String toString() {
        return "SnapshotKey[hidden]";
    }
}
