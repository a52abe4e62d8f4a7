package io.veles.cli;

import io.veles.config.Config;
import io.veles.internal.util.Printable;
import io.veles.launcher.Launcher;
import io.veles.launcher.RunBuilder;
import io.veles.launcher.Veles;
import io.veles.launcher.WorkflowFactories;
import io.veles.launcher.WorkflowFactory;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.format.SnapshotKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code veles run <workflow> [options] [key=value ...]}. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a workflow, taking snapshots as it goes, or continue one from a snapshot.",
            "Settings are key=value pairs (e.g. walk.iterations=500 snapshotter.interval=10)."
        },
        footer = {
            "",
            "Examples:",
            "  veles run walk                         # snapshots into ./snapshots",
            "  veles run walk --compression xz --snapshot-interval 10",
            "  veles run walk -w snapshots            # continue from the newest",
            "  veles run wine snapshotter.keep_last=3 # delete all but the last 3",
            "  veles run wine --odbc 'DRIVER={SQLite3};DATABASE=snapshots.db'",
            "  veles run wine --odbc 'DRIVER={MariaDB};SERVER=db;DATABASE=test;UID=me;PWD=pw'",
            "  veles run wine -w 'odbc://DRIVER={SQLite3};DATABASE=snapshots.db'",
            "  veles run wine --config wine.properties decision.max_epochs=50",
            "                                         # wine.properties: key=value lines"
        })
final class RunCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "WORKFLOW",
            description = "A sample's name (see 'veles samples') or a workflow class name.")
    String workflow;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Settings overriding the workflow's defaults.")
    List<String> settings = new ArrayList<>();

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Settings from a properties file (key=value lines) or a JSON object; KEY=VALUE arguments override them.")
    Path configFile;

    @Option(
            names = {"-w", "--snapshot"},
            paramLabel = "SRC",
            description =
                    "Restore from this snapshot and continue: a file, a directory (its newest _current), an http(s):// address (downloaded to a private temporary and verified there, then kept in ./snapshots under a name that replaces nothing), odbc://<odbc string>&<table>&<id>&<log_id>[&<name>] (empty table: veles; empty log_id: the id; no name: the newest), or s3://bucket/prefix[/name.gz] (a prefix: the newest snapshot of the workflow being run).")
    String snapshot;

    @Option(
            names = "--snapshot-dir",
            paramLabel = "DIR",
            description =
                    "Where snapshots go: a directory (default: snapshots) or s3://bucket/prefix, one object per snapshot.")
    String directory;

    @Option(
            names = "--snapshot-prefix",
            paramLabel = "PREFIX",
            description = "Snapshot file name prefix (default: the workflow's).")
    String prefix;

    @Option(
            names = "--compression",
            paramLabel = "CODEC",
            description = "none, snappy, gz (default), bz2, xz, zst or lz4.")
    String compression;

    @Option(
            names = "--compression-level",
            paramLabel = "N",
            description = "Codec level (gz 1-9, bz2 1-9, xz 0-9, zst 1-22, lz4 1-12).")
    Integer level;

    @Option(
            names = "--snapshot-interval",
            paramLabel = "N",
            description = "One snapshot per N runs of the snapshotter (default 1).")
    Integer interval;

    @Option(
            names = "--snapshot-time-interval",
            paramLabel = "SECONDS",
            description = "At most one snapshot per this many seconds (default 0).")
    Double timeInterval;

    @Option(
            names = "--no-snapshots",
            description = "Take no snapshot, not even the final one (to measure what snapshots cost).")
    boolean noSnapshots;

    @Option(
            names = "--odbc",
            paramLabel = "STRING",
            description =
                    "Store snapshots in a database: an ODBC string such as DRIVER={SQLite3};DATABASE=snapshots.db (MariaDB and PostgreSQL: see the examples), DSN=name of a data source in an ODBC ini file, or a jdbc: URL.")
    String odbc;

    @Option(names = "--table", paramLabel = "NAME", description = "Database table for snapshots (default veles).")
    String table;

    @Option(
            names = "--code-backup",
            description =
                    "Keep the workflow's code (its jar or class files) in each snapshot; 'veles snapshot extract-code' writes it out.")
    boolean codeBackup;

    @Option(
            names = "--incremental",
            description = "Differential snapshots: each stores only the blocks that changed since the last one"
                    + " (a standalone one every snapshotter.full_every, default 10).")
    boolean incremental;

    @Option(
            names = "--random-seed",
            paramLabel = "N",
            description = "Seed of a new run's random generator (default 1234).")
    Long seed;

    @Option(names = "--result-file", paramLabel = "FILE", description = "Write the run's results as JSON.")
    Path resultFile;

    @Option(
            names = "--snapshot-key",
            paramLabel = "FILE",
            description =
                    "Sign snapshots with the key in FILE (HMAC-SHA256), and restore only snapshots signed with it.")
    Path keyFile;

    @Option(
            names = "--allow-package",
            paramLabel = "PACKAGE",
            description =
                    "Let snapshots hold classes of this package too: saved, and instantiated on restore (repeatable; or the setting allow_packages=a.b,c.d). Classes of the workflow's own jar or classes directory need none.")
    List<String> allowPackages = new ArrayList<>();

    @Option(
            names = "--rename-class",
            paramLabel = "OLD=NEW",
            description =
                    "Restore objects saved as class OLD into class NEW, for classes renamed or moved since the snapshot (repeatable).")
    Map<String, String> renamedClasses = new LinkedHashMap<>();

    @Option(
            names = "--removed-unit-class",
            paramLabel = "CLASS",
            description =
                    "Restore the units of CLASS, which the code no longer has, as placeholders that do nothing and keep their links; their state is dropped (repeatable).")
    List<String> removedUnitClasses = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (snapshot == null && (!renamedClasses.isEmpty() || !removedUnitClasses.isEmpty())) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--rename-class and --removed-unit-class apply to a restore: give -w SNAPSHOT");
        }
        if (snapshot != null && noSnapshots) {
            // a restored workflow holds its snapshotters: the option would be ignored, silently
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--no-snapshots applies to a new run only: a restored run keeps its snapshots");
        }
        Config fromFile = configFile == null ? Config.empty() : Config.load(configFile);
        Config config = fromFile.with(settingsArguments()).with(Config.of(snapshotOptions()));
        refuseIgnoredLocations(config.asMap());
        SnapshotKey key = keyFile == null ? null : SnapshotKey.fromFile(keyFile);
        WorkflowFactory factory = WorkflowFactories.find(workflow, ApplicationClassPath.loader());
        if (noSnapshots) {
            factory = new WithoutSnapshots(factory);
        }
        List<String> allowed = new ArrayList<>(allowPackages);
        for (String name : config.getString("allow_packages", "").split(",")) {
            if (!name.isBlank()) {
                allowed.add(name.strip()); // the setting allow_packages=a.b,c.d, as a config file would give it
            }
        }
        RestoreRules rules = RestoreRules.forWorkflow(factory.workflowClass()).allowPackages(allowed);
        for (Map.Entry<String, String> rename : renamedClasses.entrySet()) {
            rules = rules.renameClass(rename.getKey(), rename.getValue());
        }
        for (String removed : removedUnitClasses) {
            rules = rules.removedUnitClass(removed);
        }
        RunBuilder run = Veles.run(factory).settings(config).restoreRules(rules).handleSignals(true);
        if (snapshot != null) {
            run.resumeFrom(snapshot);
        }
        if (seed != null) {
            run.randomSeed(seed);
        }
        if (resultFile != null) {
            run.resultFile(resultFile);
        }
        if (key != null) {
            run.signingKey(key);
        }
        Launcher.Outcome outcome = run.start().await();
        if (outcome.lastSnapshot() != null) {
            System.err.println("last snapshot: " + Printable.escape(outcome.lastSnapshot()));
        }
        if (outcome.stopped()) {
            // Not finished: a script's next step must not take this for a completed run.
            System.err.println(Printable.escape(StopMessage.describe(workflow, outcome))); // it quotes snapshot facts
            return Main.STOPPED;
        }
        return 0;
    }

    /** The KEY=VALUE arguments; one that is not a setting is a malformed command line (exit 2). */
    private Config settingsArguments() {
        try {
            return Config.parse(settings);
        } catch (io.veles.config.ConfigException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * The same two checks on the settings from every source (a config file, key=value, the
     * options): a table with no database would be dropped, and so would a directory beside one.
     */
    private static void refuseIgnoredLocations(Map<String, String> settings) {
        boolean database = !settings.getOrDefault("snapshotter.odbc", "").isEmpty();
        if (!database && settings.containsKey("snapshotter.table")) {
            throw new io.veles.config.ConfigException(
                    "snapshotter.table (--table) names a table of the database in snapshotter.odbc (--odbc),"
                            + " which is not given");
        }
        if (database && settings.containsKey("snapshotter.directory")) {
            throw new io.veles.config.ConfigException("snapshotter.directory (--snapshot-dir) and snapshotter.odbc"
                    + " (--odbc) each name where snapshots go: give one");
        }
    }

    /** The snapshot options as snapshotter.* settings, so that they override a config alike. */
    private Map<String, String> snapshotOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        put(options, "directory", directory);
        put(options, "prefix", prefix);
        put(options, "compression", compression);
        put(options, "compression_level", level);
        put(options, "interval", interval);
        put(options, "time_interval", timeInterval);
        put(options, "odbc", odbc);
        put(options, "table", table);
        put(options, "code_backup", codeBackup ? Boolean.TRUE : null);
        put(options, "incremental", incremental ? Boolean.TRUE : null);
        return options;
    }

    private static void put(Map<String, String> options, String key, Object value) {
        if (value != null) {
            options.put("snapshotter." + key, value.toString());
        }
    }
}
