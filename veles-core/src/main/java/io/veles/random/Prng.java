package io.veles.random;

import io.veles.pickle.Pickleable;
import io.veles.pickle.State;
import org.apache.commons.rng.RestorableUniformRandomProvider;
import org.apache.commons.rng.core.RandomProviderDefaultState;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A seeded random generator whose position is captured in snapshots, so that a resumed run
 * draws the same numbers as an uninterrupted one.
 *
 * <p>The generator is Commons RNG's xoshiro256++ (XO_SHI_RO_256_PP); its internal state is saved through
 * {@link #getState(State)} as bytes (Commons RNG's own saveable state), which is why this class
 * customises its snapshot state rather than capturing the generator object.
 */
public final class Prng extends Pickleable {
    /** The seed a main workflow starts with unless the launcher sets another. */
    public static final long DEFAULT_SEED = 1234L;

    private static final RandomSource SOURCE = RandomSource.XO_SHI_RO_256_PP;
    private static final String GENERATOR_STATE = "generator";

    private long seed;
    private transient RestorableUniformRandomProvider generator_;
    private transient ZigguratSampler.NormalizedGaussian gaussian_;

    public Prng(long seed) {
        this.seed = seed;
        ensureInitUnpickled();
    }

    @Override
    protected void initUnpickled() {
        super.initUnpickled();
        if (generator_ == null) {
            useGenerator(SOURCE.create(seed));
        }
    }

    @Override
    protected void getState(State state) {
        super.getState(state);
        state.put(GENERATOR_STATE, ((RandomProviderDefaultState) generator_.saveState()).getState());
    }

    @Override
    protected void setState(State state) {
        super.setState(state);
        RestorableUniformRandomProvider restored = SOURCE.create(seed);
        restored.restoreState(new RandomProviderDefaultState(state.get(GENERATOR_STATE, byte[].class)));
        useGenerator(restored);
    }

    private void useGenerator(RestorableUniformRandomProvider generator) {
        generator_ = generator;
        gaussian_ = ZigguratSampler.NormalizedGaussian.of(generator);
    }

    /** Starts the sequence again from {@code newSeed}. */
    public void reseed(long newSeed) {
        seed = newSeed;
        useGenerator(SOURCE.create(newSeed));
    }

    /** The seed the sequence started from. */
    public long seed() {
        return seed;
    }

    /** The generator's internal state as hex: equal positions draw equal sequences. */
    public String position() {
        return java.util.HexFormat.of().formatHex(((RandomProviderDefaultState) generator_.saveState()).getState());
    }

    public int nextInt() {
        return generator_.nextInt();
    }

    /** A uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return generator_.nextInt(bound);
    }

    public long nextLong() {
        return generator_.nextLong();
    }

    /** A uniform double in [0, 1). */
    public double nextDouble() {
        return generator_.nextDouble();
    }

    /** A uniform float in [0, 1). */
    public float nextFloat() {
        return generator_.nextFloat();
    }

    /** A standard normal draw. */
    public double nextGaussian() {
        return gaussian_.sample();
    }

    /** Fills {@code values} with draws from N(mean, stddev²). */
    public void fillGaussian(float[] values, double mean, double stddev) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + stddev * gaussian_.sample());
        }
    }

    /** Shuffles {@code values} in place (Fisher–Yates), drawing from this generator. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = generator_.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
