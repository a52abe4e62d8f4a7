package io.veles.launcher;

import io.veles.config.Config;
import io.veles.workflow.Workflow;

import java.util.Objects;
import java.util.function.Function;

/**
 * Where an application starts: runs a workflow with snapshots, or continues it from one, and
 * restores a workflow from a snapshot without running it.
 *
 * <pre>{@code
 * Launcher.Outcome outcome = Veles.run(MyWorkflow.class)
 *         .settings("my.iterations=100")
 *         .snapshotsTo("snapshots")
 *         .start()
 *         .await();
 * MyWorkflow saved = Veles.restore(MyWorkflow.class).from("snapshots").load().workflow();
 * }</pre>
 */
public final class Veles {
    private Veles() {}

    /**
     * A run of a {@code workflowClass} workflow, built by its public constructor taking a
     * {@link Config}, or its no-argument one.
     */
    public static RunBuilder run(Class<? extends Workflow> workflowClass) {
        return run(WorkflowFactories.forClass(workflowClass));
    }

    /**
     * A run of a workflow that {@code constructor} builds from the run's settings, for example
     * {@code Veles.run(MyWorkflow.class, MyWorkflow::new)}; a resume restores a
     * {@code workflowClass} snapshot instead. The constructor must make exactly that class (not a
     * subclass: its snapshots record the class made): a run is refused otherwise, before it starts.
     */
    public static <W extends Workflow> RunBuilder run(
            Class<W> workflowClass, Function<Config, ? extends W> constructor) {
        Objects.requireNonNull(workflowClass, "workflowClass");
        Objects.requireNonNull(constructor, "constructor");
        return run(new WorkflowFactory() {
            @Override
            public String name() {
                return workflowClass.getName();
            }

            @Override
            public String description() {
                return workflowClass.getName();
            }

            @Override
            public Class<? extends Workflow> workflowClass() {
                return workflowClass;
            }

            @Override
            public Workflow create(Config config) {
                return constructor.apply(config);
            }
        });
    }

    /** A run of the workflow {@code factory} builds: a bundled sample, for example. */
    public static RunBuilder run(WorkflowFactory factory) {
        return new RunBuilder(Objects.requireNonNull(factory, "factory"));
    }

    /** Restores a {@code workflowClass} workflow from a snapshot without running it, for tools. */
    public static <W extends Workflow> RestoreBuilder<W> restore(Class<W> workflowClass) {
        return new RestoreBuilder<>(Objects.requireNonNull(workflowClass, "workflowClass"));
    }
}
