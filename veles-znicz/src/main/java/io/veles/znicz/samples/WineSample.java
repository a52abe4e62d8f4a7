package io.veles.znicz.samples;

import io.veles.config.Config;
import io.veles.launcher.WorkflowFactory;
import io.veles.workflow.Workflow;
import io.veles.znicz.StandardWorkflow;
import io.veles.znicz.loader.DataSource;

import java.util.Map;

/**
 * {@code ./veles run wine}: the UCI Wine data (178 wines, 13 measurements, 3 cultivars; see
 * wine.NOTICE), a small tanh network, trained until the validation set is classified without
 * error or 25 epochs pass without improvement.
 */
public final class WineSample implements WorkflowFactory {
    /** Defaults; any of them can be overridden with key=value. */
    static final Map<String, String> DEFAULTS = Map.of(
            "layers", "8:tanh",
            "loader.minibatch_size", "10",
            "loader.validation_ratio", "0.3",
            "gd.learning_rate", "0.05",
            "gd.momentum", "0.9",
            "gd.weight_decay", "0.0005",
            "decision.max_epochs", "200",
            "decision.fail_iterations", "25");

    @Override
    public String name() {
        return "wine";
    }

    @Override
    public String description() {
        return "a small network learning the UCI Wine data (178 wines, 3 classes)";
    }

    @Override
    public Class<? extends Workflow> workflowClass() {
        return WineWorkflow.class;
    }

    @Override
    public Workflow create(Config config) {
        return new WineWorkflow(Config.of(DEFAULTS).with(config));
    }

    /** The wine workflow: a StandardWorkflow over the bundled CSV. */
    public static final class WineWorkflow extends StandardWorkflow {
        public WineWorkflow(Config config) {
            super(
                    "wine",
                    config,
                    DataSource.csv(
                                    "/io/veles/znicz/samples/wine.csv",
                                    config.getDouble("loader.validation_ratio", 0.3),
                                    config.getLong("loader.split_seed", 5))
                            .withTestRatio(config.getDouble("loader.test_ratio", 0)));
        }
    }
}
