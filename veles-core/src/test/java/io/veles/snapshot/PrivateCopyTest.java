package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

/** The private copy a signed restore reads: exactly the bytes that were read, however they were read. */
class PrivateCopyTest {
    @Test
    void holdsExactlyTheBytesReadBySingleBytesBuffersAndSkips() throws IOException {
        byte[] source = new byte[300_000];
        new Random(7).nextBytes(source);
        try (PrivateCopy copy = PrivateCopy.create()) {
            try (InputStream in = copy.copying(new ByteArrayInputStream(source))) {
                assertThat(in.read()).isEqualTo(source[0] & 0xff);
                assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOfRange(source, 1, 1001));
                assertThat(in.skip(200_000)).isEqualTo(200_000); // skipped bytes were read too: they are copied
                assertThat(in.readNBytes(50_000)).hasSize(50_000);
            }
            byte[] read = Arrays.copyOf(source, 1 + 1000 + 200_000 + 50_000);
            try (InputStream again = copy.input()) {
                assertThat(again.readAllBytes())
                        .as("no more, no less than was read")
                        .isEqualTo(read);
            }
        }
    }

    @Test
    void closingTheInputClosesTheCopy() throws IOException {
        PrivateCopy copy = PrivateCopy.create();
        copy.copying(new ByteArrayInputStream(new byte[] {1, 2, 3})).readAllBytes();
        InputStream in = copy.input();
        in.close();
        assertThatThrownBy(copy::input).isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }
}
