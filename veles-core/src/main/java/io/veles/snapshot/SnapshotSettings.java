package io.veles.snapshot;

import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.internal.db.DatabaseTarget;
import io.veles.internal.db.OdbcSource;
import io.veles.internal.util.ThreadNice;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.snapshot.store.s3.S3Location;

import java.time.Duration;
import java.util.List;

/**
 * A snapshotter's parameters, named as in VELES: where snapshots go ({@code prefix},
 * {@code directory}, or {@code odbc} and {@code table} for a database), how they are compressed
 * ({@code compression}, {@code compression_level}), and how often they are taken
 * ({@code interval}: one per N runs; {@code time_interval}: at most one per N seconds).
 * Made from a config section ({@link #from}) or by name with {@link #builder()}, e.g.
 * {@code SnapshotSettings.builder().prefix("wine").compression(Codec.XZ).keepLast(3).build()};
 * {@link #toBuilder()} changes given settings.
 *
 * @param sizeWarningBytes a snapshot whose state exceeds this is reported once, with its five
 *                         largest units
 * @param codeBackup       snapshots also carry the workflow's code ({@code code_backup})
 * @param onFailure        what a failed snapshot does to the run ({@code on_failure})
 * @param async            the run pauses only to copy its state; compressing and storing go on in
 *                         the background ({@code async}, default on)
 * @param asyncMemoryBytes the largest copy an asynchronous snapshot may hold; a larger state is
 *                         written synchronously ({@code async_memory_mb}, default a quarter of the
 *                         heap)
 * @param keepLast         retention as the snapshotter writes: keep this run's prefix's N newest
 *                         ({@code keep_last}; 0: no such rule)
 * @param keepEveryHours   ... and the newest of each period of this many hours ({@code keep_every_hours})
 * @param keepBest         ... and the K best by the decision's metric ({@code keep_best}); with none
 *                         of the three set, nothing is ever deleted
 * @param incremental      differential snapshots: each stores only the blocks whose content changed
 *                         since the last one and references the rest ({@code incremental}, default off)
 * @param fullEvery        with {@code incremental}, every N-th snapshot is standalone, so that a
 *                         restore reads at most N files ({@code full_every}, default 10)
 * @param backgroundThreads threads that compress an asynchronous snapshot while the run goes on
 *                         ({@code background_threads}; 0, the default: one fewer than the cores,
 *                         at least one). Once the run waits for it, at its next snapshot or its
 *                         end, it compresses on every core
 * @param backgroundNice   how many steps of CPU priority (nice values, as {@code nice -n}) the
 *                         threads writing an asynchronous snapshot take below the run, so that they
 *                         give way to it on a shared core ({@code background_nice}, 0 to 19, default
 *                         {@value #DEFAULT_BACKGROUND_NICE}; Linux only, 0: the run's priority)
 */
public record SnapshotSettings(
        String prefix,
        String directory,
        Codec compression,
        int compressionLevel,
        int interval,
        double timeInterval,
        String odbc,
        String table,
        long sizeWarningBytes,
        boolean codeBackup,
        FailurePolicy onFailure,
        boolean async,
        long asyncMemoryBytes,
        int keepLast,
        double keepEveryHours,
        int keepBest,
        boolean incremental,
        int fullEvery,
        int backgroundThreads,
        int backgroundNice) {

    /** What a snapshot that cannot be written does to the run. */
    public enum FailurePolicy {
        /** The run stops with the error (the default): nothing goes on unprotected. */
        FAIL,
        /** The error is logged and the run goes on; the next snapshot tries again. */
        WARN;

        static FailurePolicy parse(String value) {
            switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "fail":
                    return FAIL;
                case "warn":
                    return WARN;
                default:
                    throw new ConfigException("snapshotter.on_failure: expected fail or warn, got '" + value + "'");
            }
        }
    }

    public static final String DEFAULT_DIRECTORY = "snapshots";

    public static final long DEFAULT_SIZE_WARNING = 1L << 30;

    /** With incremental snapshots, every tenth is standalone by default. */
    public static final int DEFAULT_FULL_EVERY = 10;

    /** Background threads run at the lowest priority below the run's by default. */
    public static final int DEFAULT_BACKGROUND_NICE = ThreadNice.LOWEST;

    /** The most threads {@code background_threads} may name. */
    public static final int MAX_THREADS = 1024;

    public SnapshotSettings {
        if (prefix == null || prefix.isEmpty()) {
            throw new ConfigException("snapshotter.prefix: must not be empty");
        }
        if (interval < 1) {
            throw new ConfigException("snapshotter.interval: must be at least 1, got " + interval);
        }
        if (timeInterval < 0 || Double.isNaN(timeInterval)) {
            throw new ConfigException("snapshotter.time_interval: must be 0 or more seconds, got " + timeInterval);
        }
        compressionLevel = compression.checkLevel(compressionLevel);
        if (onFailure == null) {
            onFailure = FailurePolicy.FAIL;
        }
        if (asyncMemoryBytes < 0) {
            throw new ConfigException(
                    "snapshotter.async_memory_mb: must be 0 or more, got " + (asyncMemoryBytes >> 20));
        }
        if (keepLast < 0 || keepBest < 0 || keepEveryHours < 0 || Double.isNaN(keepEveryHours)) {
            throw new ConfigException("snapshotter.keep_last, keep_every_hours, keep_best: must be 0 or more");
        }
        if (fullEvery < 1 || fullEvery > SnapshotFormat.MAX_CHAIN) {
            throw new ConfigException(
                    "snapshotter.full_every: must be between 1 and " + SnapshotFormat.MAX_CHAIN + ", got " + fullEvery);
        }
        if (backgroundThreads < 0 || backgroundThreads > MAX_THREADS) {
            throw new ConfigException("snapshotter.background_threads: must be between 1 and " + MAX_THREADS
                    + " (0: one fewer than the cores), got " + backgroundThreads);
        }
        if (backgroundNice < 0 || backgroundNice > ThreadNice.LOWEST) {
            throw new ConfigException("snapshotter.background_nice: must be between 0 and " + ThreadNice.LOWEST
                    + ", got " + backgroundNice);
        }
        if (keepEveryHours > 0 && keepEveryHours * 3600 < 1) {
            throw new ConfigException("snapshotter.keep_every_hours: must be at least one second (1/3600), got "
                    + java.math.BigDecimal.valueOf(keepEveryHours).toPlainString());
        }
        // refused here, not by the first snapshot's retention: a run must not find it out after an interval of work
        if (keepEveryHours > Retention.MAX_PERIOD.toHours()) {
            throw new ConfigException("snapshotter.keep_every_hours: must be at most " + Retention.MAX_PERIOD.toHours()
                    + " (100 years), got " + keepEveryHours);
        }
        if (odbc == null && (directory == null || directory.isBlank())) {
            // Path.of("") is the working directory: an unset variable would scatter snapshots there
            throw new ConfigException("snapshotter.directory: must not be empty");
        }
    }

    /** The retention the snapshotter applies after each snapshot, or null when it keeps everything. */
    public Retention retention() {
        if (keepLast == 0 && keepEveryHours == 0 && keepBest == 0) {
            return null;
        }
        return new Retention(
                keepLast, keepEveryHours == 0 ? null : Duration.ofSeconds(Math.round(keepEveryHours * 3600)), keepBest);
    }

    /**
     * Threads that compress an asynchronous snapshot while the run goes on: {@code background_threads},
     * or one fewer than the cores when it is 0, so that the run keeps a core of its own.
     */
    public int compressingThreadsWhileRunning() {
        return backgroundThreads > 0
                ? backgroundThreads
                : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /**
     * The settings as they were before {@code background_threads}, which takes its default (0),
     * kept so that code built against that constructor still links.
     */
    public SnapshotSettings(
            String prefix,
            String directory,
            Codec compression,
            int compressionLevel,
            int interval,
            double timeInterval,
            String odbc,
            String table,
            long sizeWarningBytes,
            boolean codeBackup,
            FailurePolicy onFailure,
            boolean async,
            long asyncMemoryBytes,
            int keepLast,
            double keepEveryHours,
            int keepBest,
            boolean incremental,
            int fullEvery) {
        this(
                prefix,
                directory,
                compression,
                compressionLevel,
                interval,
                timeInterval,
                odbc,
                table,
                sizeWarningBytes,
                codeBackup,
                onFailure,
                async,
                asyncMemoryBytes,
                keepLast,
                keepEveryHours,
                keepBest,
                incremental,
                fullEvery,
                0,
                DEFAULT_BACKGROUND_NICE);
    }

    /**
     * The settings as they were before {@code background_nice}, which takes its default, kept so
     * that code built against that constructor still links.
     */
    public SnapshotSettings(
            String prefix,
            String directory,
            Codec compression,
            int compressionLevel,
            int interval,
            double timeInterval,
            String odbc,
            String table,
            long sizeWarningBytes,
            boolean codeBackup,
            FailurePolicy onFailure,
            boolean async,
            long asyncMemoryBytes,
            int keepLast,
            double keepEveryHours,
            int keepBest,
            boolean incremental,
            int fullEvery,
            int backgroundThreads) {
        this(
                prefix,
                directory,
                compression,
                compressionLevel,
                interval,
                timeInterval,
                odbc,
                table,
                sizeWarningBytes,
                codeBackup,
                onFailure,
                async,
                asyncMemoryBytes,
                keepLast,
                keepEveryHours,
                keepBest,
                incremental,
                fullEvery,
                backgroundThreads,
                DEFAULT_BACKGROUND_NICE);
    }

    /** The default bound of an asynchronous snapshot's copy: a quarter of the heap. */
    public static long defaultAsyncMemory() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Settings at their defaults (see {@link #defaults}); a prefix must be set before {@code build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to make changed ones. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** These settings with another failure policy. */
    public SnapshotSettings withOnFailure(FailurePolicy policy) {
        return toBuilder().onFailure(policy).build();
    }

    /** These settings with asynchronous snapshots on or off, bounded by {@code memoryBytes}. */
    public SnapshotSettings withAsync(boolean on, long memoryBytes) {
        return toBuilder().async(on).asyncMemoryBytes(memoryBytes).build();
    }

    /** These settings with a retention policy applied after each snapshot (all zero: none). */
    public SnapshotSettings withRetention(int last, double everyHours, int best) {
        return toBuilder()
                .keepLast(last)
                .keepEveryHours(everyHours)
                .keepBest(best)
                .build();
    }

    /** These settings with the connection string's password removed, as snapshots record them. */
    public SnapshotSettings withoutSecrets() {
        return toBuilder().odbc(DatabaseTarget.redacted(odbc)).build();
    }

    /**
     * These settings with where snapshots go and what is deleted taken from {@code other}: prefix,
     * directory, odbc, table, code backup and retention. The codec and cadence stay.
     */
    public SnapshotSettings withLocationOf(SnapshotSettings other) {
        return toBuilder()
                .prefix(other.prefix)
                .directory(other.directory)
                .odbc(other.odbc)
                .table(other.table)
                .codeBackup(other.codeBackup)
                .keepLast(other.keepLast)
                .keepEveryHours(other.keepEveryHours)
                .keepBest(other.keepBest)
                .build();
    }

    /**
     * Where these settings send snapshots and what they delete, in words: "directory snapshots,
     * prefix wine" (or "bucket s3://training/wine, prefix wine").
     */
    public String location() {
        StringBuilder text = new StringBuilder(
                odbc != null
                        ? "odbc " + DatabaseTarget.redacted(odbc) + ", table "
                                + (table != null ? table : OdbcSource.DEFAULT_TABLE)
                        : (S3Location.isS3(directory) ? "bucket " : "directory ") + directory);
        text.append(", prefix ").append(prefix);
        if (retention() != null) {
            text.append(", keep_last ")
                    .append(keepLast)
                    .append(", keep_every_hours ")
                    .append(keepEveryHours)
                    .append(", keep_best ")
                    .append(keepBest);
        }
        if (codeBackup) {
            text.append(", code_backup");
        }
        return text.toString();
    }

    /** Defaults: gz at its default level, every run, into {@code ./snapshots}. */
    public static SnapshotSettings defaults(String prefix) {
        return builder().prefix(prefix).build();
    }

    /** The keys {@link #from} reads in a {@code snapshotter} section, for messages about the others. */
    public static final List<String> KEYS = List.of(
            "prefix",
            "directory",
            "compression",
            "compression_level",
            "interval",
            "time_interval",
            "odbc",
            "table",
            "size_warning_mb",
            "code_backup",
            "on_failure",
            "async",
            "async_memory_mb",
            "keep_last",
            "keep_every_hours",
            "keep_best",
            "incremental",
            "full_every",
            "background_threads",
            "background_nice");

    /**
     * {@code key}'s megabytes in bytes, or {@code fallback} bytes when the section lacks it: a
     * negative count, or one whose bytes a long cannot hold (shifted, it would wrap to a negative
     * or to 0), is refused naming the key and the number given.
     */
    private static long megabytes(Config section, String key, long fallback) {
        if (!section.has(key)) {
            return fallback;
        }
        long mb = section.getLong(key, 0);
        if (mb < 0 || mb > Long.MAX_VALUE >> 20) {
            throw new ConfigException(
                    "snapshotter." + key + ": must be between 0 and " + (Long.MAX_VALUE >> 20) + ", got " + mb);
        }
        return mb << 20;
    }

    /** Settings from a {@code snapshotter} config section; missing keys take {@code base}'s values. */
    public static SnapshotSettings from(Config section, SnapshotSettings base) {
        Codec codec = section.has("compression")
                ? Codec.fromArgument(section.getString("compression", null))
                : base.compression();
        int level = section.has("compression_level") || codec != base.compression()
                ? section.getInt("compression_level", -1)
                : base.compressionLevel();
        if (section.has("compression_level")) {
            codec.checkGivenLevel(level);
        }
        return base.toBuilder()
                .prefix(section.getString("prefix", base.prefix()))
                .directory(section.getString("directory", base.directory()))
                .compression(codec)
                .compressionLevel(level)
                .interval(section.getInt("interval", base.interval()))
                .timeInterval(section.getDouble("time_interval", base.timeInterval()))
                .odbc(emptyToNull(section.getString("odbc", base.odbc())))
                .table(section.getString("table", base.table()))
                .sizeWarningBytes(megabytes(section, "size_warning_mb", base.sizeWarningBytes()))
                .codeBackup(section.getBoolean("code_backup", base.codeBackup()))
                .onFailure(
                        section.has("on_failure")
                                ? FailurePolicy.parse(section.getString("on_failure", "fail"))
                                : base.onFailure())
                .async(section.getBoolean("async", base.async()))
                .asyncMemoryBytes(megabytes(section, "async_memory_mb", base.asyncMemoryBytes()))
                .keepLast(section.getInt("keep_last", base.keepLast()))
                .keepEveryHours(section.getDouble("keep_every_hours", base.keepEveryHours()))
                .keepBest(section.getInt("keep_best", base.keepBest()))
                .incremental(section.getBoolean("incremental", base.incremental()))
                .fullEvery(section.getInt("full_every", base.fullEvery()))
                .backgroundThreads(section.getInt("background_threads", base.backgroundThreads()))
                .backgroundNice(section.getInt("background_nice", base.backgroundNice()))
                .build();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Collects settings one named value at a time; {@link #build()} checks them as the record
     * does. Starts from the defaults of {@link #defaults}, or from given settings.
     */
    public static final class Builder {
        private String prefix;
        private String directory = DEFAULT_DIRECTORY;
        private Codec compression = Codec.GZIP;
        private int compressionLevel = -1;
        private int interval = 1;
        private double timeInterval;
        private String odbc;
        private String table;
        private long sizeWarningBytes = DEFAULT_SIZE_WARNING;
        private boolean codeBackup;
        private FailurePolicy onFailure = FailurePolicy.FAIL;
        private boolean async = true;
        private long asyncMemoryBytes = defaultAsyncMemory();
        private int keepLast;
        private double keepEveryHours;
        private int keepBest;
        private boolean incremental;
        private int fullEvery = DEFAULT_FULL_EVERY;
        private int backgroundThreads;
        private int backgroundNice = DEFAULT_BACKGROUND_NICE;

        private Builder() {}

        private Builder(SnapshotSettings s) {
            prefix = s.prefix;
            directory = s.directory;
            compression = s.compression;
            compressionLevel = s.compressionLevel;
            interval = s.interval;
            timeInterval = s.timeInterval;
            odbc = s.odbc;
            table = s.table;
            sizeWarningBytes = s.sizeWarningBytes;
            codeBackup = s.codeBackup;
            onFailure = s.onFailure;
            async = s.async;
            asyncMemoryBytes = s.asyncMemoryBytes;
            keepLast = s.keepLast;
            keepEveryHours = s.keepEveryHours;
            keepBest = s.keepBest;
            incremental = s.incremental;
            fullEvery = s.fullEvery;
            backgroundThreads = s.backgroundThreads;
            backgroundNice = s.backgroundNice;
        }

        public Builder prefix(String value) {
            prefix = value;
            return this;
        }

        public Builder directory(String value) {
            directory = value;
            return this;
        }

        public Builder compression(Codec value) {
            compression = value;
            return this;
        }

        /** The codec's level; negative for its default. */
        public Builder compressionLevel(int value) {
            compressionLevel = value;
            return this;
        }

        public Builder interval(int runs) {
            interval = runs;
            return this;
        }

        public Builder timeInterval(double seconds) {
            timeInterval = seconds;
            return this;
        }

        public Builder odbc(String value) {
            odbc = value;
            return this;
        }

        public Builder table(String value) {
            table = value;
            return this;
        }

        public Builder sizeWarningBytes(long value) {
            sizeWarningBytes = value;
            return this;
        }

        public Builder codeBackup(boolean on) {
            codeBackup = on;
            return this;
        }

        public Builder onFailure(FailurePolicy value) {
            onFailure = value;
            return this;
        }

        public Builder async(boolean on) {
            async = on;
            return this;
        }

        public Builder asyncMemoryBytes(long value) {
            asyncMemoryBytes = value;
            return this;
        }

        public Builder keepLast(int count) {
            keepLast = count;
            return this;
        }

        public Builder keepEveryHours(double hours) {
            keepEveryHours = hours;
            return this;
        }

        public Builder keepBest(int count) {
            keepBest = count;
            return this;
        }

        public Builder incremental(boolean on) {
            incremental = on;
            return this;
        }

        public Builder fullEvery(int count) {
            fullEvery = count;
            return this;
        }

        /** Threads compressing an asynchronous snapshot while the run goes on; 0: one fewer than the cores. */
        public Builder backgroundThreads(int count) {
            backgroundThreads = count;
            return this;
        }

        /**
         * Steps of CPU priority the threads writing an asynchronous snapshot take below the run,
         * 0 to 19; 0: the run's own.
         */
        public Builder backgroundNice(int steps) {
            backgroundNice = steps;
            return this;
        }

        public SnapshotSettings build() {
            return new SnapshotSettings(
                    prefix,
                    directory,
                    compression,
                    compressionLevel,
                    interval,
                    timeInterval,
                    odbc,
                    table,
                    sizeWarningBytes,
                    codeBackup,
                    onFailure,
                    async,
                    asyncMemoryBytes,
                    keepLast,
                    keepEveryHours,
                    keepBest,
                    incremental,
                    fullEvery,
                    backgroundThreads,
                    backgroundNice);
        }
    }
}
