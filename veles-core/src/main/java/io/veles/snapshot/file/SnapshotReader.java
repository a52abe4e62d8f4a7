package io.veles.snapshot.file;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.pickle.GraphReader;
import io.veles.internal.pickle.HeapLimit;
import io.veles.internal.pickle.SavedGraphReader;
import io.veles.internal.util.Closeables;
import io.veles.pickle.ArraySpill;
import io.veles.pickle.ClassAllowList;
import io.veles.pickle.RestoreReport;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedGraph;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.ClassDescription;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.workflow.Workflow;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads one snapshot: the codec is detected from the first bytes, the manifest is read and checked
 * at once; then either {@link #restore} or {@link #verify} reads the payload and the trailer. A
 * truncated or altered snapshot ends in a {@link SnapshotException} naming the source and the
 * problem, and nothing read from it is handed out.
 */
public final class SnapshotReader implements Closeable {
    private final String source;

    /**
     * For the state a differential snapshot assembles from its chain: the chain's snapshots, named
     * when the assembled bytes fail their checksum (the file itself was checked whole before).
     * Null for a snapshot read as it is stored.
     */
    private String assembledFrom;

    private final Codec codec;
    private final CrcInputStream content;
    private final Manifest manifest;
    private final long payloadLength;
    private final boolean signed;
    private final boolean checkSignature;
    private final boolean hasCode;
    private final boolean shuffled;
    private final SnapshotKey key;
    private final ReadHeader readHeader; // what open() read, for a chain's walk from offset 0
    private boolean payloadRead;
    /** Set by {@link #close}: the payload's stream is gone. */
    private boolean closed;

    private InputStream trailerSource; // where the trailer is read: the content, or a walk's tee of it
    private Bases bases; // a differential snapshot's chain, by key
    private SnapshotReader logical; // a differential snapshot's assembled container
    private final java.util.Set<String> chainRead = new java.util.HashSet<>(); // files of the chain its assembly read

    private SnapshotReader(
            String source,
            Codec codec,
            CrcInputStream content,
            Manifest manifest,
            long payloadLength,
            boolean signed,
            boolean checkSignature,
            boolean hasCode,
            boolean shuffled,
            SnapshotKey key,
            ReadHeader readHeader) {
        this.key = key;
        this.readHeader = readHeader;
        this.trailerSource = content;
        this.hasCode = hasCode;
        this.shuffled = shuffled;
        this.source = source;
        this.codec = codec;
        this.content = content;
        this.manifest = manifest;
        this.payloadLength = payloadLength;
        this.signed = signed;
        this.checkSignature = checkSignature;
    }

    /**
     * Decoded bytes read past a wrong magic number to find a codec error: two of our 4 MiB blocks,
     * so damage in a snapshot written in parallel blocks is named. A larger block (a snapshot
     * written on one core, a file recompressed by a tool) may end beyond it, and is then still
     * called foreign.
     */
    private static final long DAMAGE_PROBE_BYTES = 8 << 20;

    /**
     * Opens a snapshot from {@code raw}, reading its header and manifest. {@code source} names it
     * in messages (a path, a table row). Closes {@code raw} if opening fails.
     */
    public static SnapshotReader open(InputStream raw, String source) {
        return open(raw, source, null);
    }

    /**
     * Opens a snapshot that must be signed with {@code key} (unless null): an unsigned one is
     * refused here, a wrongly signed or altered one when its trailer is read.
     */
    public static SnapshotReader open(InputStream raw, String source, SnapshotKey key) {
        Codec codec = Codec.NONE;
        // what a failure closes: the decoder once made (its threads and native context with it), which closes raw
        InputStream opened = raw;
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(Codec.MAGIC_LENGTH);
            byte[] head = buffered.readNBytes(Codec.MAGIC_LENGTH);
            buffered.reset();
            if (head.length == 0) {
                throw new CorruptSnapshotException(source + " is empty");
            }
            Optional<Codec> detected = Codec.detect(head, head.length);
            codec = detected.orElse(Codec.NONE);
            InputStream plain = detected.isPresent() ? codec.decompress(buffered) : buffered;
            opened = plain;
            CrcInputStream content = new CrcInputStream(plain, key == null ? null : key.newMac());
            DataInputStream data = new DataInputStream(content);

            byte[] magic = content.readNBytes(SnapshotFormat.MAGIC.length);
            if (!Arrays.equals(magic, SnapshotFormat.MAGIC)) {
                if (codec != Codec.NONE) {
                    // Damage inside a compressed block first shows as wrong bytes, and as a CRC
                    // error only at the block's end: read on to it, so that a damaged snapshot is
                    // called corrupt (the IOException below), not foreign.
                    content.skip(DAMAGE_PROBE_BYTES);
                }
                throw new CorruptSnapshotException(source
                        + (codec == Codec.NONE
                                ? " is not a veles snapshot"
                                : " holds " + codec.argument() + " data that is not a veles snapshot"));
            }
            int version = data.readUnsignedShort();
            if (version < 1) {
                throw new CorruptSnapshotException(source + " is corrupt: its header names format version 0");
            }
            int flags = data.readUnsignedShort();
            if (version > SnapshotFormat.VERSION || (flags & ~SnapshotFormat.KNOWN_FLAGS) != 0) {
                throw newerOrCorrupt(source, version, flags, content, data);
            }
            boolean signed = (flags & SnapshotFormat.FLAG_SIGNED) != 0;
            boolean hasCode = (flags & SnapshotFormat.FLAG_CODE) != 0;
            boolean shuffled = (flags & SnapshotFormat.FLAG_SHUFFLE) != 0;
            boolean differential = (flags & SnapshotFormat.FLAG_DELTA) != 0;
            if (differential && version < 2) {
                throw new CorruptSnapshotException(
                        source + " is corrupt: a format " + version + " header cannot mark a differential snapshot");
            }
            if (key != null && !signed) {
                throw new SnapshotException(
                        source + " is not signed; with a snapshot key, only snapshots signed with it are accepted");
            }
            int manifestLength = data.readInt();
            if (manifestLength < 2 || manifestLength > SnapshotFormat.MAX_MANIFEST_BYTES) {
                throw new CorruptSnapshotException(
                        source + " is corrupt: its manifest length " + manifestLength + " is impossible");
            }
            byte[] manifestBytes = new byte[manifestLength];
            data.readFully(manifestBytes);
            int expectedCrc = content.crc();
            if (data.readInt() != expectedCrc) {
                throw new CorruptSnapshotException(source + " is corrupt: its manifest does not match its checksum");
            }
            Manifest manifest = SnapshotWriter.JSON.readValue(manifestBytes, Manifest.class);
            checkShape(source, manifest);
            checkChain(source, manifest, differential);
            long payloadLength = differential ? manifest.payloadBytes : data.readLong();
            if (payloadLength < 0 || payloadLength != manifest.payloadBytes) {
                throw new CorruptSnapshotException(
                        source + " is corrupt: its payload length " + payloadLength + " disagrees with its manifest");
            }
            ReadHeader header =
                    new ReadHeader(version, flags, manifestBytes, expectedCrc, differential ? -1 : payloadLength);
            return new SnapshotReader(
                    source,
                    codec,
                    content,
                    manifest,
                    payloadLength,
                    signed,
                    key != null,
                    hasCode,
                    shuffled,
                    key,
                    header);
        } catch (SnapshotException e) {
            Closeables.closeQuietly(opened);
            throw e;
        } catch (JacksonException e) {
            Closeables.closeQuietly(opened);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SnapshotException) { // a part of the manifest refused it, saying why
                    SnapshotException refusal = (SnapshotException) cause;
                    SnapshotException named = refusal.reworded(source
                            + (refusal instanceof CorruptSnapshotException ? " is corrupt: " : " cannot be read: ")
                            + refusal.getMessage());
                    named.addSuppressed(e); // where in the JSON, for --debug
                    throw named;
                }
            }
            throw new CorruptSnapshotException(source + " is corrupt: its manifest is not valid JSON", e);
        } catch (IOException e) {
            Closeables.closeQuietly(opened);
            throw integrityError(source, codec, e);
        } catch (RuntimeException | Error e) {
            Closeables.closeQuietly(opened); // a decoder's own failure on damaged input
            throw e;
        }
    }

    /**
     * The lists every reader walks are there and hold no nulls: JSON may say {@code "units": null}
     * or {@code [null]}, which every writer of ours never does, and which would otherwise surface
     * as a NullPointerException far from the file.
     */
    private static void checkShape(String source, Manifest manifest) {
        String missing = null;
        if (manifest.units == null || manifest.units.contains(null)) {
            missing = "units";
        } else if (manifest.classes == null || manifest.classes.contains(null)) {
            missing = "classes";
        } else {
            for (ClassDescription description : manifest.classes) {
                if (description.name() == null
                        || description.fields() == null
                        || description.fields().stream()
                                .anyMatch(field -> field == null || field.name() == null || field.type() == null)) {
                    missing = "classes";
                    break;
                }
            }
        }
        if (missing != null) {
            throw new CorruptSnapshotException(
                    source + " is corrupt: its manifest's " + missing + " list is missing or holds an empty entry");
        }
        // (a name is optional: a library's caller may write a snapshot without one)
        if (manifest.workflowClass == null || manifest.info == null) {
            throw new CorruptSnapshotException(source + " is corrupt: its manifest has no "
                    + (manifest.workflowClass == null ? "workflowClass" : "info"));
        }
        checkCreated(source, manifest.created);
    }

    /**
     * A creation time that parses must lie within years 1 to 9999, as every veles writes it:
     * listings, retention and reports compute with it in milliseconds. One that does not parse
     * is left to them, which fall back to the store's time.
     */
    private static final java.time.Instant EARLIEST_CREATED = java.time.Instant.parse("0001-01-01T00:00:00Z");

    private static final java.time.Instant LATEST_CREATED = java.time.Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static void checkCreated(String source, String created) {
        java.time.Instant instant;
        try {
            instant = created == null ? null : java.time.Instant.parse(created);
        } catch (java.time.format.DateTimeParseException e) {
            return;
        }
        if (instant != null && (instant.isBefore(EARLIEST_CREATED) || instant.isAfter(LATEST_CREATED))) {
            throw new CorruptSnapshotException(
                    source + " is corrupt: its manifest's creation time " + created + " is out of range");
        }
    }

    /** A differential snapshot names its base and chain; a standalone one names neither. */
    private static void checkChain(String source, Manifest manifest, boolean differential) {
        if (!differential) {
            if (manifest.base != null || manifest.chain != null) {
                throw new CorruptSnapshotException(
                        source + " is corrupt: a standalone snapshot's manifest names a base");
            }
            return;
        }
        List<String> chain = manifest.chain;
        if (manifest.base == null
                || chain == null
                || chain.isEmpty()
                || chain.size() > SnapshotFormat.MAX_CHAIN
                || !manifest.base.equals(chain.get(0))
                || chain.contains(null)) {
            throw new CorruptSnapshotException(
                    source + " is corrupt: a differential snapshot's manifest must name its base first in its chain");
        }
        if (new java.util.HashSet<>(chain).size() != chain.size()) { // each file would be read once per mention
            throw new CorruptSnapshotException(
                    source + " is corrupt: its manifest names a snapshot twice in its chain");
        }
    }

    /**
     * The header's fields as open() read them, its bytes rebuilt only for a chain's walk: a
     * manifest of many units is a large array, and a plain restore never needs a second copy.
     */
    private record ReadHeader(int version, int flags, byte[] manifest, int crc, long payloadLength) {
        /** The header's bytes; the payload length only for a standalone snapshot. */
        byte[] bytes() throws IOException {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(manifest.length + 32);
            DataOutputStream data = new DataOutputStream(bytes);
            data.write(SnapshotFormat.MAGIC);
            data.writeShort(version);
            data.writeShort(flags);
            data.writeInt(manifest.length);
            data.write(manifest);
            data.writeInt(crc);
            if (payloadLength >= 0) {
                data.writeLong(payloadLength);
            }
            return bytes.toByteArray();
        }

        /** The length of {@link #bytes()}, without building them. */
        int length() {
            return SnapshotFormat.MAGIC.length + 2 + 2 + 4 + manifest.length + 4 + (payloadLength >= 0 ? 8 : 0);
        }
    }

    /**
     * The manifest. A differential snapshot's names its {@link Manifest#base base} and
     * {@link Manifest#chain chain}; the rest describes the state it holds, as a standalone one's.
     */
    public Manifest manifest() {
        return manifest;
    }

    /** True for a differential snapshot: reading its state needs its chain ({@link #withBases}). */
    public boolean isDifferential() {
        return manifest.isDifferential();
    }

    /**
     * Opens the snapshots of a differential snapshot's chain, by their {@code StoredSnapshot.key()},
     * in the store that holds it.
     */
    @FunctionalInterface
    public interface Bases {
        /**
         * Opens the snapshot stored under {@code key} (its header read, as {@link #open} does,
         * checked against the same key), or throws a one-line {@link SnapshotException} naming it
         * when it is missing.
         */
        SnapshotReader open(String key, SnapshotKey snapshotKey);
    }

    /**
     * Lets this differential snapshot read its chain through {@code chain}; returns this reader.
     * Its state is then read as a standalone snapshot's: every file of the chain it needs is
     * read once and checked whole (checksums, and signature with a key) into a private temporary
     * under {@code java.io.tmpdir}, before any of it is deserialized.
     */
    public SnapshotReader withBases(Bases chain) {
        this.bases = chain;
        return this;
    }

    /**
     * A differential snapshot's state, assembled from its chain and checked before it is
     * returned; closed with this reader.
     */
    SnapshotReader logical() {
        startPayload();
        if (bases == null) {
            throw new SnapshotException(source + " is a differential snapshot of " + manifest.base
                    + ": open it through the store that holds its chain");
        }
        logical = ChainAssembly.assemble(this, bases, key, chainRead);
        return logical;
    }

    /**
     * Reads the rest of this snapshot's uncompressed stream, handing every byte of it to
     * {@code sink} with its offset (the header's first), then checks the trailer: how a file of a
     * chain gives up the blocks a differential snapshot references.
     */
    void walk(ChainAssembly.StreamSink sink) throws IOException {
        startPayload();
        byte[] header = readHeader.bytes();
        sink.accept(0, header, 0, header.length);
        ChainAssembly.Tee tee = new ChainAssembly.Tee(content, sink, header.length);
        trailerSource = tee;
        DataInputStream data = new DataInputStream(tee);
        if (isDifferential()) {
            ChainAssembly.readRecords(this, data, null);
        } else {
            tee.skipExactly(payloadLength, source);
            if (hasCode) {
                long length = data.readLong();
                if (length < 0 || length > SnapshotFormat.MAX_CODE_BYTES) {
                    throw new CorruptSnapshotException(
                            source + " is corrupt: its code backup length " + length + " is impossible");
                }
                tee.skipExactly(length, source);
            }
        }
        checkTrailer();
    }

    CrcInputStream content() {
        return content;
    }

    /** The length of the header open() read, up to the payload. */
    int headerLength() {
        return readHeader.length();
    }

    /** The format version of this file, as its header says (1 to {@link SnapshotFormat#VERSION}). */
    public int formatVersion() {
        return readHeader.version();
    }

    /** The length of the manifest's JSON open() read. */
    int manifestLength() {
        return readHeader.manifest().length;
    }

    long payloadLength() {
        return payloadLength;
    }

    /** The codec detected from the bytes. */
    public Codec codec() {
        return codec;
    }

    /** Marks this reader as the state assembled from {@code chain}, for what its checksum failure says. */
    void assembledFrom(List<String> chain) {
        this.assembledFrom = String.join(", ", chain);
    }

    public String source() {
        return source;
    }

    /** True if the snapshot carries a backup of its workflow's code. */
    public boolean hasCodeBackup() {
        return hasCode;
    }

    /**
     * Reads the whole snapshot, checks it as {@link #verify} does, and returns its code backup (a
     * zip for {@link io.veles.snapshot.format.CodeBackup#extract}); nothing of it is loaded.
     */
    public byte[] readCodeBackup() {
        if (isDifferential() && hasCode) {
            return logical().readCodeBackup();
        }
        if (!hasCode) {
            throw new SnapshotException(
                    source + " carries no code backup (take snapshots with snapshotter.code_backup=true)");
        }
        startPayload();
        try {
            skipFully(content.limit(payloadLength), payloadLength);
            byte[] code = readCode();
            checkTrailer();
            return code;
        } catch (IOException e) {
            throw integrityError(source, codec, e);
        }
    }

    /** A restored workflow, with what the restore noticed about code changes since the snapshot. */
    public record Restored(Workflow workflow, RestoreReport report) {}

    /** True if the snapshot carries a signature (checked only when opened with a key). */
    public boolean isSigned() {
        return signed;
    }

    /** Restores the workflow, instantiating only classes that {@code allowList} allows. */
    public Restored restore(ClassAllowList allowList) {
        return restore(RestoreRules.allowing(allowList));
    }

    /**
     * Restores the workflow, mapping and allowing classes by {@code rules}. The trailer is checked
     * before the workflow is returned.
     */
    public Restored restore(RestoreRules rules) {
        HeapLimit.checkPayload(source, payloadLength);
        if (isDifferential()) {
            return logical().restore(rules);
        }
        startPayload();
        CrcInputStream.Limited payload = content.limit(payloadLength);
        GraphReader.Restored restored;
        try {
            restored = GraphReader.read(
                    payload,
                    payloadLength,
                    formatVersion(),
                    manifest.classes,
                    manifest.units,
                    manifest.arrayElementsFinal,
                    manifest.genericFields,
                    rules,
                    shuffled);
            checkRoot(restored.workflow().getClass(), rules);
        } catch (SnapshotException e) {
            // A damaged payload can fail in any way; if the bytes do not check out, say that instead.
            throw whyPayloadFailed(e, payload);
        }
        skipCode();
        checkTrailer();
        return new Restored(restored.workflow(), restored.report());
    }

    /**
     * The payload's main workflow must be of the class the manifest names: callers choose the
     * allow-list and the workflow type from the manifest, and a forged one must not smuggle in
     * another root under them.
     */
    private void checkRoot(Class<?> root, RestoreRules rules) {
        String named = manifest.workflowClass == null ? null : rules.currentName(manifest.workflowClass);
        String actual = root.getName();
        if (!actual.equals(named)) {
            throw new CorruptSnapshotException(
                    "its payload's main workflow is a " + actual + " but its manifest names " + manifest.workflowClass);
        }
    }

    /**
     * Reads the state as data, running none of the workflow's code (see {@link SavedGraph}), for
     * tools that only look at it; classes load as {@code rules} allow. The trailer is checked
     * before the state is returned.
     */
    public SavedGraph readSaved(RestoreRules rules) {
        return readSaved(rules, null);
    }

    /**
     * As {@link #readSaved(RestoreRules)}; with {@code spill} not null, numeric arrays are copied
     * there as they are read (see {@code SavedGraphReader.read}), so that a state larger than the heap
     * can be read.
     */
    public SavedGraph readSaved(RestoreRules rules, ArraySpill spill) {
        if (spill == null) {
            HeapLimit.checkPayload(source, payloadLength);
        }
        if (isDifferential()) {
            return logical().readSaved(rules, spill);
        }
        startPayload();
        CrcInputStream.Limited payload = content.limit(payloadLength);
        SavedGraph saved;
        try {
            saved = SavedGraphReader.read(
                    payload,
                    payloadLength,
                    formatVersion(),
                    manifest.classes,
                    manifest.units,
                    manifest.arrayElementsFinal,
                    rules,
                    shuffled,
                    spill);
            checkRoot(saved.root().type(), rules);
        } catch (SnapshotException e) {
            throw whyPayloadFailed(e, payload);
        }
        skipCode();
        checkTrailer();
        return saved;
    }

    /**
     * Writes this snapshot again as a stream of {@code codec} at {@code level} into {@code sink}
     * (closed at the end), with the manifest's codec and level updated and new checksums; the
     * payload's bytes are copied as they are, a buffer at a time, and the old trailer is checked
     * as they go, so that a damaged source fails the conversion. A signed snapshot is signed
     * again with {@code key}, which it needs: a conversion never drops a signature silently.
     * Returns the new manifest; {@link #manifest()} stays the one read.
     */
    public Manifest transcode(Codec newCodec, int level, SnapshotKey key, OutputStream sink) throws IOException {
        return transcode(newCodec, level, key, sink, manifest);
    }

    /**
     * As {@link #transcode(Codec, int, SnapshotKey, OutputStream)}, writing {@code as} for the
     * manifest (its codec and level set to the new ones): a copy renamed or annotated. What it
     * says of the payload (size, units, classes) must stay this snapshot's.
     */
    public Manifest transcode(Codec newCodec, int level, SnapshotKey key, OutputStream sink, Manifest as)
            throws IOException {
        if (signed && key == null) {
            throw new SnapshotException(source + " is signed: give its key to convert it (the copy is signed again)");
        }
        if (isDifferential()) { // the copy is standalone: its state, without the chain
            return logical()
                    .transcode(
                            newCodec,
                            level,
                            key,
                            sink,
                            as.toBuilder().standalone().build());
        }
        int checkedLevel = newCodec.checkLevel(level);
        startPayload();
        Manifest converted =
                as.toBuilder().codec(newCodec.argument()).level(checkedLevel).build();
        byte[] manifestBytes = SnapshotWriter.JSON.writeValueAsBytes(converted);
        try (OutputStream compressed = newCodec.compress(sink, checkedLevel)) {
            CrcOutputStream out = new CrcOutputStream(compressed, key == null ? null : key.newMac());
            DataOutputStream data = new DataOutputStream(out);
            SnapshotWriter.writeHeader(
                    data,
                    out,
                    versionOfCopiedPayload(formatVersion()),
                    SnapshotWriter.flags(key != null, hasCode, shuffled),
                    manifestBytes,
                    payloadLength);
            copy(content.limit(payloadLength), data, payloadLength);
            if (hasCode) {
                byte[] code = readCode();
                data.writeLong(code.length);
                data.write(code);
            }
            checkTrailer();
            SnapshotWriter.writeTrailer(data, out);
            data.flush();
        }
        return converted;
    }

    /**
     * The refusal of a header naming a newer format, or flags this reader does not know: "written
     * by a newer veles" when the header's own checksum holds (as far as it is laid out as today's),
     * "corrupt" when it does not, since one flipped bit makes a 4 a 5.
     */
    private static CorruptSnapshotException newerOrCorrupt(
            String source, int version, int flags, CrcInputStream content, DataInputStream data) throws IOException {
        String what = version > SnapshotFormat.VERSION
                ? "format version " + version + " (this veles reads versions up to " + SnapshotFormat.VERSION + ")"
                : "header flags " + flags + ", some unknown to this veles";
        int manifestLength = data.readInt();
        if (manifestLength >= 2 && manifestLength <= SnapshotFormat.MAX_MANIFEST_BYTES) {
            data.readFully(new byte[manifestLength]);
            int expectedCrc = content.crc();
            if (data.readInt() == expectedCrc) {
                return new CorruptSnapshotException(source + " was written by a newer veles: its header names " + what
                        + "; read it with that veles or a later one");
            }
        }
        return new CorruptSnapshotException(
                source + " is corrupt: its header names " + what + " and does not match its checksum");
    }

    /**
     * The version of a converted copy whose payload is {@code source}'s, copied byte for byte, and
     * whose manifest is written anew: versions 1 to 3 wrote the same payload, so their copies are 3
     * (units in columns); later ones keep their own.
     */
    static int versionOfCopiedPayload(int source) {
        return Math.max(3, source);
    }

    private void copy(CrcInputStream.Limited part, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[1 << 20];
        long left = length;
        while (left > 0) {
            int n;
            try {
                n = part.read(buffer, 0, (int) Math.min(buffer.length, left));
            } catch (IOException e) { // the source's fault, not the destination's: say which
                throw integrityError(source, codec, e);
            }
            if (n < 0) {
                throw new CorruptSnapshotException(source + " is truncated: it ends " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /**
     * How much of each unit's state a differential snapshot stores itself and how much it
     * references in its chain, in payload order; read from its records alone (its chain is not
     * opened), which are checked as {@link #verifyOwnBytes} does. Reads the payload: a reader
     * does this once, instead of restoring.
     */
    public List<UnitShare> unitShares() {
        if (!isDifferential()) {
            throw new IllegalStateException(source + " is not a differential snapshot");
        }
        startPayload();
        // Counted per unit as the records come (in order), not listed: a file of a few KB can hold
        // millions of one-byte records.
        UnitShare.Tally stored = new UnitShare.Tally(manifest, logicalManifestLength());
        try {
            ChainAssembly.readRecords(this, new DataInputStream(content), new ChainAssembly.Records() {
                @Override
                public void literal(long target, InputStream bytes, int length) throws IOException {
                    bytes.skipNBytes(length);
                    stored.add(target, target + length);
                }

                @Override
                public void reference(long target, int holder, long offset, int length) {}
            });
        } catch (IOException e) {
            throw integrityError(source, codec, e);
        }
        checkTrailer();
        return stored.shares();
    }

    /**
     * The length of the manifest in this differential snapshot's logical container: the one read
     * here, written again as this file's writer wrote it (the logical container is written by the
     * same writer as the file around it): in columns since format 3, as a list of objects before.
     */
    int logicalManifestLength() {
        ObjectMapper json = readHeader.version() >= 3 ? SnapshotWriter.JSON : SnapshotWriter.JSON_BEFORE_COLUMNS;
        try {
            return json.writeValueAsBytes(manifest.toBuilder().standalone().build()).length;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One unit of a differential snapshot: bytes of its state stored in this file, and bytes
     * referenced in the chain (unchanged since the base).
     */
    public record UnitShare(String unit, long storedBytes, long referencedBytes) {
        /** Adds up, unit by unit, the logical ranges stored in this file, which come in order. */
        static final class Tally {
            private final List<io.veles.snapshot.format.UnitSummary> units;
            private final long[] starts;
            private final long[] own;
            private int next;

            Tally(Manifest manifest, int logicalManifestLength) {
                // The units' fields are the payload's last bytes, one unit after another (GraphWriter).
                long payloadStart = SnapshotFormat.MAGIC.length + 2 + 2 + 4 + logicalManifestLength + 4 + 8;
                long unitsBytes = manifest.units.stream()
                        .mapToLong(io.veles.snapshot.format.UnitSummary::bytes)
                        .sum();
                units = manifest.units;
                starts = new long[units.size()];
                own = new long[units.size()];
                long start = payloadStart + manifest.payloadBytes - unitsBytes;
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = start;
                    start += units.get(i).bytes();
                }
            }

            /** Bytes [from, to) of the logical container are stored here; ranges come in order, disjoint. */
            void add(long from, long to) {
                while (next < starts.length && starts[next] + units.get(next).bytes() <= from) {
                    next++;
                }
                for (int i = next; i < starts.length && starts[i] < to; i++) {
                    own[i] += Math.min(starts[i] + units.get(i).bytes(), to) - Math.max(starts[i], from);
                }
            }

            List<UnitShare> shares() {
                List<UnitShare> shares = new java.util.ArrayList<>(starts.length);
                for (int i = 0; i < starts.length; i++) {
                    shares.add(new UnitShare(
                            units.get(i).name(), own[i], units.get(i).bytes() - own[i]));
                }
                return shares;
            }
        }
    }

    /**
     * Checks this file alone, as {@link #verify} does, without its chain: for a differential
     * snapshot, its own records, lengths, checksum and signature. Returns the bytes checked.
     */
    public long verifyOwnBytes() {
        if (!isDifferential()) {
            return verify();
        }
        startPayload();
        try {
            ChainAssembly.readRecords(this, new DataInputStream(content), null);
        } catch (IOException e) {
            throw integrityError(source, codec, e);
        }
        checkTrailer();
        return content.count();
    }

    /**
     * Reads the whole snapshot and checks its lengths and checksums (a differential snapshot's
     * whole chain, and the state it assembles into); returns the bytes checked.
     */
    public long verify() {
        if (isDifferential()) {
            long checked = logical().verify();
            ChainAssembly.verifyUnread(this, bases, key, chainRead);
            return checked;
        }
        startPayload();
        try {
            skipFully(content.limit(payloadLength), payloadLength);
        } catch (IOException e) {
            throw integrityError(source, codec, e);
        }
        skipCode();
        checkTrailer();
        return content.count();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            content.close();
        } finally {
            if (logical != null) {
                logical.close();
            }
        }
    }

    private void startPayload() {
        if (closed) { // its stream is gone: reading on would call a whole snapshot truncated
            throw new IllegalStateException("the reader of " + source + " is closed: open the snapshot again");
        }
        if (payloadRead) {
            throw new IllegalStateException("a snapshot reader reads the payload once");
        }
        payloadRead = true;
    }

    private void skipFully(CrcInputStream.Limited part, long length) throws IOException {
        long skipped = part.skip(length);
        if (skipped != length) {
            throw new CorruptSnapshotException(
                    source + " is truncated: it ends " + (length - skipped) + " bytes early");
        }
    }

    /** Reads the code backup that follows the payload. */
    private byte[] readCode() throws IOException {
        long length = new DataInputStream(content).readLong();
        if (length < 0 || length > SnapshotFormat.MAX_CODE_BYTES) {
            throw new CorruptSnapshotException(
                    source + " is corrupt: its code backup length " + length + " is impossible");
        }
        byte[] code = content.readNBytes((int) length);
        if (code.length < length) {
            throw new CorruptSnapshotException(source + " is truncated: it ends inside its code backup");
        }
        return code;
    }

    /** Passes over the code backup, if there is one, so that the checksums cover it. */
    private void skipCode() {
        if (!hasCode) {
            return;
        }
        try {
            long length = new DataInputStream(content).readLong();
            if (length < 0 || length > SnapshotFormat.MAX_CODE_BYTES) {
                throw new CorruptSnapshotException(
                        source + " is corrupt: its code backup length " + length + " is impossible");
            }
            skipFully(content.limit(length), length);
        } catch (IOException e) {
            throw integrityError(source, codec, e);
        }
    }

    /**
     * Why reading the payload failed with {@code e}: the store, if it failed to deliver bytes
     * (the snapshot may be whole); else the bytes, if they do not check out; else {@code e}.
     */
    private SnapshotException whyPayloadFailed(SnapshotException e, CrcInputStream.Limited payload) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.veles.internal.store.StoreReadException) {
                return new SnapshotStoreException(source + " cannot be read: " + cause.getMessage(), e);
            }
        }
        String integrity = integrityProblem(payload);
        return integrity != null
                ? new CorruptSnapshotException(integrity, e)
                : e.reworded(source + ": " + e.getMessage());
    }

    private String integrityProblem(CrcInputStream.Limited payload) {
        try {
            payload.skip(Long.MAX_VALUE);
            if (payload.left() > 0) {
                return source + " is truncated: its payload ends " + payload.left() + " bytes early";
            }
            skipCode();
            checkTrailer();
            return null;
        } catch (SnapshotException e) {
            return e.getMessage();
        } catch (IOException e) {
            return integrityError(source, codec, e).getMessage();
        }
    }

    void checkTrailer() {
        try {
            long countBefore = content.count();
            int crcBefore = content.crc();
            byte[] expectedSignature = content.signature();
            DataInputStream data = new DataInputStream(trailerSource);
            byte[] magic = trailerSource.readNBytes(SnapshotFormat.TRAILER_MAGIC.length);
            if (magic.length < SnapshotFormat.TRAILER_MAGIC.length) {
                throw new CorruptSnapshotException(source + " is truncated: it ends before its trailer");
            }
            if (!Arrays.equals(magic, SnapshotFormat.TRAILER_MAGIC)) {
                throw new CorruptSnapshotException(source + " is corrupt: no trailer after the payload");
            }
            long total = data.readLong();
            int crc = data.readInt();
            if (total != countBefore) {
                throw new CorruptSnapshotException(
                        source + " is corrupt: its trailer records " + total + " bytes, " + countBefore + " were read");
            }
            if (crc != crcBefore) {
                if (assembledFrom != null) { // the file itself checked out: the bytes taken from its chain differ
                    throw new CorruptSnapshotException(source + " does not assemble from its chain (" + assembledFrom
                            + ") into the state it was written from: a snapshot of the chain was replaced"
                            + " since (its own checksums still hold)");
                }
                throw new CorruptSnapshotException(source + " is corrupt: its content does not match its checksum");
            }
            if (signed) {
                byte[] signature = trailerSource.readNBytes(SnapshotKey.SIGNATURE_BYTES);
                if (signature.length < SnapshotKey.SIGNATURE_BYTES) {
                    throw new CorruptSnapshotException(source + " is truncated: it ends inside its signature");
                }
                if (checkSignature && !MessageDigest.isEqual(signature, expectedSignature)) {
                    throw new CorruptSnapshotException(
                            source + " has a wrong signature: it was altered, or signed with another key");
                }
            }
            String following = dataAfterTrailer();
            if (following != null) {
                throw new CorruptSnapshotException(source + " is corrupt: data follows its trailer" + following);
            }
        } catch (IOException e) {
            throw integrityError(source, codec, e);
        }
    }

    /**
     * Null if the snapshot ends with its trailer, else how what follows showed: a decoder reads on
     * for a next stream, so bytes after the last one may fail to decode. A stream that ends early
     * there (its last bytes cut off, after the trailer was decoded) is truncation, and thrown.
     */
    private String dataAfterTrailer() throws IOException {
        try {
            return trailerSource.read() == -1 ? null : "";
        } catch (EOFException e) {
            throw e;
        } catch (IOException e) {
            return " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
    }

    /** What a failure to read a snapshot's own bytes means: the store's failure, an interrupt, or damage. */
    static SnapshotException integrityError(String source, Codec codec, IOException e) {
        if (e instanceof io.veles.internal.store.StoreReadException) { // the store failed, not the bytes
            return new SnapshotStoreException(source + " cannot be read: " + e.getMessage(), e);
        }
        if (e instanceof java.io.InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
            // the reading thread was interrupted: nothing is wrong with the bytes
            return new SnapshotException(source + " was not read whole: interrupted", e);
        }
        String data = codec == Codec.NONE ? "" : " " + codec.argument() + " stream";
        if (e instanceof EOFException) {
            return new CorruptSnapshotException(
                    source + " is truncated: its" + (data.isEmpty() ? " data" : data) + " ends early", e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CorruptSnapshotException(
                source + " is corrupt:" + (data.isEmpty() ? "" : " its" + data + " fails to decode:") + " " + detail,
                e);
    }
}
