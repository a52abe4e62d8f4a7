package io.veles.velesimport;

import io.veles.errors.SnapshotException;
import io.veles.internal.util.Printable;
import io.veles.snapshot.codec.Codec;
import net.razorvine.pickle.PickleException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens a VELES (Python) snapshot: a pickle, compressed by one of VELES's codecs (gz, bz2, xz,
 * snappy; found by magic number, else by the file's ending) or not, and unpickles it with
 * {@link VelesUnpickler}: classes become dictionaries, NumPy arrays our stand-ins, nothing runs.
 */
final class VelesPickles {
    /** The newest pickle protocol read: VELES's Python wrote protocols 2 to 4. */
    static final int MAX_PROTOCOL = 4;

    private VelesPickles() {}

    static Object read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(16);
            byte[] head = raw.readNBytes(Codec.MAGIC_LENGTH);
            raw.reset();
            Codec codec = Codec.detect(head, head.length)
                    .orElse(Codec.fromFileName(file.getFileName().toString()));
            try (InputStream pickle = new BufferedInputStream(codec.decompress(raw), 1 << 16)) {
                pickle.mark(2);
                if (pickle.read() != 0x80) { // PROTO: VELES wrote protocols 2 to 4
                    throw new SnapshotException(file + " is not a pickle of protocol 2 or later"
                            + (codec == Codec.NONE ? "" : " (after " + codec.argument() + ")"));
                }
                int protocol = pickle.read();
                if (protocol > MAX_PROTOCOL) {
                    // Python 3.8's protocol 5 pickles NumPy arrays out of band (PickleBuffer): read on,
                    // they would come out as no arrays at all.
                    throw new SnapshotException(file + " is a pickle of protocol " + protocol + ", which this"
                            + " import does not read: save it again with protocol " + MAX_PROTOCOL
                            + " or lower (pickle.dump(obj, f, protocol=4))");
                }
                pickle.reset();
                return new VelesUnpickler().load(pickle);
            }
        } catch (NoSuchFileException e) {
            throw new SnapshotException("no such file: " + file);
        } catch (PickleRefusedException e) {
            throw new PickleRefusedException(file + ": " + e.getMessage());
        } catch (SnapshotException e) {
            throw e;
        } catch (IOException
                | PickleException
                | ClassCastException
                | IndexOutOfBoundsException
                | IllegalArgumentException
                | NullPointerException e) {
            // damaged or foreign bytes fail anywhere in the unpickler
            throw new SnapshotException("cannot read " + file + ": " + why(e));
        } catch (OutOfMemoryError e) {
            throw new SnapshotException("cannot read " + file + ": it needs more memory than this JVM has (-Xmx)");
        }
    }

    /**
     * What went wrong, in the pickle's terms: an unpickler's own message, or for the JDK's
     * exceptions (an operation given an object of the wrong kind, an index past a tuple's end),
     * what that says about the pickle rather than the JDK's words.
     */
    private static String why(Exception e) {
        if (e instanceof java.nio.charset.UnsupportedCharsetException
                || e instanceof java.nio.charset.IllegalCharsetNameException) {
            return "it names a text encoding Java does not have ("
                    + Printable.escapeAtMost(((IllegalArgumentException) e).getMessage(), 80) + ")";
        }
        if (e instanceof ClassCastException || e instanceof NullPointerException) {
            return "an operation of the pickle is given an object of another kind than it takes"
                    + " (a damaged pickle, or one not written by Python's pickle module)";
        }
        if (e instanceof IndexOutOfBoundsException) {
            return "an operation of the pickle takes more arguments than it is given"
                    + " (a damaged pickle, or one not written by Python's pickle module)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : Printable.escapeAtMost(e.getMessage(), 300);
    }
}
