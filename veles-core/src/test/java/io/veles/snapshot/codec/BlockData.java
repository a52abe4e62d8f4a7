package io.veles.snapshot.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** 4 MiB blocks of the two kinds a codec's per-block choice tells apart. */
final class BlockData {
    static final int BLOCK = 4 << 20;

    private BlockData() {}

    /** A block of N(0, 0.05) float32 weights, byte-shuffled as the snapshot filter does. */
    static byte[] shuffledWeights(long seed) {
        Random random = new Random(seed);
        ByteBuffer floats = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        while (floats.hasRemaining()) {
            floats.putFloat((float) (random.nextGaussian() * 0.05));
        }
        byte[] plain = floats.array();
        int count = BLOCK / 4;
        byte[] shuffled = new byte[BLOCK];
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < 4; b++) {
                shuffled[b * count + i] = plain[4 * i + b];
            }
        }
        return shuffled;
    }

    /** Words drawn from a small vocabulary: text, where string matching pays (deflate's LZ77, zstd's level 3). */
    static byte[] text(long seed) {
        Random random = new Random(seed);
        String[] words = new String[400];
        for (int i = 0; i < words.length; i++) {
            StringBuilder word = new StringBuilder();
            for (int letters = 3 + random.nextInt(8); letters > 0; letters--) {
                word.append((char) ('a' + random.nextInt(26)));
            }
            words[i] = word.toString();
        }
        StringBuilder text = new StringBuilder(BLOCK + 16);
        while (text.length() < BLOCK) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? ".\n" : " ");
        }
        return text.substring(0, BLOCK).getBytes(StandardCharsets.US_ASCII);
    }

    /** The parts one after another, as concatenated members, streams or frames are. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
