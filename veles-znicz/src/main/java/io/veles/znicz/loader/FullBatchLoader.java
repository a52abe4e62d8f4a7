package io.veles.znicz.loader;

import io.veles.workflow.Bool;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * Serves minibatches of a dataset held in memory: each epoch, the test set (if any) and the
 * validation set in order, then the training set in an order shuffled with the workflow's
 * captured generator. The samples are
 * reloaded from their {@link DataSource} after a restore, unless the loader keeps them in its
 * state ({@code loader.keep_data}, as VELES's loaders do: a snapshot then restores without the
 * source); the loader's position and the epoch's shuffle order are state, so a resumed run serves
 * exactly what the uninterrupted one would.
 */
public final class FullBatchLoader extends Unit {
    public static final int TEST = 0;
    public static final int VALIDATION = 1;
    public static final int TRAINING = 2;

    private final DataSource source;
    final int maxBatch;
    private transient Dataset data_;
    /** The samples, when the snapshot keeps them ({@code loader.keep_data}); null otherwise. */
    private Dataset kept;

    /** The training rows' order in this epoch. */
    private int[] trainingOrder;

    private int set = -1;
    private int position;
    private int epoch;

    // What the next units read (data links).
    float[] minibatchData;
    int[] minibatchLabels;
    int minibatchCount;
    int minibatchSet;
    boolean lastOfSet;
    final Bool epochEnded = new Bool(false);

    public FullBatchLoader(Workflow workflow, DataSource source, int maxBatch) {
        this(workflow, source, maxBatch, false);
    }

    /** As above; with {@code keepData}, the samples are part of the loader's state. */
    public FullBatchLoader(Workflow workflow, DataSource source, int maxBatch, boolean keepData) {
        super(workflow, "loader");
        this.source = source;
        this.maxBatch = maxBatch;
        ensureInitUnpickled(); // loads the data: the sizes below come from it
        minibatchData = new float[maxBatch * data_.width];
        minibatchLabels = new int[maxBatch];
        trainingOrder = new int[data_.trainingSamples()];
        for (int i = 0; i < trainingOrder.length; i++) {
            trainingOrder[i] = data_.order[data_.trainingStart() + i];
        }
        set = data_.testSamples > 0 ? TEST : VALIDATION;
        if (keepData) {
            kept = data_;
        }
    }

    @Override
    protected void initUnpickled() {
        super.initUnpickled();
        if (data_ == null) {
            data_ = kept != null ? kept : source.load();
        }
    }

    @Override
    public void run() {
        if (set == TRAINING && position == 0) {
            random().shuffle(trainingOrder);
        }
        int size = set == TEST ? data_.testSamples : set == VALIDATION ? data_.validationSamples : trainingOrder.length;
        int start = set == TEST ? 0 : data_.testSamples; // where this set's rows begin in the fixed order
        int count = Math.min(maxBatch, size - position);
        int width = data_.width;
        for (int k = 0; k < count; k++) {
            int row = set == TRAINING ? trainingOrder[position + k] : data_.order[start + position + k];
            System.arraycopy(data_.features, row * width, minibatchData, k * width, width);
            minibatchLabels[k] = data_.labels[row];
        }
        minibatchCount = count;
        minibatchSet = set;
        position += count;
        lastOfSet = position >= size;
        epochEnded.set(set == TRAINING && lastOfSet);
        if (lastOfSet) {
            position = 0;
            if (set == TRAINING) {
                epoch++;
            }
            set = set == TEST ? VALIDATION : set == VALIDATION ? TRAINING : data_.testSamples > 0 ? TEST : VALIDATION;
        }
    }

    public Dataset data() {
        return data_;
    }

    public Bool epochEnded() {
        return epochEnded;
    }
}
