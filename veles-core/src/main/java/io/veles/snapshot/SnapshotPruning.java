package io.veles.snapshot;

import io.veles.snapshot.db.DatabaseTarget;
import io.veles.snapshot.db.OdbcSource;
import io.veles.snapshot.db.SnapshotRow;
import io.veles.snapshot.db.SnapshotTable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a {@link Retention} policy to a store: a directory (where the targets of
 * {@code _current} links and files pinned with a {@code .<file>.pin} marker are never deleted)
 * or a table. {@link #plan} decides; {@link #apply} deletes exactly what the plan says, so a dry
 * run shows what a real one does.
 */
public final class SnapshotPruning {
    /** The metric the decision records; lower is better. */
    public static final String METRIC = "validation_error";

    private SnapshotPruning() {
    }

    /** One snapshot's fate: kept (with the reason) or deleted ({@code reason} null). */
    public record Decision(SnapshotListing.Entry entry, String reason) {
        public boolean kept() {
            return reason != null;
        }
    }

    public static List<Decision> plan(String store, Retention retention) {
        List<SnapshotListing.Entry> entries = SnapshotListing.list(store);
        Set<String> protectedSources = OdbcSource.matches(store) ? Set.of() : protectedFiles(Path.of(store));
        List<Retention.Candidate> candidates = new ArrayList<>();
        for (SnapshotListing.Entry entry : entries) {
            Object metric = entry.manifest() == null ? null : entry.manifest().info.get(METRIC);
            candidates.add(new Retention.Candidate(entry.source(), entry.created(),
                    metric instanceof Number ? ((Number) metric).doubleValue() : null,
                    protectedSources.contains(entry.source())));
        }
        Map<String, String> kept = retention.kept(candidates);
        List<Decision> decisions = new ArrayList<>();
        for (SnapshotListing.Entry entry : entries) {
            decisions.add(new Decision(entry, kept.get(entry.source())));
        }
        return decisions;
    }

    /** Deletes what {@code decisions} does not keep; returns how many were deleted. */
    public static int apply(String store, List<Decision> decisions) {
        int deleted = 0;
        if (OdbcSource.matches(store)) {
            OdbcSource where = OdbcSource.parse(store);
            SnapshotTable table = new SnapshotTable(DatabaseTarget.of(where.odbc()), where.table());
            Map<String, SnapshotRow> rows = new HashMap<>();
            for (SnapshotRow row : table.list()) {
                rows.put(OdbcSource.of(where.odbc(), where.table(), row).redacted(), row);
            }
            for (Decision decision : decisions) {
                SnapshotRow row = rows.get(decision.entry().source());
                if (!decision.kept() && row != null) {
                    table.delete(row);
                    deleted++;
                }
            }
            return deleted;
        }
        for (Decision decision : decisions) {
            if (!decision.kept()) {
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

    /** Pins a snapshot file: prune never deletes it. */
    public static Path pin(Path file) {
        Path marker = file.resolveSibling("." + file.getFileName() + ".pin");
        try {
            if (!Files.isRegularFile(file)) {
                throw new SnapshotException("no snapshot file " + file);
            }
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
            return marker;
        } catch (IOException e) {
            throw new SnapshotException("cannot pin " + file + ": " + e.getMessage(), e);
        }
    }

    /** The files that prune must leave: the targets of _current links, and pinned files. */
    private static Set<String> protectedFiles(Path directory) {
        Set<String> result = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isSymbolicLink(entry) && name.contains("_" + "current")) {
                    result.add(directory.resolve(Files.readSymbolicLink(entry)).toString());
                } else if (name.startsWith(".") && name.endsWith(".pin")) {
                    result.add(directory.resolve(name.substring(1, name.length() - ".pin".length())).toString());
                }
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return result;
    }

}
