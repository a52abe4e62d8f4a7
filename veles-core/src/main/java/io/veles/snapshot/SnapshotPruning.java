package io.veles.snapshot;

import io.veles.snapshot.db.DatabaseTarget;
import io.veles.snapshot.db.OdbcSource;
import io.veles.snapshot.db.SnapshotRow;
import io.veles.snapshot.db.SnapshotTable;
import io.veles.snapshot.format.Manifest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies a {@link Retention} policy to a store. In a directory, files pinned with a
 * {@code .<file>.pin} marker and the targets of {@code _current} links are never deleted; in a
 * table, the rows pinned in {@code <table>_pins} and each run's newest row (what
 * {@code odbc://…&<id>} resumes from). {@link #plan} decides; {@link #apply} deletes exactly what
 * the plan says, so a dry run shows what a real one does.
 */
public final class SnapshotPruning {
    /** The metric the decision records; lower is better. */
    public static final String METRIC = "validation_error";
    static final String PINNED = "pinned";
    static final String CURRENT = "current";

    private SnapshotPruning() {
    }

    /** One snapshot's fate: kept (with the reason) or deleted ({@code reason} null). */
    public record Decision(SnapshotListing.Entry entry, String reason) {
        public boolean kept() {
            return reason != null;
        }
    }

    /** The plan for every snapshot in {@code store} (a directory or an {@code odbc://} source). */
    public static List<Decision> plan(String store, Retention retention) {
        return plan(store, retention, Filter.ALL);
    }

    /** The plan for the snapshots in {@code store} that {@code filter} selects; the others stay. */
    public static List<Decision> plan(String store, Retention retention, Filter filter) {
        return plan(SnapshotLocation.parse(store), retention, filter, filter.needsManifests());
    }

    /**
     * Which snapshots a prune weighs: those of one prefix, of one workflow (its name or class), or
     * both; null means any. A snapshot whose manifest cannot be read is left out of a filtered
     * plan: what cannot be told apart is not deleted.
     */
    public record Filter(String prefix, String workflow) {
        public static final Filter ALL = new Filter(null, null);

        boolean needsManifests() {
            return prefix != null || workflow != null;
        }

        boolean test(SnapshotListing.Entry entry) {
            if (!needsManifests()) {
                return true;
            }
            Manifest manifest = entry.manifest();
            if (manifest == null) {
                return false;
            }
            return (prefix == null || prefix.equals(prefixOf(manifest)))
                    && (workflow == null || workflow.equals(manifest.workflowName) || workflow.equals(manifest.workflowClass));
        }

        /**
         * The prefix a snapshot was written under: recorded in its manifest, or, for snapshots
         * written before it was, its name without {@code _<suffix>}; null if neither tells.
         */
        static String prefixOf(Manifest manifest) {
            Object recorded = manifest.info.get("prefix");
            if (recorded != null) {
                return recorded.toString();
            }
            Object suffix = manifest.info.get("suffix");
            String name = manifest.name;
            if (suffix != null && name != null && name.endsWith("_" + suffix)) {
                return name.substring(0, name.length() - suffix.toString().length() - 1);
            }
            return null;
        }
    }

    /**
     * The plan for the snapshots at {@code location} that {@code scope} selects; the others are
     * left out of the plan, and so never deleted. Manifests of table rows are read only when the
     * policy needs their metric.
     */
    public static List<Decision> plan(SnapshotLocation location, Retention retention,
                                      Predicate<SnapshotListing.Entry> scope) {
        return plan(location, retention, scope, false);
    }

    private static List<Decision> plan(SnapshotLocation location, Retention retention, Filter filter,
                                       boolean manifests) {
        return plan(location, retention, filter::test, manifests);
    }

    private static List<Decision> plan(SnapshotLocation location, Retention retention,
                                       Predicate<SnapshotListing.Entry> scope, boolean manifests) {
        List<SnapshotListing.Entry> entries = new ArrayList<>();
        for (SnapshotListing.Entry entry : SnapshotListing.list(location, manifests || retention.keepBest() > 0)) {
            if (scope.test(entry)) {
                entries.add(entry);
            }
        }
        Map<String, String> protection = protections(location);
        List<Retention.Candidate> candidates = new ArrayList<>();
        for (SnapshotListing.Entry entry : entries) {
            Object metric = entry.manifest() == null ? null : entry.manifest().info.get(METRIC);
            candidates.add(new Retention.Candidate(entry.source(), entry.created(),
                    metric instanceof Number ? ((Number) metric).doubleValue() : null, protection.get(entry.source())));
        }
        Map<String, String> kept = retention.kept(candidates);
        List<Decision> decisions = new ArrayList<>();
        for (SnapshotListing.Entry entry : entries) {
            decisions.add(new Decision(entry, kept.get(entry.source())));
        }
        return decisions;
    }

    /**
     * The snapshots of {@code store} that prune never deletes, by source (as
     * {@link SnapshotListing} names them), each with why: {@code pinned} or {@code current}.
     */
    public static Map<String, String> protections(String store) {
        return protections(SnapshotLocation.parse(store));
    }

    public static Map<String, String> protections(SnapshotLocation location) {
        return location.isTable() ? protectedRows(location.table()) : protectedFiles(location.directory());
    }

    /** Deletes what {@code decisions} does not keep; returns how many were deleted. */
    public static int apply(String store, List<Decision> decisions) {
        return apply(SnapshotLocation.parse(store), decisions);
    }

    /**
     * Deletes what {@code decisions} (a plan for {@code location}) does not keep, checking pins
     * and current snapshots again first; returns how many were deleted.
     */
    public static int apply(SnapshotLocation location, List<Decision> decisions) {
        int deleted = 0;
        if (location.isTable()) {
            OdbcSource where = location.table();
            SnapshotTable table = tableOf(where);
            Map<String, SnapshotRow> rows = new HashMap<>();
            for (SnapshotRow row : table.list()) {
                rows.put(OdbcSource.of(where.odbc(), where.table(), row).redacted(), row);
            }
            Set<String> pinned = table.pinned(); // read again: a pin made since the plan still counts
            for (Decision decision : decisions) {
                SnapshotRow row = rows.get(decision.entry().source());
                if (!decision.kept() && row != null && !pinned.contains(SnapshotTable.pinKey(row))) {
                    table.delete(row);
                    deleted++;
                }
            }
            return deleted;
        }
        Map<String, String> protection = protectedFiles(location.directory());
        for (Decision decision : decisions) {
            if (!decision.kept() && !protection.containsKey(decision.entry().source())) {
                try {
                    Files.deleteIfExists(Path.of(decision.entry().source()));
                    deleted++;
                } catch (IOException e) {
                    throw new SnapshotException("cannot delete " + decision.entry().source() + ": " + e.getMessage(), e);
                }
            }
        }
        return deleted;
    }

    /** The marker that pins {@code file}: {@code .<file name>.pin} beside it. */
    static Path pinMarker(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".pin");
    }

    /** Pins a snapshot file (a _current link: the file it points to): prune never deletes it. */
    public static Path pin(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new SnapshotException("no snapshot file " + file);
            }
            if (Files.isSymbolicLink(file)) {
                file = file.resolveSibling(Files.readSymbolicLink(file).getFileName());
            }
            Path marker = pinMarker(file);
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
            return marker;
        } catch (IOException e) {
            throw new SnapshotException("cannot pin " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pins a snapshot: a file gets a marker, a database row (named by an {@code odbc://} source,
     * or the newest it matches) a row in {@code <table>_pins}. Returns what was pinned.
     */
    public static String pin(String source) {
        if (!OdbcSource.matches(source)) {
            Path marker = pin(Path.of(source)); // a _current link pins the file it points to
            String markerName = marker.getFileName().toString();
            return marker.resolveSibling(markerName.substring(1, markerName.length() - ".pin".length())).toString();
        }
        OdbcSource where = OdbcSource.parse(source);
        SnapshotTable table = tableOf(where);
        SnapshotRow row = table.find(where.id(), where.logId(), where.name())
                .orElseThrow(() -> new SnapshotException("no snapshot matches " + where.redacted() + " in " + table.describe()));
        table.pin(row);
        return OdbcSource.of(where.odbc(), where.table(), row).redacted();
    }

    /** Unpins a snapshot pinned by {@link #pin(String)}; returns false if it was not pinned. */
    public static boolean unpin(String source) {
        if (!OdbcSource.matches(source)) {
            Path file = Path.of(source);
            try {
                if (Files.isSymbolicLink(file)) {
                    file = file.resolveSibling(Files.readSymbolicLink(file).getFileName());
                }
                return Files.deleteIfExists(pinMarker(file));
            } catch (IOException e) {
                throw new SnapshotException("cannot unpin " + file + ": " + e.getMessage(), e);
            }
        }
        OdbcSource where = OdbcSource.parse(source);
        SnapshotTable table = tableOf(where);
        SnapshotRow row = table.find(where.id(), where.logId(), where.name())
                .orElseThrow(() -> new SnapshotException("no snapshot matches " + where.redacted() + " in " + table.describe()));
        return table.unpin(row);
    }

    private static SnapshotTable tableOf(OdbcSource where) {
        return new SnapshotTable(DatabaseTarget.of(where.odbc()), where.table());
    }

    /** The files that prune must leave, with why: targets of _current links, and pinned files. */
    private static Map<String, String> protectedFiles(Path directory) {
        Map<String, String> result = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isSymbolicLink(entry) && name.contains("_" + CURRENT)) {
                    result.putIfAbsent(directory.resolve(Files.readSymbolicLink(entry)).toString(), CURRENT);
                } else if (name.startsWith(".") && name.endsWith(".pin")) {
                    result.put(directory.resolve(name.substring(1, name.length() - ".pin".length())).toString(), PINNED);
                }
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** The rows that prune must leave, with why: pinned rows, and the newest row of each run. */
    private static Map<String, String> protectedRows(OdbcSource where) {
        SnapshotTable table = tableOf(where);
        Set<String> pinned = table.pinned();
        Map<String, SnapshotRow> newestOfRun = new HashMap<>();
        Map<String, String> result = new HashMap<>();
        for (SnapshotRow row : table.list()) { // oldest first: the last of a run wins
            newestOfRun.put(row.id() + "\n" + row.logId(), row);
            if (pinned.contains(SnapshotTable.pinKey(row))) {
                result.put(OdbcSource.of(where.odbc(), where.table(), row).redacted(), PINNED);
            }
        }
        for (SnapshotRow row : newestOfRun.values()) {
            result.putIfAbsent(OdbcSource.of(where.odbc(), where.table(), row).redacted(), CURRENT);
        }
        return result;
    }
}
