package io.veles.samples.walk;

import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.launcher.ResultProvider;
import io.veles.launcher.ResumableSettings;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Many random walkers, a loop of units with real state to resume: the captured random generator,
 * counters, a history list, and a float array that evolves every iteration.
 *
 * <pre>
 * start → repeater → sampler → integrator → statistics → snapshotter → damper → repeater
 *                                               └──→ end (opens when statistics.complete)
 * </pre>
 *
 * Settings: {@code walk.walkers} (100000), {@code walk.iterations} (200), {@code walk.step}
 * (0.05), {@code walk.damping} (0.001), and the {@code snapshotter.*} parameters.
 */
public final class RandomWalkWorkflow extends Workflow implements ResultProvider, ResumableSettings {
    private final StepSampler sampler;
    private final Integrator integrator;
    private final Statistics statistics;
    private final Damper damper;
    private final Snapshotter snapshotter;

    public RandomWalkWorkflow(Config config) {
        super("walk");
        Config walk = config.section("walk");
        int walkers = positive(walk, "walkers", 100_000);
        int iterations = positive(walk, "iterations", 200);
        float step = (float) walk.getDouble("step", 0.05);
        float damping = (float) walk.getDouble("damping", 0.001);

        Repeater repeater = new Repeater(this);
        sampler = new StepSampler(this, walkers, step);
        integrator = new Integrator(this, walkers);
        snapshotter = Snapshotter.create(
                this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("walk")));
        statistics = new Statistics(this, iterations, snapshotter);
        damper = new Damper(this, damping);

        repeater.linkFrom(startPoint());
        sampler.linkFrom(repeater);
        integrator.linkFrom(sampler).linkAttrs(sampler, "steps");
        statistics.linkFrom(integrator).linkAttrs(integrator, "positions");
        snapshotter.linkFrom(statistics);
        damper.linkFrom(snapshotter).linkAttrs(integrator, "positions");
        repeater.linkFrom(damper);
        endPoint().linkFrom(statistics).gateBlock(statistics.complete.not());
    }

    /** On a resume, {@code walk.iterations} may change: the walk goes on longer, or ends sooner. */
    @Override
    public void applyOnResume(Config settings) {
        Config walk = settings.section("walk");
        if (walk.has("iterations")) {
            statistics.iterations(positive(walk, "iterations", 1));
            // Completed at the iteration the snapshot was taken after (by the snapshotter, or at
            // the damper after it): the end point was not queued when the statistics passed
            // control on, so the walk ends here, as it would have. Mid-iteration, it ends once the
            // iteration's statistics run.
            Unit at = runningUnit();
            if (statistics.complete.get() && (at == snapshotter || at == damper)) {
                endHere();
            }
        }
    }

    private static int positive(Config config, String key, int defaultValue) {
        int value = config.getInt(key, defaultValue);
        if (value < 1) {
            throw new ConfigException("walk." + key + ": must be at least 1, got " + value);
        }
        return value;
    }

    @Override
    public Map<String, Object> results() {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("iterations", statistics.iteration);
        results.put("dampings", damper.dampings);
        results.put("farthest", statistics.farthest);
        results.put("mean_distance", statistics.meanDistance.get(statistics.meanDistance.size() - 1));
        results.put("positions_sha256", sha256(integrator.positions));
        results.put("steps_sha256", sha256(sampler.steps));
        results.put(
                "history_sha256",
                sha256(statistics.meanDistance.stream()
                        .mapToDouble(Double::doubleValue)
                        .toArray()));
        results.put("generator_position", random().position());
        return results;
    }

    private static String sha256(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return digest(bytes.array());
    }

    private static String sha256(double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return digest(bytes.array());
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
