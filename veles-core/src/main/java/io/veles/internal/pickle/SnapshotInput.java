package io.veles.internal.pickle;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.Util;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.internal.util.ByteCounts;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Kryo input over a payload of known length. It reads primitive arrays in bulk and refuses a
 * declared array length that the bytes left cannot hold, before anything is allocated for it.
 *
 * <p>It also keeps the restore's two budgets, both proportional to the payload's size: the
 * memory allocated from declared lengths (an element slot counts even when it holds null, so
 * that many lists of nothing cannot fill the heap), and the work of hashing keys into hash
 * collections (see {@link HashKeys}).
 */
class SnapshotInput extends Input implements HashKeyBudget {
    /** Copies {@code count} elements from {@code bytes} into the array starting at {@code from}. */
    @FunctionalInterface
    interface ChunkReader {
        void get(ByteBuffer bytes, int from, int count);
    }

    /**
     * Unshuffles one shuffled block of {@code count} elements into {@code array} from element
     * {@code from}. The array is an argument, not captured, so that one instance per element type
     * serves every read (a method reference to {@link ByteShuffle}).
     */
    @FunctionalInterface
    interface BlockReader<A> {
        void unshuffle(byte[] block, A array, int from, int count);
    }

    /** Heap bytes a restore may allocate from declared lengths, per payload byte, plus {@link #SLACK}. */
    static final int ALLOCATION_PER_PAYLOAD_BYTE = 32;

    static final long SLACK = 1 << 20;

    private final long payloadLength;
    private long allocated;
    private long hashWork;

    private final boolean shuffled;
    private final ArraysAhead arraysAhead = new ArraysAhead();
    /** The unit being read, for refusals (null when no reader said): see {@link #where}. */
    private Supplier<String> unitName = () -> null;

    private final EarlyHashed earlyHashed = new EarlyHashed(this::unitName);
    private byte[] scratch;
    private byte[] shuffledBlock;

    SnapshotInput(InputStream source, int bufferSize, long payloadLength) {
        this(source, bufferSize, payloadLength, false);
    }

    /** {@code shuffled}: the writer filtered large numeric arrays with {@link ByteShuffle}. */
    SnapshotInput(InputStream source, int bufferSize, long payloadLength, boolean shuffled) {
        super(source, bufferSize);
        this.payloadLength = payloadLength;
        this.shuffled = shuffled;
    }

    /** Bytes of the payload consumed so far. */
    long consumed() {
        return total();
    }

    long remaining() {
        return payloadLength - total();
    }

    /**
     * Refuses a length that cannot be real: negative, more bytes than the payload has left, or
     * more than this JVM's heap could ever hold.
     */
    int checkedLength(int length, int width, String what) {
        return checkedLength(length, width, width, what);
    }

    /**
     * As {@link #checkedLength(int, int, String)}, and charges {@code heapBytesPerElement} for
     * each declared element to the restore's allocation budget before anything is allocated.
     */
    int checkedLength(int length, int width, int heapBytesPerElement, String what) {
        long bytes = (long) length * width;
        if (length < 0 || bytes > remaining()) {
            throw new CorruptSnapshotException("snapshot is corrupt: it declares " + what + " of " + length
                    + " elements, more than the " + remaining() + " bytes left can hold");
        }
        if (bytes > HeapLimit.maxBytes()) {
            throw new SnapshotException("snapshot holds " + what + " of " + ByteCounts.format(bytes)
                    + ", more than this JVM's whole heap (" + ByteCounts.format(HeapLimit.maxBytes())
                    + "); restore with a larger -Xmx");
        }
        allocate((long) length * heapBytesPerElement, what);
        return length;
    }

    /**
     * A new numeric array of {@code length} elements of {@code componentType}, each {@code width}
     * bytes in the payload, whose length was checked ({@link #checkedLength}); possibly allocated
     * ahead, on another thread ({@link ArraysAhead}).
     */
    Object newArray(Class<?> componentType, int length, int width) {
        return arraysAhead.newArray(componentType, length, width, remaining() - (long) length * width);
    }

    /** Stops allocating arrays ahead: the restore read its last, or failed. */
    void stopAllocatingAhead() {
        arraysAhead.close();
    }

    /**
     * Checks a declared length of an array that is copied out as it is read ({@link ArraySpill}),
     * never allocated: only that the payload left can hold it.
     */
    int checkedStreamedLength(int length, int width, String what) {
        if (length < 0 || (long) length * width > remaining()) {
            throw new CorruptSnapshotException("snapshot is corrupt: it declares " + what + " of " + length
                    + " elements, more than the " + remaining() + " bytes left can hold");
        }
        return length;
    }

    /** Charges {@code bytes} about to be allocated for {@code what}; refuses them past the budget. */
    void allocate(long bytes, String what) {
        allocated += bytes;
        long budget = ALLOCATION_PER_PAYLOAD_BYTE * payloadLength + SLACK;
        if (allocated > budget) {
            throw new SnapshotException(
                    "snapshot is refused: its declared lengths (" + what + " last) ask for more than "
                            + ByteCounts.format(budget) + ", " + ALLOCATION_PER_PAYLOAD_BYTE + " times its "
                            + ByteCounts.format(payloadLength) + " payload");
        }
    }

    /**
     * The two key classes last found by {@link HashKeys} to need no walk (no collection, map,
     * entry or record). Proving it asks three interface checks, each a scan of the class's
     * interfaces (tens of nanoseconds when it fails): a twentieth of reading many small maps,
     * whose keys are few classes.
     */
    private Class<?> plainKey;

    private Class<?> otherPlainKey;

    @Override
    public boolean isPlainKey(Class<?> keyClass) {
        return keyClass == plainKey || keyClass == otherPlainKey;
    }

    @Override
    public SnapshotException refused(String why) {
        return new SnapshotException("snapshot is refused: " + why);
    }

    @Override
    public void notePlainKey(Class<?> keyClass) {
        otherPlainKey = plainKey;
        plainKey = keyClass;
    }

    /** Takes the name of the unit being read from {@code unitName} (null outside units), for refusals. */
    void locatedBy(Supplier<String> unitName) {
        this.unitName = unitName;
    }

    /** The name of the unit being read, or null. */
    String unitName() {
        return unitName.get();
    }

    /** " (unit 'name')" for a refusal of what is being read, or "" when no reader said. */
    String where() {
        return PickleContext.inUnit(unitName.get());
    }

    /** The hash collections whose keys may have been hashed before they were whole; see {@link EarlyHashed}. */
    EarlyHashed earlyHashed() {
        return earlyHashed;
    }

    /** Charges {@code units} of hashing work for the keys of a {@code collection}; refuses them past the budget. */
    @Override
    public void hashWork(long units, Class<?> collection) {
        hashWork += units;
        long budget = HashKeyBudget.budget(payloadLength);
        if (hashWork > budget) {
            throw new SnapshotException(
                    "snapshot is refused: hashing the keys of a " + collection.getName() + " takes more than " + budget
                            + " steps, " + HASH_WORK_PER_PAYLOAD_BYTE + " per payload byte (colliding or deep keys)");
        }
    }

    /**
     * A byte array of a declared length (a byte[] field, BigInteger, BigDecimal), checked and
     * charged first; a large one possibly allocated ahead (quantized weights come in runs too).
     */
    @Override
    public byte[] readBytes(int length) {
        int checked = checkedLength(length, 1, "a byte array");
        byte[] bytes = (byte[]) newArray(byte.class, checked, 1);
        readBytes(bytes, 0, checked);
        return bytes;
    }

    /** A long array of a declared length (BitSet), checked and charged first. */
    @Override
    public long[] readLongs(int length) {
        return super.readLongs(checkedLength(length, 1, Long.BYTES, "a long array"));
    }

    @Override
    public long[] readLongs(int length, boolean variableLength) {
        return super.readLongs(checkedLength(length, 1, Long.BYTES, "a long array"), variableLength);
    }

    @Override
    public int[] readInts(int length) {
        return super.readInts(checkedLength(length, 1, Integer.BYTES, "an int array"));
    }

    @Override
    public int[] readInts(int length, boolean variableLength) {
        return super.readInts(checkedLength(length, 1, Integer.BYTES, "an int array"), variableLength);
    }

    /** A string builder, its declared length checked first as {@link #readString()} does. */
    @Override
    public StringBuilder readStringBuilder() {
        checkDeclaredString();
        return super.readStringBuilder();
    }

    /**
     * Reads a string, refusing first a UTF-8 string whose declared length the payload cannot
     * hold (Kryo allocates its characters from that length). ASCII strings grow as they are read.
     */
    @Override
    public String readString() {
        checkDeclaredString();
        return super.readString();
    }

    private void checkDeclaredString() {
        require((int) Math.min(5, Math.max(1, remaining())));
        int start = position;
        if (readVarIntFlag()) {
            int declared = readVarIntFlag(true);
            position = start;
            if (declared > 1) {
                checkedLength(declared - 1, 1, Character.BYTES, "a string");
            }
        } else {
            position = start;
        }
    }

    /**
     * {@code text} as Kryo's {@code Output.writeString} writes an ASCII string of 2 to 32
     * characters: its bytes, with no length, the last one marked by its high bit. Null for any
     * other string, which Kryo writes with its length first.
     */
    static byte[] asciiForm(String text) {
        int length = text.length();
        if (length < 2 || length > 32 || !Util.isAscii(text)) { // the test Kryo's writer makes
            return null;
        }
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        bytes[length - 1] |= (byte) 0x80;
        return bytes;
    }

    /**
     * Consumes the next string if it is the one whose {@link #asciiForm} is {@code ascii} and the
     * buffer holds it whole; otherwise consumes nothing. Its first byte has no high bit, so it
     * cannot be the start of a string written with its length, and its marked last byte is where
     * the string ends: matching the bytes is reading that string.
     */
    boolean skipAscii(byte[] ascii) {
        int length = ascii.length;
        if (limit - position < length || !Arrays.equals(buffer, position, position + length, ascii, 0, length)) {
            return false;
        }
        position += length;
        return true;
    }

    /** The next positive varint, without consuming it. */
    int peekVarInt() {
        require((int) Math.min(5, Math.max(1, remaining())));
        int start = position;
        int value = readVarInt(true);
        position = start;
        return value;
    }

    /** Reads {@code length} elements of {@code width} bytes each through {@code reader}. */
    void readArrayLE(int length, int width, ChunkReader reader) {
        readArrayLE(length, width, reader, null, null);
    }

    /**
     * As {@link #readArrayLE(int, int, ChunkReader)}, but shuffled blocks go to {@code blocks},
     * which unshuffles them straight into {@code array}, when not null.
     */
    <A> void readArrayLE(int length, int width, ChunkReader reader, A array, BlockReader<A> blocks) {
        if (shuffled && ByteShuffle.applies(length, width)) {
            readShuffled(length, width, reader, array, blocks);
            return;
        }
        int done = 0;
        while (done < length) {
            require(width);
            int count = Math.min((limit - position) / width, length - done);
            reader.get(ByteBuffer.wrap(buffer, position, count * width).order(ByteOrder.LITTLE_ENDIAN), done, count);
            position += count * width;
            done += count;
        }
    }

    private <A> void readShuffled(int length, int width, ChunkReader reader, A array, BlockReader<A> blocks) {
        int perBlock = ByteShuffle.elementsPerBlock(width);
        int blockBytes = Math.min(length, perBlock) * width;
        if (shuffledBlock == null || shuffledBlock.length < blockBytes) {
            shuffledBlock = new byte[blockBytes];
        }
        if (blocks == null && (scratch == null || scratch.length < blockBytes)) {
            scratch = new byte[blockBytes];
        }
        for (int done = 0; done < length; ) {
            int count = Math.min(perBlock, length - done);
            int bytes = count * width;
            readThrough(shuffledBlock, bytes);
            if (blocks != null) {
                blocks.unshuffle(shuffledBlock, array, done, count);
            } else {
                ByteShuffle.unshuffle(shuffledBlock, 0, scratch, 0, count, width);
                reader.get(ByteBuffer.wrap(scratch, 0, bytes).order(ByteOrder.LITTLE_ENDIAN), done, count);
            }
            done += count;
        }
    }

    /**
     * Reads {@code length} bytes into {@code bytes}: what the buffer holds, then the rest straight
     * from the stream, not through the 64 KiB buffer (a shuffled block is megabytes).
     */
    private void readThrough(byte[] bytes, int length) {
        int buffered = Math.min(limit - position, length);
        System.arraycopy(buffer, position, bytes, 0, buffered);
        position += buffered;
        if (buffered == length) {
            return;
        }
        total += position;
        position = 0;
        limit = 0;
        for (int done = buffered; done < length; ) {
            int n = fill(bytes, done, length - done);
            if (n < 0) {
                throw new KryoException("Buffer underflow.");
            }
            done += n;
            total += n;
        }
    }
}
