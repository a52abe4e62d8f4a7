package io.veles.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshotter's retention in a directory: it weighs only the files this snapshotter wrote in
 * this process ({@link OwnSnapshots}), never lists the directory or reads a manifest, and never
 * deletes a pinned file or the target of the {@code _current} link it moved. Other runs' files,
 * other prefixes' and other codecs' are not its business: {@code veles snapshot prune} is.
 */
final class DirectoryRetention {
    private DirectoryRetention() {
    }

    /** Deletes this snapshotter's files that {@code retention} does not keep; returns them. */
    static List<OwnSnapshots.Written> apply(Retention retention, OwnSnapshots own) {
        List<OwnSnapshots.Written> mine = own.list();
        List<Retention.Candidate> candidates = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (OwnSnapshots.Written written : mine) {
            // Written in this order: snapshots taken within one millisecond still rank by it.
            Instant created = written.created().isAfter(previous) ? written.created() : previous.plusNanos(1);
            previous = created;
            candidates.add(new Retention.Candidate(written.destination(), created, written.metric(), protection(written)));
        }
        Map<String, String> kept = retention.kept(candidates);
        List<OwnSnapshots.Written> deleted = new ArrayList<>();
        for (OwnSnapshots.Written written : mine) {
            // Asked again just before deleting: a pin made since the plan still counts.
            if (kept.containsKey(written.destination()) || protection(written) != null) {
                continue;
            }
            try {
                Files.deleteIfExists(Path.of(written.destination()));
            } catch (IOException e) {
                own.removeAll(deleted);
                throw new SnapshotException("cannot delete " + written.destination() + ": " + e.getMessage(), e);
            }
            deleted.add(written);
        }
        own.removeAll(deleted);
        return deleted;
    }

    /** Why {@code written} must stay: pinned, the target of its {@code _current} link, or null. */
    private static String protection(OwnSnapshots.Written written) {
        Path file = Path.of(written.destination());
        if (Files.exists(SnapshotPruning.pinMarker(file), LinkOption.NOFOLLOW_LINKS)) {
            return SnapshotPruning.PINNED;
        }
        if (written.current() != null) {
            try {
                Path target = Files.readSymbolicLink(Path.of(written.current()));
                if (target.getFileName() != null && target.getFileName().equals(file.getFileName())) {
                    return SnapshotPruning.CURRENT;
                }
            } catch (IOException | UnsupportedOperationException e) {
                // no link (yet, or any more): nothing it protects
            }
        }
        return null;
    }
}
