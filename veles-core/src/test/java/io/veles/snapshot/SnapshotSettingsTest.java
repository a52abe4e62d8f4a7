package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.snapshot.codec.Codec;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The builder says the same as the record it builds, and checks what the record checks. */
class SnapshotSettingsTest {
    private static final SnapshotSettings EVERY_VALUE_SET = SnapshotSettings.builder()
            .prefix("wine")
            .directory("snaps")
            .compression(Codec.XZ)
            .compressionLevel(3)
            .interval(5)
            .timeInterval(2.5)
            .odbc("DRIVER={SQLite3};DATABASE=x.db")
            .table("t")
            .sizeWarningBytes(123L << 20)
            .codeBackup(true)
            .onFailure(SnapshotSettings.FailurePolicy.WARN)
            .async(false)
            .asyncMemoryBytes(7)
            .keepLast(1)
            .keepEveryHours(2)
            .keepBest(3)
            .backgroundThreads(5)
            .backgroundNice(7)
            .build();

    @Test
    void aBuilderWithOnlyAPrefixGivesTheDefaults() {
        SnapshotSettings built = SnapshotSettings.builder().prefix("wine").build();

        assertThat(built).isEqualTo(SnapshotSettings.defaults("wine"));
        assertThat(built.compression()).isEqualTo(Codec.GZIP);
        assertThat(built.directory()).isEqualTo(SnapshotSettings.DEFAULT_DIRECTORY);
        assertThat(built.async()).isTrue();
        assertThat(built.retention()).isNull();
    }

    @Test
    void everyValueReachesItsComponentAndToBuilderGivesThemBack() {
        SnapshotSettings s = EVERY_VALUE_SET;

        assertThat(List.of(
                        s.prefix(),
                        s.directory(),
                        s.compression(),
                        s.compressionLevel(),
                        s.interval(),
                        s.timeInterval(),
                        s.odbc(),
                        s.table(),
                        s.sizeWarningBytes(),
                        s.codeBackup(),
                        s.onFailure(),
                        s.async(),
                        s.asyncMemoryBytes(),
                        s.keepLast(),
                        s.keepEveryHours(),
                        s.keepBest(),
                        s.backgroundThreads(),
                        s.backgroundNice()))
                .containsExactly(
                        "wine",
                        "snaps",
                        Codec.XZ,
                        3,
                        5,
                        2.5,
                        "DRIVER={SQLite3};DATABASE=x.db",
                        "t",
                        123L << 20,
                        true,
                        SnapshotSettings.FailurePolicy.WARN,
                        false,
                        7L,
                        1,
                        2.0,
                        3,
                        5,
                        7);
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void theWithMethodsChangeOnlyWhatTheyName() {
        SnapshotSettings s = EVERY_VALUE_SET;

        assertThat(s.withOnFailure(SnapshotSettings.FailurePolicy.FAIL))
                .isEqualTo(s.toBuilder()
                        .onFailure(SnapshotSettings.FailurePolicy.FAIL)
                        .build());
        assertThat(s.withAsync(true, 9))
                .isEqualTo(s.toBuilder().async(true).asyncMemoryBytes(9).build());
        assertThat(s.withRetention(0, 0, 0))
                .isEqualTo(
                        s.toBuilder().keepLast(0).keepEveryHours(0).keepBest(0).build());
        SnapshotSettings other = SnapshotSettings.defaults("other");
        assertThat(s.withLocationOf(other))
                .isEqualTo(s.toBuilder()
                        .prefix("other")
                        .directory(other.directory())
                        .odbc(null)
                        .table(null)
                        .codeBackup(false)
                        .keepLast(0)
                        .keepEveryHours(0)
                        .keepBest(0)
                        .build());
    }

    @Test
    void aConfigSectionOverridesOnlyTheKeysItHas() {
        Config config = Config.parse(List.of("snapshotter.interval=4", "snapshotter.keep_last=2"));

        assertThat(SnapshotSettings.from(config.section("snapshotter"), EVERY_VALUE_SET))
                .isEqualTo(EVERY_VALUE_SET.toBuilder().interval(4).keepLast(2).build());
    }

    @Test
    void buildChecksAsTheRecordDoes() {
        assertThatThrownBy(() -> SnapshotSettings.builder().build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("snapshotter.prefix: must not be empty");
        assertThatThrownBy(
                        () -> SnapshotSettings.builder().prefix("w").interval(0).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("snapshotter.interval: must be at least 1, got 0");
    }

    @Test
    void backgroundThreadsDefaultToOneFewerThanTheCoresAndAreChecked() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(SnapshotSettings.defaults("w").compressingThreadsWhileRunning())
                .isEqualTo(Math.max(1, cores - 1));
        Config config = Config.parse(List.of("snapshotter.background_threads=3"));
        assertThat(SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("w"))
                        .compressingThreadsWhileRunning())
                .isEqualTo(3);
        assertThatThrownBy(() -> SnapshotSettings.builder()
                        .prefix("w")
                        .backgroundThreads(-1)
                        .build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("snapshotter.background_threads: must be between 1 and 1024"
                        + " (0: one fewer than the cores), got -1");
    }

    @Test
    void backgroundThreadsRunAtTheLowestPriorityByDefaultAndTheStepsAreChecked() {
        assertThat(SnapshotSettings.defaults("w").backgroundNice()).isEqualTo(19);
        Config config = Config.parse(List.of("snapshotter.background_nice=0"));
        assertThat(SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("w"))
                        .backgroundNice())
                .isZero();
        for (int steps : new int[] {-1, 20}) {
            assertThatThrownBy(() -> SnapshotSettings.builder()
                            .prefix("w")
                            .backgroundNice(steps)
                            .build())
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("snapshotter.background_nice: must be between 0 and 19, got " + steps);
        }
    }

    /** Every key KEYS names is one from() reads: the list a misspelled setting's message shows. */
    @Test
    void everyListedKeyIsRead() {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> valid = java.util.Map.ofEntries(
                java.util.Map.entry("compression", "gz"),
                java.util.Map.entry("on_failure", "warn"),
                java.util.Map.entry("odbc", ""),
                java.util.Map.entry("prefix", "p"),
                java.util.Map.entry("directory", "d"),
                java.util.Map.entry("table", "t"),
                java.util.Map.entry("code_backup", "false"),
                java.util.Map.entry("async", "true"),
                java.util.Map.entry("incremental", "false"),
                java.util.Map.entry("time_interval", "0"),
                java.util.Map.entry("background_nice", "19"),
                java.util.Map.entry("full_every", "10"));
        for (String key : SnapshotSettings.KEYS) {
            values.put("snapshotter." + key, valid.getOrDefault(key, "1"));
        }
        io.veles.config.Config config = io.veles.config.Config.of(values);
        SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("p"));
        assertThat(config.unusedKeys()).isEmpty();
    }

    /** Each of these was accepted, then made every snapshot fail or changed what the run does unasked. */
    @Test
    void valuesThatWouldFailLaterOrWrapAreRefusedNamingTheirKey() {
        SnapshotSettings base = SnapshotSettings.defaults("p");
        // beyond retention's 100 years: each snapshot's retention refused it, after an interval of work
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.keep_every_hours=1000000"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("snapshotter.keep_every_hours: must be at most 876600 (100 years), got 1000000.0");
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.keep_every_hours=Infinity"))
                .hasMessageStartingWith("snapshotter.keep_every_hours: must be at most 876600");
        assertThat(fromSettings(base, "snapshotter.keep_every_hours=876600").retention())
                .isNotNull();
        // an unset variable: snapshots would land in the working directory
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.directory="))
                .hasMessage("snapshotter.directory: must not be empty");
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.directory= "))
                .hasMessage("snapshotter.directory: must not be empty");
        // 2^43 MiB shifted to bytes wrapped to a negative, 2^44 to 0 (every snapshot synchronous)
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.async_memory_mb=17592186044416"))
                .hasMessage("snapshotter.async_memory_mb: must be between 0 and 8796093022207, got 17592186044416");
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.size_warning_mb=-1"))
                .hasMessage("snapshotter.size_warning_mb: must be between 0 and 8796093022207, got -1");
        assertThat(fromSettings(base, "snapshotter.size_warning_mb=8796093022207")
                        .sizeWarningBytes())
                .isEqualTo(8796093022207L << 20);
        // -1 stands for the codec's default inside; typed, it was silently the default
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.compression_level=-5"))
                .hasMessage("compression level -5 is out of range for gz (1-9)");
        assertThatThrownBy(() -> fromSettings(base, "snapshotter.compression=none", "snapshotter.compression_level=-1"))
                .hasMessage("compression level -1 is out of range for none, which has no compression levels");
    }

    private static SnapshotSettings fromSettings(SnapshotSettings base, String... settings) {
        return SnapshotSettings.from(Config.parse(List.of(settings)).section("snapshotter"), base);
    }
}
