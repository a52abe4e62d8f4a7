package io.veles.snapshot.codec;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A sequential decoder whose failure after its input ran out is thrown as an
 * {@link EOFException}. The decoders say "truncated" each in their own words:
 * commons-compress's bzip2 "Unexpected end of stream", zstd-jni "Truncated source", lz4-java
 * "Stream ended prematurely", all as plain IOExceptions, so a cut snapshot was called corrupt.
 * Whether the decoder asked its input for more after the input's end is what they share. Damage
 * that makes a decoder read past the end (a corrupted length, stray bytes after the last stream)
 * reads as truncation too; the snapshot reader names bytes after its trailer itself.
 */
final class TruncationAwareDecoder extends FilterInputStream {
    /** Makes a decoder of an input; it may read the input's first bytes (a header) at once. */
    interface Factory {
        InputStream decoderOf(InputStream input) throws IOException;
    }

    private final EndNotingInput input;

    private TruncationAwareDecoder(InputStream decoder, EndNotingInput input) {
        super(decoder);
        this.input = input;
    }

    /** The decoder {@code factory} makes of {@code input}, its failures past the input's end made EOFExceptions. */
    static InputStream of(InputStream input, Factory factory) throws IOException {
        EndNotingInput noting = new EndNotingInput(input);
        try {
            return new TruncationAwareDecoder(factory.decoderOf(noting), noting);
        } catch (IOException e) {
            throw noting.explain(e);
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw input.explain(e);
        }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        try {
            return super.read(bytes, offset, length);
        } catch (IOException e) {
            throw input.explain(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw input.explain(e);
        }
    }

    /** An input that notes whether it has told its reader that it ended. */
    private static final class EndNotingInput extends FilterInputStream {
        private boolean ended;

        EndNotingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
            ended |= n < 0;
            return n;
        }

        /** {@code failure} as an EOFException if the input had ended by then, else as it is. */
        IOException explain(IOException failure) {
            if (!ended || failure instanceof EOFException) {
                return failure;
            }
            EOFException truncated = new EOFException(failure.getMessage());
            truncated.initCause(failure);
            return truncated;
        }
    }
}
