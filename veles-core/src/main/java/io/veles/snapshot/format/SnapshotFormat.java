package io.veles.snapshot.format;

import java.nio.charset.StandardCharsets;

/**
 * The layout of the bytes inside a snapshot's codec stream. All integers are big-endian.
 *
 * <pre>
 * magic            8 bytes   0x89 'V' 'E' 'L' 'E' 'S' '\r' '\n'
 * version          u16       how the payload is written: {@link #VERSION} when written; a converted
 *                            copy keeps its source's (3 for sources of versions 1 to 3)
 * flags            u16       bit 0: signed ({@link #FLAG_SIGNED}); bit 1: code backup
 *                            ({@link #FLAG_CODE}); bit 2: large numeric arrays byte-shuffled
 *                            ({@link #FLAG_SHUFFLE}); others reserved, 0
 * manifest length  u32       at most {@link #MAX_MANIFEST_BYTES}
 * manifest         UTF-8 JSON, see {@link Manifest}; since version 3 its units in columns
 *                  ({@code io.veles.internal.format.UnitColumns})
 * header CRC       u32       CRC32C of every byte above
 * payload length   u64
 * payload          the serialized graph (io.veles.pickle)
 * code length      u64       only with a code backup
 * code             a zip of the workflow's code ({@link CodeBackup}), only with a code backup
 * trailer magic    8 bytes   'V' 'E' 'L' 'E' 'S' 'E' 'N' 'D'
 * total length     u64       bytes before the trailer
 * CRC              u32       CRC32C of every byte before the trailer
 * signature        32 bytes  only when signed: HMAC-SHA256 of every byte before the trailer
 * </pre>
 *
 * <p><b>Differential snapshots</b> (since version 2, flag {@link #FLAG_DELTA}) hold the container above
 * (the "logical" container: the bytes a standalone snapshot of the same state would hold, signed
 * and checksummed as one) cut into content-defined blocks, each either stored here or referenced
 * in an earlier snapshot of the chain that the manifest names ({@link Manifest#chain}):
 *
 * <pre>
 * magic, version, flags, manifest length, manifest, header CRC    as above; flags also carry the
 *                                                                logical container's code and
 *                                                                shuffle bits
 * records, in the logical container's order:
 *   u8 {@link #RECORD_LITERAL}    u32 length, the block's bytes
 *   u8 {@link #RECORD_REFERENCE}  u32 length, u16 holder (index into the manifest's chain),
 *                                 u64 offset of the bytes in the holder's uncompressed stream
 *   u8 {@link #RECORD_END}        u64 length of the logical container
 * trailer          as above, over this file's bytes
 * </pre>
 *
 * A reference always points at bytes stored literally in its holder: in a standalone holder, at
 * their place in its container; in a differential one, inside one of its literal records. So a
 * restore reads each file of the chain once, in any order.
 *
 * <p>The manifest and payload length come first so that listing tools read a few kilobytes, and so
 * that a reader knows how much payload to expect before it allocates anything. The first byte is
 * not ASCII and matches no codec's magic, so uncompressed snapshots are recognised too.
 */
public final class SnapshotFormat {
    public static final byte[] MAGIC = {(byte) 0x89, 'V', 'E', 'L', 'E', 'S', '\r', '\n'};
    public static final byte[] TRAILER_MAGIC = "VELESEND".getBytes(StandardCharsets.US_ASCII);
    /**
     * The version written, 5: the payload as version 4's, and a manifest whose {@link
     * Manifest#genericFields} a reader must apply (a reader of version 4 would drop them when it
     * converts or continues a chain, and the next restore would skip the check they allow), read
     * by a reader that keeps a shared {@code Arrays.asList} one list (one of version 4 splits it).
     * So a reader of version 4 refuses these files by their version instead of misreading them.
     * Versions 1 (no differential snapshots), 2 (units as a list of objects in the manifest), 3
     * (units in columns, {@code io.veles.internal.format.UnitColumns}; cells field by field) and 4
     * (the engine's boolean cells, {@code Bool}, in a byte each: {@code
     * io.veles.internal.pickle.BoolLayout}) are read too.
     */
    public static final int VERSION = 5;
    /** Header flag: the trailer ends with an HMAC-SHA256 signature ({@link SnapshotKey}). */
    public static final int FLAG_SIGNED = 1;
    /** Header flag: a code backup follows the payload ({@link CodeBackup}). */
    public static final int FLAG_CODE = 2;
    /**
     * Header flag: numeric arrays of {@link #SHUFFLE_MIN_ARRAY_BYTES} and more are byte-shuffled in
     * blocks of {@link #SHUFFLE_BLOCK_BYTES}.
     */
    public static final int FLAG_SHUFFLE = 4;
    /**
     * Bytes per shuffled block (4 MiB); writer and reader cut arrays identically by it. Large, so
     * that each byte plane spans many deflate blocks with one set of statistics: on N(0, 0.05)
     * weights with gzip, 32 KiB blocks saved 4.5% over plain gzip, 1 MiB blocks 9.7%, 4 MiB blocks
     * (the codecs' block size) 9.9%.
     */
    public static final int SHUFFLE_BLOCK_BYTES = 4 << 20;
    /** Numeric arrays below this many bytes (4 KiB) are not worth the shuffle and stay as they are. */
    public static final int SHUFFLE_MIN_ARRAY_BYTES = 4 << 10;
    /** Header flag (since version 2): a differential snapshot, made of blocks and references (see above). */
    public static final int FLAG_DELTA = 8;
    /** All flags this version knows. */
    public static final int KNOWN_FLAGS = FLAG_SIGNED | FLAG_CODE | FLAG_SHUFFLE | FLAG_DELTA;

    /** Differential record: the end, with the logical container's length. */
    public static final int RECORD_END = 0;
    /** Differential record: a block's bytes, stored here. */
    public static final int RECORD_LITERAL = 1;
    /** Differential record: a block stored in a snapshot of the chain. */
    public static final int RECORD_REFERENCE = 2;
    /** The largest block a differential record may hold or reference (the chunker cuts at 1 MiB). */
    public static final int MAX_BLOCK_BYTES = 16 << 20;
    /** The longest chain a differential snapshot may name. */
    public static final int MAX_CHAIN = 1000;

    public static final int MAX_MANIFEST_BYTES = 64 << 20;
    /** The largest code backup a reader accepts. */
    public static final int MAX_CODE_BYTES = 1 << 30;
    /** Bytes of the trailer: magic, total length, CRC. */
    public static final int TRAILER_BYTES = 8 + 8 + 4;

    private SnapshotFormat() {}
}
