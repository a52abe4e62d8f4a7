package io.veles.internal.delta;

import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

import java.security.SecureRandom;

/** Names blocks by content ({@link BlockHash}), fed a piece at a time; one per writer thread. */
public final class BlockHasher {
    private final StreamingXXHash64 first;
    private final StreamingXXHash64 second;

    /** A hasher under fresh random seeds: its names match only names made by {@link #sameSeeds()} copies. */
    public BlockHasher() {
        this(new SecureRandom().nextLong(), new SecureRandom().nextLong());
    }

    private BlockHasher(long firstSeed, long secondSeed) {
        XXHashFactory factory = XXHashFactory.fastestInstance();
        first = factory.newStreamingHash64(firstSeed);
        second = factory.newStreamingHash64(secondSeed);
        this.firstSeed = firstSeed;
        this.secondSeed = secondSeed;
    }

    private final long firstSeed;
    private final long secondSeed;

    /** A new hasher with this one's seeds, so that its names compare with this one's. */
    public BlockHasher sameSeeds() {
        return new BlockHasher(firstSeed, secondSeed);
    }

    public void update(byte[] data, int offset, int length) {
        first.update(data, offset, length);
        second.update(data, offset, length);
    }

    /** The name of everything fed since the last call, and a fresh start for the next block. */
    public BlockHash finish() {
        BlockHash hash = new BlockHash(first.getValue(), second.getValue());
        first.reset();
        second.reset();
        return hash;
    }
}
