package io.veles.snapshot.codec;

import java.util.Arrays;

/**
 * Deflate (RFC 1951) by Huffman coding alone, one block per run of similar bytes ({@link
 * ByteRuns}; a run left uncoded goes in stored blocks of up to 64 KiB): what zlib's {@code HUFFMAN_ONLY} strategy does, with the block boundaries put where
 * a byte-shuffled array's planes change instead of every 16 Ki symbols. Any inflater reads it.
 *
 * <p>Why not zlib: the JDK's {@code Deflater} cannot be told where to end a block (its flushes
 * add an empty block and still cut every 16 Ki symbols), and its Huffman-only deflate takes about
 * 5 ns a byte here, where this coding loop takes 0.7 (async-profiler, a 256 MiB gz snapshot). On
 * shuffled N(0, 0.05) float32 the planes' own codes also come out smaller: 0.06% on a 4 MiB block
 * of whole planes, 0.15% on a 256 MiB snapshot, whose members start anywhere in a plane.
 */
final class HuffmanDeflater {
    private static final int END_OF_BLOCK = 256;
    private static final int LITERALS_AND_END = 257;
    private static final int MAX_CODE_BITS = 15;
    private static final int MAX_CODE_LENGTH_CODE_BITS = 7;
    private static final int MAX_STORED = 65535;
    /**
     * Huffman coding must save a 64th of a block's stored size, or the block is stored: inflating
     * a stored block is a copy, a coded one a table lookup a byte. A float32 array's third byte
     * plane (N(0, 0.05): 7.97 bits a byte) would save 0.03% of its size coded, and inflate in
     * 2.7 ms a MiB instead of 0.02 ms: a 256 MiB W1 file took 0.40 s to inflate, 0.22 s stored.
     */
    private static final long MIN_SAVING = 64;
    /** The order in which a dynamic block's header gives the code-length code's lengths. */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    /**
     * No block uses a distance, but a decoder wants a distance code: two symbols of one bit, as
     * zlib sends.
     */
    private static final int[] DISTANCE_LENGTHS = {1, 1};

    private HuffmanDeflater() {}

    /**
     * Deflates the first {@code length} bytes of {@code data} into {@code out} from byte {@code
     * at} on, as a complete deflate stream (its last block marked final), and returns the position
     * after its last byte.
     */
    static int deflate(byte[] data, int length, BlockBuffer out, int at) {
        DeflateBits bits = new DeflateBits(out, at);
        if (length == 0) { // a final block of fixed codes holding only its end (7 zero bits)
            bits.reserve(4);
            bits.write(1, 1);
            bits.write(1, 2);
            bits.write(0, 7);
            return bits.finish();
        }
        ByteRuns.Runs runs = ByteRuns.split(data, 0, length);
        int[] starts = runs.starts();
        for (int run = 0; run < starts.length; run++) {
            int end = run + 1 < starts.length ? starts[run + 1] : length;
            writeBlock(data, starts[run], end - starts[run], runs.counts()[run], run == starts.length - 1, bits);
        }
        return bits.finish();
    }

    private static void writeBlock(
            byte[] data, int from, int length, int[] byteCounts, boolean last, DeflateBits bits) {
        int[] counts = Arrays.copyOf(byteCounts, LITERALS_AND_END);
        counts[END_OF_BLOCK] = 1;
        int[] lengths = HuffmanCode.lengths(counts, MAX_CODE_BITS);
        CodeLengths header = new CodeLengths(lengths);
        long dataBits = 0;
        for (int symbol = 0; symbol < LITERALS_AND_END; symbol++) {
            dataBits += (long) counts[symbol] * lengths[symbol];
        }
        long dynamicBits = 3 + header.bits() + dataBits;
        long storedBits = 8L * length + ((length + MAX_STORED - 1) / MAX_STORED) * (3 + 7 + 32L);
        if (dynamicBits > storedBits - storedBits / MIN_SAVING) {
            writeStored(data, from, length, last, bits);
            return;
        }
        bits.reserve(dynamicBits / 8 + 8);
        bits.write(last ? 1 : 0, 1);
        bits.write(2, 2); // dynamic Huffman codes
        header.writeTo(bits);
        int[] codes = HuffmanCode.reversedCodes(lengths);
        int[] table = new int[256];
        for (int b = 0; b < 256; b++) {
            table[b] = codes[b] | lengths[b] << 16;
        }
        bits.writeCoded(data, from, length, table);
        bits.write(codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
    }

    /** Noise that Huffman coding cannot shrink goes as it is, in stored blocks of up to 64 KiB. */
    private static void writeStored(byte[] data, int from, int length, boolean last, DeflateBits bits) {
        int done = 0;
        do {
            int piece = Math.min(MAX_STORED, length - done);
            bits.reserve(piece + 8);
            bits.write(last && done + piece == length ? 1 : 0, 1);
            bits.write(0, 2); // stored
            bits.alignToByte();
            bits.write(piece, 16);
            bits.write(~piece & 0xFFFF, 16);
            bits.writeBytes(data, from + done, piece);
            done += piece;
        } while (done < length);
    }

    /**
     * A dynamic block's header: the literal and distance code lengths, run-length coded with the
     * code-length alphabet (0-15 a length, 16 repeat the last 3-6 times, 17 and 18 runs of zeros
     * of 3-10 and 11-138) and Huffman coded in turn.
     */
    private static final class CodeLengths {
        private final int[] symbols = new int[LITERALS_AND_END + DISTANCE_LENGTHS.length];
        private final int[] extras = new int[symbols.length];
        private int count;
        private final int[] lengths;
        private final int[] codes;
        private final int sent;

        CodeLengths(int[] literalLengths) {
            int[] all = new int[LITERALS_AND_END + DISTANCE_LENGTHS.length];
            System.arraycopy(literalLengths, 0, all, 0, LITERALS_AND_END);
            System.arraycopy(DISTANCE_LENGTHS, 0, all, LITERALS_AND_END, DISTANCE_LENGTHS.length);
            for (int i = 0; i < all.length; ) {
                int value = all[i];
                int run = 1;
                while (i + run < all.length && all[i + run] == value) {
                    run++;
                }
                i += run;
                if (value == 0) {
                    for (; run >= 11; run -= Math.min(run, 138)) {
                        add(18, Math.min(run, 138) - 11);
                    }
                    if (run >= 3) {
                        add(17, run - 3);
                        run = 0;
                    }
                } else {
                    add(value, 0);
                    run--;
                    for (; run >= 3; run -= Math.min(run, 6)) {
                        add(16, Math.min(run, 6) - 3);
                    }
                }
                for (; run > 0; run--) {
                    add(value, 0);
                }
            }
            int[] frequencies = new int[19];
            for (int i = 0; i < count; i++) {
                frequencies[symbols[i]]++;
            }
            lengths = HuffmanCode.lengths(frequencies, MAX_CODE_LENGTH_CODE_BITS);
            codes = HuffmanCode.reversedCodes(lengths);
            int kept = CODE_LENGTH_ORDER.length;
            while (kept > 4 && lengths[CODE_LENGTH_ORDER[kept - 1]] == 0) {
                kept--;
            }
            sent = kept;
        }

        private void add(int symbol, int extra) {
            symbols[count] = symbol;
            extras[count++] = extra;
        }

        private static int extraBits(int symbol) {
            return symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0;
        }

        long bits() {
            long total = 5 + 5 + 4 + 3L * sent;
            for (int i = 0; i < count; i++) {
                total += lengths[symbols[i]] + extraBits(symbols[i]);
            }
            return total;
        }

        void writeTo(DeflateBits bits) {
            bits.write(LITERALS_AND_END - 257, 5);
            bits.write(DISTANCE_LENGTHS.length - 1, 5);
            bits.write(sent - 4, 4);
            for (int i = 0; i < sent; i++) {
                bits.write(lengths[CODE_LENGTH_ORDER[i]], 3);
            }
            for (int i = 0; i < count; i++) {
                int symbol = symbols[i];
                bits.write(codes[symbol], lengths[symbol]);
                if (extraBits(symbol) > 0) {
                    bits.write(extras[i], extraBits(symbol));
                }
            }
        }
    }
}
