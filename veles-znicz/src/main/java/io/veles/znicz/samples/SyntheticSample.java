package io.veles.znicz.samples;

import io.veles.config.Config;
import io.veles.launcher.WorkflowFactory;
import io.veles.workflow.Workflow;
import io.veles.znicz.StandardWorkflow;
import io.veles.znicz.loader.DataSource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./veles run synthetic [model_mb=N] [frozen_fraction=F]}: generated, learnable data
 * (Gaussian clusters, one per class) and a one-hidden-layer network whose weights take about N MiB,
 * so that large models can be trained and snapshotted ({@code model_mb=1024}).
 *
 * <p>With {@code frozen_fraction=F} (at least 0, less than 1; 0 by default) about that share of
 * the weights never changes, as a frozen pretrained layer while the rest fine-tunes: the network
 * becomes a wide frozen first layer (its weights one array, drawn from the seed), a narrow
 * trainable one and the softmax output, for testing differential snapshots. The narrow layer has
 * at least one unit, so the frozen share reaches at most features / (features + 1), about 0.97.
 *
 * <p>Settings: {@code synthetic.samples} (1000), {@code synthetic.features} (32),
 * {@code synthetic.classes} (4), {@code model_mb}, {@code frozen_fraction}, and those of the
 * StandardWorkflow.
 */
public final class SyntheticSample implements WorkflowFactory {
    @Override
    public String name() {
        return "synthetic";
    }

    @Override
    public String description() {
        return "generated clusters; model_mb=N sizes the weights to about N MiB, frozen_fraction=F of them never change";
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
            defaults.put("layers", SyntheticLayers.of(config, features, classes));
            defaults.put("decision.max_epochs", "20");
            defaults.put("gd.learning_rate", "0.05");
            return Config.of(defaults).with(config);
        }
    }
}
