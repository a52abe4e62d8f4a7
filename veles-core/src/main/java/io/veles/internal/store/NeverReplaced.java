package io.veles.internal.store;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.SnapshotFormat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What an output never replaces, whatever {@code --force} says: a snapshot (the one being
 * exported included) and a symbolic link (a {@code _current} link). An export or a page is
 * never worth a snapshot, and replacing a link would leave its prefix without a current one.
 */
public final class NeverReplaced {
    private NeverReplaced() {}

    /** Refuses {@code output} (shown as {@code shown}) if it is a snapshot or a symbolic link. */
    public static void check(Path shown, Path output) {
        if (Files.isSymbolicLink(output)) {
            throw new SnapshotException(
                    shown + " is a symbolic link (a snapshot's _current link?); not replaced," + " even with --force");
        }
        if (looksLikeSnapshot(output)) {
            throw new SnapshotException(shown + " is a snapshot; not replaced, even with --force");
        }
    }

    /**
     * Whether {@code file} is a regular file that starts as a snapshot does, in any codec. A file
     * whose first bytes cannot be read or decompressed is taken for something else.
     */
    static boolean looksLikeSnapshot(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, Codec.MAGIC_LENGTH);
            buffered.mark(Codec.MAGIC_LENGTH);
            byte[] head = buffered.readNBytes(Codec.MAGIC_LENGTH);
            buffered.reset();
            Optional<Codec> detected = Codec.detect(head, head.length);
            try (InputStream plain = detected.isPresent() ? detected.get().decompress(buffered) : buffered) {
                return Arrays.equals(plain.readNBytes(SnapshotFormat.MAGIC.length), SnapshotFormat.MAGIC);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
