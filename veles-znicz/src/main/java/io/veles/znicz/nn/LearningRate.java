package io.veles.znicz.nn;

/**
 * A learning rate that decays by {@code decay} per epoch: {@code base · decay^epochs}. Its
 * position is plain state, captured with the workflow, so a resumed run steps on from where it
 * was.
 */
public final class LearningRate {
    private final double base;
    private final double decay;
    private int epochs;

    public LearningRate(double base, double decay) {
        this.base = base;
        this.decay = decay;
    }

    public double current() {
        return base * Math.pow(decay, epochs);
    }

    /** Moves to the next epoch. */
    public void advance() {
        epochs++;
    }

    public int epochs() {
        return epochs;
    }
}
