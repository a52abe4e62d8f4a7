package io.veles.internal.pickle;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The shuffle blocks that a payload was written without: an asynchronous snapshot's copy keeps
 * its large numeric arrays as they are in memory, and {@link #applyTo} shuffles them on the
 * background thread as the copy streams out. The shuffle took 85% of the pause that the run waits
 * for (1 GiB of floats: 0.48 of 0.57 s), and shuffling later leaves the pause a memory copy.
 *
 * <p>Blocks are recorded in stream order by the payload's writer, at their offsets in the whole
 * stream (the container), and are cut exactly as {@link SnapshotOutput} cuts them when it
 * shuffles at once, so that the bytes that come out are the same.
 */
public final class DeferredShuffle {
    private final long payloadStart;
    private long[] offsets = new long[16];
    private int[] counts = new int[16];
    private byte[] widths = new byte[16];
    private int size;

    /** For a payload that starts {@code payloadStart} bytes into the stream. */
    public DeferredShuffle(long payloadStart) {
        this.payloadStart = payloadStart;
    }

    /** Notes an array of {@code length} elements of {@code width} bytes at {@code payloadOffset}, block by block. */
    void addArray(long payloadOffset, int length, int width) {
        int perBlock = ByteShuffle.elementsPerBlock(width);
        long offset = payloadStart + payloadOffset;
        for (int done = 0; done < length; ) {
            int count = Math.min(perBlock, length - done);
            add(offset, count, width);
            offset += (long) count * width;
            done += count;
        }
    }

    private void add(long offset, int count, int width) {
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, 2 * size);
            counts = Arrays.copyOf(counts, 2 * size);
            widths = Arrays.copyOf(widths, 2 * size);
        }
        offsets[size] = offset;
        counts[size] = count;
        widths[size] = (byte) width;
        size++;
    }

    /** Blocks recorded. */
    int blocks() {
        return size;
    }

    /**
     * A stream that passes the unshuffled stream on to {@code downstream} with every recorded
     * block shuffled. Closing it checks that the stream covered every block, and does not close
     * {@code downstream}.
     */
    public OutputStream applyTo(OutputStream downstream) {
        return new Shuffling(downstream);
    }

    private final class Shuffling extends FilterOutputStream {
        private long position;
        private int next;
        /** The block being gathered and its bytes so far; gathered is -1 outside a block. */
        private int gathered = -1;

        private byte[] block;
        private byte[] shuffled;

        Shuffling(OutputStream downstream) {
            super(downstream);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                int taken = gathered >= 0 ? gather(bytes, offset, length) : pass(bytes, offset, length);
                position += taken;
                offset += taken;
                length -= taken;
            }
        }

        /** Passes bytes up to the next block on; starts the block when the stream reaches it. */
        private int pass(byte[] bytes, int offset, int length) throws IOException {
            long until = next < size ? offsets[next] - position : Long.MAX_VALUE;
            if (until < 0) {
                throw new IllegalStateException(
                        "shuffle block " + next + " was noted at byte " + offsets[next] + ", inside the one before it");
            }
            if (until == 0) {
                int blockBytes = counts[next] * widths[next];
                if (block == null || block.length < blockBytes) {
                    block = new byte[blockBytes];
                    shuffled = new byte[blockBytes];
                }
                gathered = 0;
                return 0;
            }
            int n = (int) Math.min(length, until);
            out.write(bytes, offset, n);
            return n;
        }

        /** Copies bytes of the current block; shuffles and passes it on once it is whole. */
        private int gather(byte[] bytes, int offset, int length) throws IOException {
            int count = counts[next];
            int width = widths[next];
            int n = Math.min(length, count * width - gathered);
            System.arraycopy(bytes, offset, block, gathered, n);
            gathered += n;
            if (gathered == count * width) {
                ByteShuffle.shuffle(block, 0, shuffled, 0, count, width);
                out.write(shuffled, 0, gathered);
                gathered = -1;
                next++;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            flush();
            if (next < size) {
                throw new IllegalStateException("the copy ended at byte " + position + ", before shuffle block " + next
                        + " of " + size + " at byte " + offsets[next]);
            }
        }
    }
}
