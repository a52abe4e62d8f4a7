package io.veles.snapshot.codec;

import java.util.PriorityQueue;

/**
 * A length-limited canonical Huffman code, as deflate defines it (RFC 1951 section 3.2.2): code
 * lengths from symbol counts, then codes from the lengths. Alphabets here are small (at most 288
 * symbols), so a priority queue is plenty.
 */
final class HuffmanCode {
    private HuffmanCode() {}

    /**
     * Code lengths for {@code counts}, none above {@code maxLength}; a symbol counted 0 gets
     * length 0. At least two symbols get a code (the lowest uncounted ones join as fillers
     * while fewer are counted), since a deflate decoder needs a complete code. When the optimal code is too deep,
     * the counts are flattened (halved, keeping each above zero) until it fits: rare symbols then
     * cost a bit more, which on a 15-bit limit is a few bytes a block.
     */
    static int[] lengths(int[] counts, int maxLength) {
        int[] weights = counts.clone();
        int used = 0;
        for (int weight : weights) {
            used += weight > 0 ? 1 : 0;
        }
        for (int symbol = 0; used < 2; symbol++) {
            if (weights[symbol] == 0) {
                weights[symbol] = 1;
                used++;
            }
        }
        while (true) {
            int[] lengths = optimalLengths(weights);
            int deepest = 0;
            for (int length : lengths) {
                deepest = Math.max(deepest, length);
            }
            if (deepest <= maxLength) {
                return lengths;
            }
            for (int symbol = 0; symbol < weights.length; symbol++) {
                if (weights[symbol] > 0) {
                    weights[symbol] = (weights[symbol] >> 1) | 1;
                }
            }
        }
    }

    /** Huffman's algorithm: the depth of each counted symbol in the tree it builds. */
    private static int[] optimalLengths(int[] weights) {
        int symbols = weights.length;
        // nodes 0..symbols-1 are leaves, the rest inner nodes; parent[] links them upwards
        int[] parent = new int[2 * symbols];
        long[] nodeWeight = new long[2 * symbols];
        PriorityQueue<long[]> queue =
                new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int symbol = 0; symbol < symbols; symbol++) {
            if (weights[symbol] > 0) {
                nodeWeight[symbol] = weights[symbol];
                queue.add(new long[] {weights[symbol], symbol});
            }
        }
        int next = symbols;
        while (queue.size() > 1) {
            int first = (int) queue.poll()[1];
            int second = (int) queue.poll()[1];
            nodeWeight[next] = nodeWeight[first] + nodeWeight[second];
            parent[first] = next;
            parent[second] = next;
            queue.add(new long[] {nodeWeight[next], next});
            next++;
        }
        int root = next - 1;
        int[] depth = new int[2 * symbols];
        for (int node = root - 1; node >= 0; node--) { // parents are numbered above their children
            if (node >= symbols || weights[node] > 0) {
                depth[node] = depth[parent[node]] + 1;
            }
        }
        int[] lengths = new int[symbols];
        for (int symbol = 0; symbol < symbols; symbol++) {
            lengths[symbol] = weights[symbol] > 0 ? depth[symbol] : 0;
        }
        return lengths;
    }

    /**
     * The canonical codes of {@code lengths}, bit-reversed: deflate sends a Huffman code from its
     * first bit on, into a stream filled from each byte's least significant bit.
     */
    static int[] reversedCodes(int[] lengths) {
        int maxLength = 0;
        for (int length : lengths) {
            maxLength = Math.max(maxLength, length);
        }
        int[] lengthCount = new int[maxLength + 1];
        for (int length : lengths) {
            lengthCount[length]++;
        }
        lengthCount[0] = 0;
        int[] nextCode = new int[maxLength + 2];
        int code = 0;
        for (int bits = 1; bits <= maxLength; bits++) {
            code = (code + lengthCount[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        int[] codes = new int[lengths.length];
        for (int symbol = 0; symbol < lengths.length; symbol++) {
            int length = lengths[symbol];
            if (length > 0) {
                codes[symbol] = Integer.reverse(nextCode[length]++) >>> (32 - length);
            }
        }
        return codes;
    }
}
