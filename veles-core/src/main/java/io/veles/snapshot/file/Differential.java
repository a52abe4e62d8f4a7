package io.veles.snapshot.file;

import io.veles.internal.delta.BlockHash;
import io.veles.internal.delta.BlockHasher;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's differential snapshots (see {@link SnapshotFormat}): what its next snapshot may
 * reference instead of storing again. It remembers where every block of the last stored
 * snapshot lies (which file of the chain holds its bytes, and where), so that the next snapshot
 * stores only blocks not among them and names the rest. Every {@code fullEvery}-th snapshot is
 * standalone, so that a restore never reads more than {@code fullEvery} files.
 *
 * <p>Blocks are found by content alone (a 128-bit name of each content-defined block), never by
 * what the code says changed. What is remembered lives in this object only: the first snapshot
 * of a process is standalone. One snapshot at a time: {@link #next()}, write it, then
 * {@link #stored} once the store holds it durably; a failed write changes nothing.
 */
public final class Differential {
    private final int fullEvery;
    private final BlockHasher seeds = new BlockHasher();
    private Base base;

    /** Where a block's bytes are: a file of the chain (null: the snapshot being written) and the place in its stream. */
    record Location(String holder, long offset, int length) {}

    private record Base(String key, List<String> chain, Map<BlockHash, Location> blocks) {}

    private Differential(int fullEvery) {
        if (fullEvery < 1 || fullEvery > SnapshotFormat.MAX_CHAIN) {
            throw new IllegalArgumentException(
                    "full_every must be between 1 and " + SnapshotFormat.MAX_CHAIN + ", got " + fullEvery);
        }
        this.fullEvery = fullEvery;
    }

    /** Differential snapshots with a standalone one every {@code fullEvery} (1: all standalone). */
    public static Differential withFullEvery(int fullEvery) {
        return new Differential(fullEvery);
    }

    public int fullEvery() {
        return fullEvery;
    }

    /** The key of the snapshot the next one will reference, or null when the next one is standalone. */
    public String nextBase() {
        return isNextFull() ? null : base.key();
    }

    private boolean isNextFull() {
        // This snapshot's chain is its base and the base's chain; with itself it must stay within fullEvery files.
        return base == null || base.chain().size() + 2 > fullEvery;
    }

    /** The keys of the files the next snapshot will reference, its base first; empty when it is standalone. */
    public List<String> nextChain() {
        if (isNextFull()) {
            return List.of();
        }
        List<String> chain = new ArrayList<>();
        chain.add(base.key());
        chain.addAll(base.chain());
        return List.copyOf(chain);
    }

    /** Begins the next snapshot: differential against the last one stored, or standalone. */
    public Pending next() {
        if (isNextFull()) {
            return new Pending(null, null, Map.of());
        }
        return new Pending(base.key(), nextChain(), base.blocks());
    }

    /** Makes {@code pending}, now stored durably under {@code key}, the base of the next snapshot. */
    public void stored(Pending pending, String key) {
        if (!pending.finished) {
            throw new IllegalStateException("the snapshot was not written to its end");
        }
        Map<BlockHash, Location> blocks = new HashMap<>(pending.blocks.size() * 2);
        for (Pending.Block block : pending.blocks) {
            Location where = block.where();
            blocks.putIfAbsent(
                    block.hash(), where.holder() == null ? new Location(key, where.offset(), where.length()) : where);
        }
        base = new Base(key, pending.chain == null ? List.of() : pending.chain, blocks);
    }

    /** Forgets the base: the next snapshot is standalone. */
    public void forget() {
        base = null;
    }

    /** One snapshot being written: standalone or differential, and the blocks it is made of. */
    public final class Pending {
        private final String baseKey;
        private final List<String> chain;
        private final Map<BlockHash, Location> available;
        private final List<Block> blocks = new ArrayList<>();
        private boolean finished;

        record Block(BlockHash hash, Location where) {}

        private Pending(String baseKey, List<String> chain, Map<BlockHash, Location> available) {
            this.baseKey = baseKey;
            this.chain = chain;
            this.available = available;
        }

        public boolean isDifferential() {
            return baseKey != null;
        }

        /** The manifest this snapshot's file carries: {@code logical}'s, with the base and chain if differential. */
        public Manifest fileManifest(Manifest logical) {
            return isDifferential()
                    ? logical.toBuilder().base(baseKey).chain(chain).build()
                    : logical.toBuilder().standalone().build();
        }

        /**
         * A stream taking the logical container's bytes (see {@link SnapshotWriter#writeContainer}) and
         * writing this snapshot's file into {@code plain}, the codec's stream; {@link DeltaEncoder#finish}
         * ends it, leaving {@code plain} open.
         */
        DeltaEncoder open(OutputStream plain, Manifest logical, SnapshotWriter.Options options) {
            if (!blocks.isEmpty() || finished) {
                throw new IllegalStateException("a pending snapshot is written once");
            }
            return new DeltaEncoder(this, plain, fileManifest(logical), options, seeds.sameSeeds());
        }

        Map<BlockHash, Location> available() {
            return available;
        }

        List<String> chain() {
            return chain;
        }

        void add(BlockHash hash, Location where) {
            blocks.add(new Block(hash, where));
        }

        void finish() {
            finished = true;
        }
    }
}
