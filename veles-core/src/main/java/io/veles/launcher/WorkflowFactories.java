package io.veles.launcher;

import io.veles.config.Config;
import io.veles.workflow.Workflow;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the workflow a user names: a bundled sample's name, or a workflow class name. */
public final class WorkflowFactories {
    private WorkflowFactories() {}

    /** The bundled samples on the class path, by name. */
    public static List<WorkflowFactory> samples() {
        return samples(WorkflowFactories.class.getClassLoader());
    }

    /** The samples {@code classLoader} finds (an application's jars may bring their own), by name. */
    public static List<WorkflowFactory> samples(ClassLoader classLoader) {
        List<WorkflowFactory> samples = new ArrayList<>();
        ServiceLoader.load(WorkflowFactory.class, classLoader).forEach(samples::add);
        samples.sort((a, b) -> a.name().compareTo(b.name()));
        return samples;
    }

    /** The sample named {@code name}, or the workflow class of that name. */
    public static WorkflowFactory find(String name) {
        return find(name, WorkflowFactories.class.getClassLoader());
    }

    /**
     * The sample named {@code name}, or the workflow class of that name, as {@code classLoader}
     * finds them (an application's classes on top of the engine's).
     */
    public static WorkflowFactory find(String name, ClassLoader classLoader) {
        List<WorkflowFactory> samples = samples(classLoader);
        for (WorkflowFactory sample : samples) {
            if (sample.name().equals(name)) {
                return sample;
            }
        }
        if (!name.contains(".")) {
            List<String> names = samples.stream().map(WorkflowFactory::name).toList();
            throw new LaunchException("no sample named '" + name + "' (samples: " + String.join(", ", names)
                    + "; or give a workflow class name)");
        }
        Class<?> type;
        try {
            type = Class.forName(name, true, classLoader);
        } catch (ClassNotFoundException e) {
            throw new LaunchException("no workflow class " + name + " on the class path"
                    + " (give its jar or classes directory with --class-path)");
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new LaunchException("workflow class " + name + " failed to initialise: " + cause);
        } catch (LinkageError e) {
            // found, but a class it needs is not: a library's jar missing from --class-path
            throw new LaunchException("workflow class " + name + " cannot be loaded: " + e
                    + " (is a library it uses missing from --class-path?)");
        }
        if (!Workflow.class.isAssignableFrom(type)) {
            throw new LaunchException(
                    name + " is not a workflow (it does not extend " + Workflow.class.getName() + ")");
        }
        return forClass(type.asSubclass(Workflow.class));
    }

    /** A factory calling {@code type}'s public constructor taking a Config, or its no-argument one. */
    public static WorkflowFactory forClass(Class<? extends Workflow> type) {
        return new WorkflowFactory() {
            @Override
            public String name() {
                return type.getName();
            }

            @Override
            public String description() {
                return type.getName();
            }

            @Override
            public Class<? extends Workflow> workflowClass() {
                return type;
            }

            @Override
            public Workflow create(Config config) {
                try {
                    try {
                        Constructor<? extends Workflow> withConfig = type.getConstructor(Config.class);
                        return withConfig.newInstance(config);
                    } catch (NoSuchMethodException e) {
                        return type.getConstructor().newInstance();
                    }
                } catch (NoSuchMethodException e) {
                    throw new LaunchException(type.getName() + " needs a public constructor taking a Config, or none");
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof RuntimeException
                            ? (RuntimeException) cause
                            : new LaunchException("cannot build " + type.getName() + ": " + cause);
                } catch (ReflectiveOperationException e) {
                    throw new LaunchException("cannot build " + type.getName() + ": " + e);
                }
            }
        };
    }
}
