package io.veles.launcher;

import io.veles.config.Config;
import io.veles.internal.db.OdbcSource;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.format.SnapshotKey;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run, set step by step ({@link Veles#run}); {@link #start()} runs it. Settings given
 * later win over earlier ones, whichever method gave them.
 */
public final class RunBuilder {
    private final WorkflowFactory factory;
    private Config settings = Config.empty();
    private String resumeFrom;
    private Long randomSeed;
    private Path resultFile;
    private RestoreRules restoreRules;
    private SnapshotKey key;
    private boolean handleSignals;

    RunBuilder(WorkflowFactory factory) {
        this.factory = factory;
    }

    /**
     * Continues the run a snapshot holds instead of starting a new one: a file, a directory (its
     * newest snapshot of this workflow), {@code odbc://…} or {@code http(s)://…}, as {@code -w}
     * takes them. Where the resumed run writes comes from this builder, never from the snapshot.
     */
    public RunBuilder resumeFrom(String source) {
        this.resumeFrom = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Settings as {@code key=value} assignments ({@code "walk.iterations=500"}). */
    public RunBuilder settings(String... assignments) {
        return settings(Config.parse(List.of(assignments)));
    }

    /** Settings as keys and values. */
    public RunBuilder settings(Map<String, String> values) {
        return settings(Config.of(values));
    }

    /** Settings from a {@link Config}, for example {@code Config.load(file)}. */
    public RunBuilder settings(Config config) {
        settings = settings.with(Objects.requireNonNull(config, "config"));
        return this;
    }

    /**
     * Where snapshots go: a directory, or a database table as {@code odbc://<odbc string>[&<table>]}
     * (the same as the settings {@code snapshotter.directory}, or {@code snapshotter.odbc} and
     * {@code snapshotter.table}).
     */
    public RunBuilder snapshotsTo(String location) {
        Objects.requireNonNull(location, "location");
        Map<String, String> values = new LinkedHashMap<>();
        if (OdbcSource.matches(location)) {
            OdbcSource table = OdbcSource.parse(location);
            if (!table.id().isEmpty() || !table.name().isEmpty()) {
                throw new IllegalArgumentException(
                        "snapshots go to a table, not to one snapshot: give odbc://<odbc string>&<table>, not "
                                + table.redacted());
            }
            values.put("snapshotter.odbc", table.odbc());
            values.put("snapshotter.table", table.table());
            values.put("snapshotter.directory", ""); // a table given last wins over a directory given before
        } else {
            values.put("snapshotter.directory", location);
            values.put("snapshotter.odbc", ""); // a directory given last wins over a table given before
        }
        return settings(values);
    }

    /** The seed of a new run's random generator (a resume continues the snapshot's generator). */
    public RunBuilder randomSeed(long seed) {
        this.randomSeed = seed;
        return this;
    }

    /** Writes the run's id, last snapshot and the workflow's results to {@code file} as JSON. */
    public RunBuilder resultFile(Path file) {
        this.resultFile = Objects.requireNonNull(file, "file");
        return this;
    }

    /** How a resume maps the snapshot onto today's code: allowed packages, renames, conversions. */
    public RunBuilder restoreRules(RestoreRules rules) {
        this.restoreRules = Objects.requireNonNull(rules, "rules");
        return this;
    }

    /** Signs new snapshots with {@code key}, and resumes only from snapshots signed with it. */
    public RunBuilder signingKey(SnapshotKey key) {
        this.key = Objects.requireNonNull(key, "key");
        return this;
    }

    /**
     * With {@code true}, SIGINT and SIGTERM stop the run at the next unit boundary with a final
     * snapshot, and a second signal quits the process at once, as the {@code veles} command does.
     * The handlers are installed when the run starts and the ones they replaced are put back when
     * it ends. Off by default: a library leaves the host's signals alone.
     */
    public RunBuilder handleSignals(boolean on) {
        this.handleSignals = on;
        return this;
    }

    /**
     * Starts the run in a new thread; the handle stops it and waits for its outcome. Settings
     * that name both a directory and a database for snapshots are refused: the database would
     * take them, and the directory given would stay empty without a word.
     */
    public RunHandle start() {
        Map<String, String> given = settings.asMap();
        if (!given.getOrDefault("snapshotter.odbc", "").isEmpty()
                && !given.getOrDefault("snapshotter.directory", "").isBlank()) {
            throw new io.veles.config.ConfigException("snapshotter.directory and snapshotter.odbc each name where"
                    + " snapshots go: give one (snapshotsTo names either, and wins over what came before it)");
        }
        Launcher launcher = new Launcher(
                new Launcher.Request(factory, settings, resumeFrom, randomSeed, resultFile, restoreRules, key),
                handleSignals);
        return RunHandle.start(launcher, "veles run " + factory.name());
    }
}
