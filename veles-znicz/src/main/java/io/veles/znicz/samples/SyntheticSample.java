package io.veles.znicz.samples;

import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.launcher.WorkflowFactory;
import io.veles.workflow.Workflow;
import io.veles.znicz.StandardWorkflow;
import io.veles.znicz.loader.DataSource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./veles run synthetic [model_mb=N]}: generated, learnable data (Gaussian clusters, one
 * per class) and a one-hidden-layer network whose weights take about N MiB, so that large models
 * can be trained and snapshotted ({@code model_mb=1024}). Settings: {@code synthetic.samples}
 * (1000), {@code synthetic.features} (32), {@code synthetic.classes} (4), {@code model_mb}, and
 * those of the StandardWorkflow.
 */
public final class SyntheticSample implements WorkflowFactory {
    @Override
    public String name() {
        return "synthetic";
    }

    @Override
    public String description() {
        return "generated clusters; model_mb=N sizes the weights to about N MiB";
    }

    @Override
    public Class<? extends Workflow> workflowClass() {
        return SyntheticWorkflow.class;
    }

    @Override
    public Workflow create(Config config) {
        return new SyntheticWorkflow(config);
    }

    /** The synthetic workflow: a StandardWorkflow over generated clusters. */
    public static final class SyntheticWorkflow extends StandardWorkflow {
        public SyntheticWorkflow(Config config) {
            super("synthetic", withDefaults(config), source(config));
        }

        private static DataSource source(Config config) {
            Config synthetic = config.section("synthetic");
            return DataSource.generated(
                            synthetic.getInt("samples", 1000),
                            synthetic.getInt("features", 32),
                            synthetic.getInt("classes", 4),
                            synthetic.getDouble("spread", 1.5),
                            synthetic.getLong("seed", 7),
                            config.getDouble("loader.validation_ratio", 0.2))
                    .withTestRatio(config.getDouble("loader.test_ratio", 0));
        }

        private static Config withDefaults(Config config) {
            Map<String, String> defaults = new LinkedHashMap<>();
            int features = config.getInt("synthetic.features", 32);
            int classes = config.getInt("synthetic.classes", 4);
            int hidden = 32;
            if (config.has("model_mb")) {
                double megabytes = config.getDouble("model_mb", 1);
                if (!(megabytes > 0)) {
                    throw new ConfigException("model_mb: must be more than 0, got " + megabytes);
                }
                // weights: features × hidden + hidden × classes floats of 4 bytes
                hidden = (int) Math.max(
                        1,
                        Math.min(
                                Integer.MAX_VALUE / Math.max(features, classes) - 1,
                                megabytes * (1 << 20) / Float.BYTES / (features + classes)));
            }
            defaults.put("layers", hidden + ":tanh");
            defaults.put("decision.max_epochs", "20");
            defaults.put("gd.learning_rate", "0.05");
            return Config.of(defaults).with(config);
        }
    }
}
