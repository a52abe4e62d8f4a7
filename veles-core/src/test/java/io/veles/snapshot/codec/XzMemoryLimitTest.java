package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.CorruptSnapshotException;
import io.veles.snapshot.file.SnapshotReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * An xz header may claim a dictionary of up to 4 GiB, which a decoder without a limit allocates
 * before reading any data. Ours refuses what no snapshot of ours asks (level 9: 64 MiB) and still
 * reads what level 9 writes.
 */
class XzMemoryLimitTest {
    /** 24 bytes: an xz stream header, then a block whose LZMA2 dictionary is 1.5 GiB (property 37). */
    static byte[] dictionaryBomb() {
        ByteBuffer bytes = ByteBuffer.allocate(24);
        bytes.put(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 0, 1});
        bytes.putInt(Integer.reverseBytes(crc(new byte[] {0, 1})));
        byte[] blockHeader = {2, 0, 0x21, 1, 37, 0, 0, 0};
        bytes.put(blockHeader);
        bytes.putInt(Integer.reverseBytes(crc(blockHeader)));
        return bytes.array();
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    @Test
    void aDictionaryNoSnapshotOfOursUsesIsRefusedBeforeItIsAllocated() {
        long before = allocated();
        assertThatThrownBy(() -> SnapshotReader.open(new ByteArrayInputStream(dictionaryBomb()), "bomb.xz")
                        .close())
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageStartingWith("bomb.xz is corrupt: its xz stream fails to decode: ")
                .hasMessageContaining("limit");
        assertThat(allocated() - before).as("bytes allocated by this thread").isLessThan(256L << 20);
    }

    @Test
    void levelNineStillDecodes() throws Exception {
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 >> 7);
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = Codec.XZ.compress(compressed, 9)) {
            out.write(data);
        }
        try (InputStream in = Codec.XZ.decompress(new ByteArrayInputStream(compressed.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
