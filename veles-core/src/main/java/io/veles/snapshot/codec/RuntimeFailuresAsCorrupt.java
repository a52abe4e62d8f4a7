package io.veles.snapshot.codec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A commons-compress decoder whose unchecked failures on malformed input (an index out of
 * bounds in a bzip2 block's Huffman tables, a gzip header it cannot parse) come out as the
 * IOException of corrupt data, as the decoder's checked ones do: the snapshot's reader turns
 * those into one line naming the file.
 */
final class RuntimeFailuresAsCorrupt extends FilterInputStream {
    /** Opens a decoder over its input; commons-compress reads (and may fail) already here. */
    interface Opener {
        InputStream open() throws IOException;
    }

    private final String format;

    private RuntimeFailuresAsCorrupt(InputStream in, String format) {
        super(in);
        this.format = format;
    }

    /** The decoder {@code opener} makes, its unchecked failures (opening included) reported as corrupt {@code format} data. */
    static InputStream of(String format, Opener opener) throws IOException {
        try {
            return new RuntimeFailuresAsCorrupt(opener.open(), format);
        } catch (RuntimeException e) {
            throw corrupt(format, e);
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (RuntimeException e) {
            throw corrupt(format, e);
        }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        try {
            return in.read(bytes, offset, length);
        } catch (RuntimeException e) {
            throw corrupt(format, e);
        }
    }

    private static IOException corrupt(String format, RuntimeException e) {
        return new IOException("corrupt " + format + " stream: " + e.getMessage(), e);
    }
}
