package io.veles.internal.delta;

/**
 * A block's content name: two 64-bit xxHash values under two seeds, 128 bits in all. The seeds are
 * drawn per run ({@link BlockHasher}), and a name is compared only with names of the same run, so
 * no one can prepare blocks whose names collide.
 */
public record BlockHash(long first, long second) {}
