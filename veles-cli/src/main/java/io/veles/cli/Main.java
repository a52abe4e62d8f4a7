package io.veles.cli;

import io.veles.errors.SnapshotException;
import io.veles.internal.store.HttpLimits;
import io.veles.internal.util.Messages;
import io.veles.internal.util.Printable;
import io.veles.internal.util.Secrets;
import io.veles.snapshot.store.s3.S3Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code veles} command. Errors print one line on stderr and exit non-zero; {@code --debug}
 * adds the stack trace.
 */
@Command(
        name = "veles",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run workflows with snapshots, restore them, and inspect snapshots.",
        subcommands = {RunCommand.class, SnapshotCommand.class, SamplesCommand.class},
        footer = {
            "",
            "Examples:",
            "  veles run walk",
            "  veles run walk -w snapshots",
            "  veles snapshot verify snapshots/walk_current.gz",
            "  veles --class-path build/classes run com.example.MyWorkflow"
        })
public final class Main implements Runnable {
    /** Exit code for a failed run or a snapshot that does not check out. */
    static final int FAILED = 1;
    /** Exit code for a malformed command line. */
    static final int USAGE = 2;
    /** Exit code for a run stopped by SIGINT/SIGTERM before its end (128 + SIGTERM, by convention). */
    static final int STOPPED = 143;

    @Option(
            names = "--debug",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Log debug messages and show stack traces.")
    void debug(boolean on) {
        Logging.debug(on);
    }

    @Option(
            names = {"-q", "--quiet"},
            scope = CommandLine.ScopeType.INHERIT,
            description = "Log warnings and errors only; show no progress.")
    void quiet(boolean on) {
        Logging.quiet(on);
    }

    @Option(
            names = "--http-connect-timeout",
            paramLabel = "SECONDS",
            scope = CommandLine.ScopeType.INHERIT,
            description = "For http(s):// snapshots: the longest wait for a connection (default: 10).")
    void httpConnectTimeout(int seconds) {
        HttpLimits.use(HttpLimits.current().withConnectTimeout(positiveSeconds("--http-connect-timeout", seconds)));
    }

    @Option(
            names = "--http-read-timeout",
            paramLabel = "SECONDS",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "For http(s):// snapshots: the longest a server may send nothing, headers included (default: 60).")
    void httpReadTimeout(int seconds) {
        HttpLimits.use(HttpLimits.current().withReadTimeout(positiveSeconds("--http-read-timeout", seconds)));
    }

    @Option(
            names = "--http-max-size",
            paramLabel = "BYTES",
            scope = CommandLine.ScopeType.INHERIT,
            converter = ByteSizeConverter.class,
            description = "For http(s):// snapshots: refuse a download larger than this (default: 64G).")
    void httpMaxSize(long bytes) {
        HttpLimits.use(HttpLimits.current().withMaxBytes(bytes));
    }

    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            scope = CommandLine.ScopeType.INHERIT,
            description = "For s3:// locations: the S3 API's address (MinIO, Ceph, s3proxy...); default: the AWS SDK's"
                    + " (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url, else AWS).")
    void s3Endpoint(String url) {
        try {
            S3Options.use(S3Options.current().withEndpoint(url));
        } catch (SnapshotException e) {
            // thrown from a setter, picocli would wrap it in "Could not invoke ..."
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Option(
            names = "--s3-path-style",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "For s3:// locations: address buckets as ENDPOINT/bucket/key, as most self-hosted stores need.")
    void s3PathStyle(boolean on) {
        S3Options.use(S3Options.current().withPathStyle(on));
    }

    @Option(
            names = "--class-path",
            paramLabel = "PATH[:PATH...]",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Directories and jars with the application's classes: the workflow that run names,"
                    + " and the classes its snapshots name. Repeatable; the VELES_CLASSPATH variable's entries"
                    + " come after these.")
    void classPath(String paths) {
        ApplicationClassPath.addOption(paths);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The longest timeout taken (24 days): the HTTP client counts its timeouts in int milliseconds. */
    private static final int MAX_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;

    private Duration positiveSeconds(String option, int seconds) {
        if (seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    option + " must be a number of seconds from 1 to " + MAX_TIMEOUT_SECONDS + ", got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    public static void main(String[] args) {
        // Ctrl-C or SIGTERM during convert or export ends this JVM through its hooks: leave no
        // temporary or upload behind (a run handles its signals itself, and ends its writes first).
        io.veles.internal.store.InFlightWrites.abandonAtExit();
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        Logging.configure(args);
        SECRETS.clear();
        for (String arg : args) {
            SECRETS.addAll(Secrets.find(arg)); // hidden from every error line, whatever quotes them
        }
        ApplicationClassPath.reset();
        S3Options.use(S3Options.standard()); // options of an earlier call in this JVM (tests) do not carry over
        CommandLine commandLine = new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::reportError)
                .setParameterExceptionHandler(Main::reportUsageError);
        commandLine.setExecutionStrategy(Main::executeWithClassPath);
        giveVersionToSubcommands(commandLine, new VersionProvider());
        try {
            return commandLine.execute(args);
        } catch (Error e) {
            // picocli hands on Errors: the workflow's own (a model larger than -Xmx, an assert, a
            // class missing from --class-path), or a jar's broken service file, end in one line too
            if (Logging.isDebug()) {
                printStackTrace(e);
            }
            System.err.println("veles: error: " + describeError(e));
            return FAILED;
        }
    }

    private static String describeError(Error e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + (e.getMessage() == null ? "" : e.getMessage() + "; ")
                    + "this JVM's heap is "
                    + io.veles.internal.util.ByteCounts.format(
                            Runtime.getRuntime().maxMemory())
                    + ": give more with VELES_JAVA_OPTS=-Xmx...)";
        }
        if (e instanceof StackOverflowError) {
            return "the stack overflowed (nesting too deep for this thread's stack: VELES_JAVA_OPTS=-Xss...)";
        }
        if (e instanceof java.util.ServiceConfigurationError) {
            return oneLine(e);
        }
        // the type says what went wrong where the message alone does not ("com/example/Net"); an
        // ExceptionInInitializerError has none, and its cause is the failure
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e));
        Throwable cause = e.getCause();
        return e.getMessage() == null && cause != null
                ? text + ": " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + oneLine(cause))
                : text;
    }

    /**
     * Checks the application class path (--class-path, VELES_CLASSPATH) before any command runs:
     * a bad entry is a usage error. Help is shown whatever the class path. The application's
     * loader becomes the thread's context loader, which libraries use to find its resources.
     */
    private static int executeWithClassPath(CommandLine.ParseResult parseResult) {
        Integer help = CommandLine.executeHelpRequest(parseResult);
        if (help != null) {
            return help;
        }
        try {
            Thread.currentThread().setContextClassLoader(ApplicationClassPath.loader());
        } catch (ApplicationClassPath.BadEntry e) {
            throw new CommandLine.ParameterException(parseResult.commandSpec().commandLine(), e.getMessage(), e);
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** Subcommands offer --version too (mixinStandardHelpOptions); it prints the same as veles --version. */
    private static void giveVersionToSubcommands(CommandLine command, CommandLine.IVersionProvider version) {
        for (CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(version);
            giveVersionToSubcommands(sub, version);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code --debug}'s stack trace, with the passwords of the command line hidden as in the error
     * line: a driver's own message quotes them, in forms no pattern knows ("Incorrect port value :
     * secret@127.0.0.1" from a URL's user:secret@).
     */
    private static void printStackTrace(Throwable e) {
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        System.err.print(Secrets.scrub(trace.toString(), SECRETS));
        System.err.flush();
    }

    private static int reportError(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (Logging.isDebug()) {
            printStackTrace(e);
        }
        System.err.println("veles: error: " + oneLine(e));
        return FAILED;
    }

    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        System.err.println("veles: " + oneLine(e));
        System.err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }

    /** The passwords given on this command line. */
    private static final List<String> SECRETS = new ArrayList<>();

    /**
     * The exception's message on one line, or its type when it has none; never a password, and no
     * control characters (messages quote snapshot contents).
     */
    static String oneLine(Throwable e) {
        return Printable.escape(Secrets.scrub(Messages.oneLine(e), SECRETS));
    }
}
