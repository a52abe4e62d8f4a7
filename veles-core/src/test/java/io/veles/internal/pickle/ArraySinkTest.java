package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Arrays encoded straight into an {@link ArraySink} come out as the same bytes as through the
 * buffer, whatever the element width and wherever the sink's pieces end: pieces of 1,000 bytes
 * make elements of 8, 4 and 2 bytes straddle their ends at every offset.
 */
class ArraySinkTest {
    private static final int BUFFER = 256; // arrays above this go into the sink directly

    /**
     * Pieces of {@code size} bytes, as the asynchronous copy holds (there 256 KiB). With
     * {@code deferFills}, fills run only in {@link #bytes}, the last first.
     */
    private static final class Pieces extends OutputStream implements ArraySink {
        private final List<ByteBuffer> full = new ArrayList<>();
        private final List<Runnable> fills = new ArrayList<>();
        private final int size;
        private final boolean deferFills;
        private ByteBuffer current;
        int claims;

        Pieces(int size, boolean deferFills) {
            this.size = size;
            this.deferFills = deferFills;
        }

        private void ensureRoom() {
            if (current == null || !current.hasRemaining()) {
                if (current != null) {
                    full.add(current); // kept, not copied out: a deferred fill may not have run yet
                }
                current = ByteBuffer.allocate(size);
            }
        }

        @Override
        public void write(int b) {
            ensureRoom();
            current.put((byte) b);
        }

        @Override
        public ByteBuffer claim() {
            ensureRoom();
            claims++;
            return current.slice().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void commit(int bytes) {
            current.position(current.position() + bytes);
        }

        @Override
        public void fill(Runnable fill) {
            if (deferFills) {
                fills.add(fill);
            } else {
                fill.run();
            }
        }

        byte[] bytes() {
            for (int i = fills.size() - 1; i >= 0; i--) {
                fills.get(i).run();
            }
            fills.clear();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (ByteBuffer piece : full) {
                all.write(piece.array(), 0, piece.position());
            }
            if (current != null) {
                all.write(current.array(), 0, current.position());
            }
            return all.toByteArray();
        }
    }

    /** Also with fills deferred, as an asynchronous snapshot's copy defers them: commit first, bytes later. */
    @ParameterizedTest(name = "fills deferred: {0}")
    @ValueSource(booleans = {false, true})
    void arraysOfEveryWidthComeOutAsThroughTheBufferAcrossPieceEnds(boolean deferFills) {
        SplittableRandom random = new SplittableRandom(11);
        for (int prefix = 0; prefix < 9; prefix++) {
            Pieces pieces = new Pieces(1000, deferFills);
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            SnapshotOutput direct = new SnapshotOutput(pieces, BUFFER);
            SnapshotOutput buffered = new SnapshotOutput(plain, BUFFER);
            for (SnapshotOutput out : new SnapshotOutput[] {direct, buffered}) {
                out.writeBytes(new byte[prefix]); // moves where the arrays start in a piece
            }
            for (int round = 0; round < 12; round++) {
                int length = random.nextInt(1, 3000);
                double[] doubles = random.doubles(length).toArray();
                float[] floats = new float[length];
                short[] shorts = new short[length];
                for (int i = 0; i < length; i++) {
                    floats[i] = (float) random.nextGaussian();
                    shorts[i] = (short) random.nextInt();
                }
                byte odd = (byte) random.nextInt(); // one byte between arrays: every alignment
                for (SnapshotOutput out : new SnapshotOutput[] {direct, buffered}) {
                    out.writeArrayLE(
                            length,
                            8,
                            (bytes, from, n) -> bytes.asDoubleBuffer().put(doubles, from, n));
                    out.writeByte(odd);
                    out.writeArrayLE(
                            length, 4, (bytes, from, n) -> bytes.asFloatBuffer().put(floats, from, n));
                    out.writeArrayLE(
                            length, 2, (bytes, from, n) -> bytes.asShortBuffer().put(shorts, from, n));
                }
            }
            direct.flush();
            buffered.flush();
            assertThat(direct.written()).isEqualTo(buffered.written());
            assertThat(pieces.bytes()).isEqualTo(plain.toByteArray());
            assertThat(pieces.claims).as("arrays went into the sink's pieces").isGreaterThan(12);
        }
    }
}
