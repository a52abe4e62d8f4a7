package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A decoder's failure is called truncation exactly when its input had told it "end" before. */
class TruncationAwareDecoderTest {
    private static final byte[] INPUT = {1, 2, 3, 4, 5, 6, 7, 8};

    /** A stand-in decoder: copies its input, and fails once it has read {@code failAfter} bytes or asked past the end. */
    private static final class FailingDecoder extends FilterInputStream {
        private final int failAfter;
        private final IOException failure;
        private int read;

        FailingDecoder(InputStream input, int failAfter, IOException failure) {
            super(input);
            this.failAfter = failAfter;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            if (read == failAfter) {
                throw failure;
            }
            int b = super.read();
            if (b < 0) {
                throw failure; // a decoder wanting more than there is
            }
            read++;
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int b = read();
            bytes[offset] = (byte) b;
            return 1;
        }
    }

    private static InputStream decoder(int failAfter, IOException failure) throws IOException {
        return TruncationAwareDecoder.of(
                new ByteArrayInputStream(INPUT), input -> new FailingDecoder(input, failAfter, failure));
    }

    @Test
    void aFailureBeforeTheInputEndsIsLeftAsItIs() throws IOException {
        IOException damage = new IOException("CRC error");
        InputStream in = decoder(3, damage);
        assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
        assertThatThrownBy(in::read).isSameAs(damage);
        assertThatThrownBy(() -> in.read(new byte[4])).isSameAs(damage);
    }

    @Test
    void aFailureAfterTheInputSaidEndIsAnEofExceptionWithTheDecodersOwnWords() throws IOException {
        IOException ranOut = new IOException("Unexpected end of stream");
        InputStream in = decoder(Integer.MAX_VALUE, ranOut);
        assertThat(in.readNBytes(INPUT.length)).isEqualTo(INPUT);
        assertThatThrownBy(in::read)
                .isInstanceOf(EOFException.class)
                .hasMessage("Unexpected end of stream")
                .hasCause(ranOut);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class).hasCause(ranOut);
    }

    @Test
    void eofExceptionsAndUncheckedFailuresPassUnchanged() throws IOException {
        EOFException eof = new EOFException("ends early");
        InputStream in = decoder(Integer.MAX_VALUE, eof);
        in.readNBytes(INPUT.length);
        assertThatThrownBy(in::read).isSameAs(eof);

        UncheckedIOException unchecked = new UncheckedIOException(new IOException("not ours to rename"));
        InputStream failing =
                TruncationAwareDecoder.of(new ByteArrayInputStream(new byte[0]), input -> new InputStream() {
                    @Override
                    public int read() throws IOException {
                        input.read();
                        throw unchecked;
                    }
                });
        assertThatThrownBy(failing::read).isSameAs(unchecked);
    }

    @Test
    void aDecoderThatFailsAsItIsMadeIsJudgedTheSameWay() {
        IOException header = new IOException("header cut short");
        assertThatThrownBy(() -> TruncationAwareDecoder.of(new ByteArrayInputStream(new byte[2]), input -> {
                    input.readAllBytes(); // reads the header, and the end
                    throw header;
                }))
                .isInstanceOf(EOFException.class)
                .hasCause(header);
        IOException badHeader = new IOException("not this format");
        assertThatThrownBy(() -> TruncationAwareDecoder.of(new ByteArrayInputStream(INPUT), input -> {
                    input.readNBytes(2);
                    throw badHeader;
                }))
                .isSameAs(badHeader);
    }
}
