package io.veles.launcher;

import io.veles.config.Config;
import io.veles.workflow.Workflow;

/**
 * Builds a workflow from settings. Bundled samples implement it and are found by name through
 * {@link java.util.ServiceLoader}; {@link WorkflowFactories} also wraps plain workflow classes.
 */
public interface WorkflowFactory {
    /** The name {@code ./veles run NAME} knows it by. */
    String name();

    /** One line for listings. */
    String description();

    /** The class of the main workflow it builds; snapshots of it restore into this class. */
    Class<? extends Workflow> workflowClass();

    /** A new main workflow configured by {@code config}. */
    Workflow create(Config config);
}
