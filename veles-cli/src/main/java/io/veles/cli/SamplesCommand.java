package io.veles.cli;

import io.veles.launcher.WorkflowFactories;
import io.veles.launcher.WorkflowFactory;
import picocli.CommandLine.Command;

/** Lists the bundled samples. */
@Command(
        name = "samples",
        mixinStandardHelpOptions = true,
        description = "List the bundled sample workflows.",
        footer = {
            "",
            "Examples:",
            "  veles samples",
            "  veles run synthetic model_mb=64   # a sample's settings are key=value"
        })
final class SamplesCommand implements Runnable {
    @Override
    public void run() {
        for (WorkflowFactory sample : WorkflowFactories.samples(ApplicationClassPath.loader())) {
            System.out.printf("%-12s %s%n", sample.name(), sample.description());
        }
    }
}
