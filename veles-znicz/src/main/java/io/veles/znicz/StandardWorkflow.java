package io.veles.znicz;

import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.launcher.ResultProvider;
import io.veles.launcher.ResumableSettings;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import io.veles.znicz.decision.Decision;
import io.veles.znicz.loader.DataSource;
import io.veles.znicz.loader.FullBatchLoader;
import io.veles.znicz.nn.Activation;
import io.veles.znicz.nn.FullyConnected;
import io.veles.znicz.nn.GradientDescent;
import io.veles.znicz.nn.LearningRate;
import io.veles.znicz.nn.SoftmaxEvaluator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * A feed-forward classifier trained by gradient descent, with snapshots, built from settings and
 * linked as in VELES:
 *
 * <pre>
 * start → repeater → loader → layers… → evaluator → decision → snapshotter → gd (last layer first)… → repeater
 *                                                      └──→ end (opens when the decision is complete)
 * </pre>
 *
 * The snapshotter runs once per epoch (at its end), and, with {@code snapshotter.only_improved},
 * only when the validation error improved. Settings: {@code layers} (hidden layers, e.g.
 * {@code 32:tanh,16:relu}; a softmax output layer is added; {@code 4096:tanh:frozen} marks a
 * leading layer that keeps its initial weights, as a frozen pretrained one), {@code loader.minibatch_size},
 * {@code loader.keep_data} (the samples are part of the snapshots, default false),
 * {@code gd.learning_rate}, {@code gd.momentum}, {@code gd.weight_decay}, {@code gd.lr_decay}
 * (per epoch), {@code decision.max_epochs}, {@code decision.fail_iterations} and the
 * {@code snapshotter.*} parameters ({@code odbc} and {@code table} included).
 *
 * <p>A subclass may link differently by overriding {@link #link()}; VELES's rule is checked
 * either way: the snapshotter must block the whole pipeline, with no link around it.
 */
public class StandardWorkflow extends Workflow implements ResultProvider, ResumableSettings {
    protected final Repeater repeater;
    protected final FullBatchLoader loader;
    protected final List<FullyConnected> layers = new ArrayList<>();
    protected final SoftmaxEvaluator evaluator;
    protected final Decision decision;
    protected final Snapshotter snapshotter;
    /** One per trainable layer, in the layers' order: the frozen leading layers have none. */
    protected final List<GradientDescent> gradientDescents = new ArrayList<>();

    private boolean linked;

    public StandardWorkflow(String name, Config config, DataSource source) {
        super(name);
        int batch = config.getInt("loader.minibatch_size", 10);
        if (batch < 1) {
            throw new ConfigException("loader.minibatch_size: must be at least 1, got " + batch);
        }
        repeater = new Repeater(this);
        loader = new FullBatchLoader(this, source, batch, config.getBoolean("loader.keep_data", false));
        int width = loader.data().width();
        int frozenLayers = 0;
        for (String spec : config.getString("layers", "").split(",")) {
            if (spec.isBlank()) {
                continue;
            }
            String[] parts = spec.trim().split(":");
            int size = parseSize(parts[0], spec);
            Activation activation = parts.length > 1 ? Activation.parse(parts[1]) : Activation.TANH;
            boolean frozen = parseFrozen(parts, spec);
            if (frozen && layers.size() > frozenLayers) {
                throw new ConfigException(
                        "layers: '" + spec + "' is frozen after a trainable layer; frozen ones come first");
            }
            layers.add(new FullyConnected(this, "fc" + (layers.size() + 1), width, size, activation, batch));
            if (frozen) {
                frozenLayers++;
            }
            width = size;
        }
        layers.add(new FullyConnected(this, "softmax", width, loader.data().classes(), Activation.SOFTMAX, batch));
        evaluator = new SoftmaxEvaluator(this, loader.data().classes(), batch);

        Config snapshots = config.section("snapshotter");
        snapshotter = Snapshotter.create(this, SnapshotSettings.from(snapshots, SnapshotSettings.defaults(name)));
        LearningRate rate =
                new LearningRate(config.getDouble("gd.learning_rate", 0.1), config.getDouble("gd.lr_decay", 1.0));
        decision = new Decision(
                this,
                config.getInt("decision.max_epochs", 100),
                config.getInt("decision.fail_iterations", 25),
                snapshotter,
                rate);
        if (snapshots.getBoolean("only_improved", false)) {
            snapshotter.skip(decision.improved.not());
        }
        double momentum = config.getDouble("gd.momentum", 0.9);
        double decay = config.getDouble("gd.weight_decay", 0.0005);
        // Frozen layers lead, so nothing needs the gradient at their inputs: they get no unit at all,
        // and the first trainable one need not propagate to them.
        for (FullyConnected layer : layers.subList(frozenLayers, layers.size())) {
            boolean propagates = frozenLayers == 0 || !gradientDescents.isEmpty();
            gradientDescents.add(new GradientDescent(this, layer, rate, momentum, decay, batch, propagates));
        }
    }

    private static boolean parseFrozen(String[] parts, String spec) {
        if (parts.length == 3 && parts[2].trim().equals("frozen")) {
            return true;
        }
        if (parts.length > 2) {
            throw new ConfigException("layers: '" + spec + "' is not SIZE:ACTIVATION or SIZE:ACTIVATION:frozen");
        }
        return false;
    }

    private static int parseSize(String text, String spec) {
        try {
            int size = Integer.parseInt(text.trim());
            if (size > 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("layers: '" + spec + "' is not SIZE:ACTIVATION with a positive SIZE");
    }

    /** Links the units as VELES's StandardWorkflow does; override to link otherwise. */
    protected void link() {
        repeater.linkFrom(startPoint());
        loader.linkFrom(repeater);
        Unit previous = loader;
        for (FullyConnected layer : layers) {
            layer.linkFrom(previous).linkAttrs(loader, "batch", "minibatchCount");
            if (previous == loader) {
                layer.linkAttrs(loader, "input", "minibatchData");
            } else {
                layer.linkAttrs(previous, "input", "output");
            }
            previous = layer;
        }
        evaluator
                .linkFrom(previous)
                .linkAttrs(previous, "probabilities", "output")
                .linkAttrs(loader, "labels", "minibatchLabels")
                .linkAttrs(loader, "batch", "minibatchCount");
        decision.linkFrom(evaluator)
                .linkAttrs(loader, "minibatchSet")
                .linkAttrs(loader, "minibatchCount")
                .linkAttrs(loader, "lastOfSet")
                .linkAttrs(evaluator, "loss")
                .linkAttrs(evaluator, "errors");
        snapshotter.linkFrom(decision).gateSkip(loader.epochEnded().not());
        previous = snapshotter;
        Unit errors = evaluator;
        for (int i = gradientDescents.size() - 1; i >= 0; i--) {
            GradientDescent descent = gradientDescents.get(i);
            descent.linkFrom(previous).gateSkip(decision.gradientSkip);
            descent.linkAttrs(errors, "errOutput", errors == evaluator ? "errOutput" : "errInput");
            previous = descent;
            errors = descent;
        }
        repeater.linkFrom(previous);
        endPoint().linkFrom(decision).gateBlock(decision.complete.not());
    }

    @Override
    public void initialize() {
        if (!linked) {
            link();
            linked = true;
        }
        checkSnapshotterBlocks();
        super.initialize();
    }

    /**
     * VELES's rule: a snapshotter must block the whole pipeline, or units after it could run
     * before a snapshot of the iteration is complete. Refuses a workflow in which the repeater
     * can be reached again without passing the snapshotter, naming that path.
     */
    private void checkSnapshotterBlocks() {
        Map<Unit, Unit> cameFrom = new IdentityHashMap<>();
        ArrayDeque<Unit> pending = new ArrayDeque<>(List.of(repeater));
        while (!pending.isEmpty()) {
            Unit unit = pending.pollFirst();
            for (Unit next : unit.linkedTo()) {
                if (next == snapshotter || next == endPoint()) {
                    continue;
                }
                if (next == repeater) {
                    LinkedList<String> path = new LinkedList<>(List.of(repeater.name()));
                    for (Unit step = unit; step != repeater; step = cameFrom.get(step)) {
                        path.addFirst(step.name());
                    }
                    path.addFirst(repeater.name());
                    throw new ConfigException(name() + ": the snapshotter must block the whole pipeline, but "
                            + String.join(" → ", path) + " goes around it");
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, unit);
                    pending.addLast(next);
                }
            }
        }
    }

    public FullBatchLoader loader() {
        return loader;
    }

    public List<FullyConnected> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** How many leading layers are frozen: never updated, as a pretrained stem; they have no gd unit. */
    public int frozenLayers() {
        return layers.size() - gradientDescents.size();
    }

    public Decision decision() {
        return decision;
    }

    public Snapshotter snapshotter() {
        return snapshotter;
    }

    /**
     * On a resume, {@code decision.max_epochs} and {@code decision.fail_iterations} may change: a
     * run can train longer, or stop sooner, than it was started for.
     */
    @Override
    public void applyOnResume(Config settings) {
        if (settings.has("decision.max_epochs") || settings.has("decision.fail_iterations")) {
            decision.limits(
                    settings.getInt("decision.max_epochs", decision.maxEpochs()),
                    settings.getInt("decision.fail_iterations", decision.failIterations()));
            // Completed at the epoch's end the snapshot was taken after: the end point was not
            // queued when the decision passed control on, so the run ends here, as it would have.
            if (decision.complete.get() && isRunning() && runningUnit() != decision) {
                endHere();
            }
        }
    }

    @Override
    public Map<String, Object> results() {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("epochs", decision.epoch());
        results.put("best_validation_error", decision.bestValidationError());
        results.put("best_epoch", decision.bestEpoch());
        results.put("validation_error", decision.validationError());
        results.put("final_training_loss", decision.lastTrainingLoss());
        if (!Double.isNaN(decision.testError())) {
            results.put("test_error", decision.testError());
        }
        results.put("weights_sha256", weightsDigest());
        results.put("generator_position", random().position());
        return results;
    }

    /** SHA-256 over every layer's weights and biases: equal digests, equal models, bit for bit. */
    private String weightsDigest() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (FullyConnected layer : layers) {
                for (float[] values : new float[][] {layer.weights(), layer.bias()}) {
                    ByteBuffer bytes =
                            ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(values);
                    digest.update(bytes.array());
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
