package io.veles.snapshot;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.db.DatabaseTarget;
import io.veles.snapshot.db.OdbcSource;
import io.veles.snapshot.db.SnapshotRow;
import io.veles.snapshot.db.SnapshotTable;
import io.veles.snapshot.store.AtomicFiles;
import io.veles.snapshot.store.PrefixLock;
import io.veles.snapshot.store.SnapshotBody;
import io.veles.snapshot.store.SnapshotDirectory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a snapshotter's snapshots go, as its settings say: files in a directory, or rows of a
 * database table when {@code odbc} is given. Stores are derived from the settings and never
 * captured, so a restored run may send its snapshots elsewhere.
 */
interface SnapshotStore {

    /** What a store needs to file one snapshot. */
    record Entry(String prefix, String suffix, Instant created, String id, String logId, String workflow, Codec codec) {
        String name() {
            return prefix + "_" + suffix;
        }

        Entry withSuffix(String newSuffix) {
            return new Entry(prefix, newSuffix, created, id, logId, workflow, codec);
        }

        /** What tells this run's snapshots from others' under one name: the run id's first 8 letters and digits. */
        String discriminator() {
            String plain = id == null ? "" : id.replaceAll("[^A-Za-z0-9]", "");
            return plain.length() > 8 ? plain.substring(0, 8) : plain;
        }
    }

    /** A stored snapshot: where it went (as {@link #destinationOf} names it) and the bytes stored. */
    record Stored(String destination, long bytes) {
    }

    /**
     * {@code wanted}, or, where its name is taken, the same entry with a distinct suffix: a stored
     * snapshot is never replaced. A change is logged.
     */
    Entry freeName(Entry wanted);

    /** Where {@code entry} will go, as a user names it to restore (without passwords). */
    String destinationOf(Entry entry);

    /**
     * Checks that snapshots can be stored (the database answers, the table exists or is created;
     * no other live run writes this prefix into the directory, which is then locked for run
     * {@code runId}).
     */
    void prepare(String runId);

    /**
     * Stores one snapshot whose bytes {@code body} writes, all or nothing, never over another
     * snapshot: should its name have been taken since {@link #freeName}, it gets another one.
     */
    Stored store(Entry entry, SnapshotBody body);

    /** Records {@code stored} among the snapshots this snapshotter wrote ({@code own}). */
    OwnSnapshots.Written record(Entry entry, Stored stored, Double metric);

    /**
     * Deletes the snapshots of this snapshotter's run that {@code retention} does not keep, once
     * {@code written} is stored; returns the names of those deleted. In a directory, that is the
     * files of {@code own}; in a table, the rows of {@code written}'s run (other runs' rows, a
     * colleague's among them, are left to {@code veles snapshot prune}).
     */
    List<String> applyRetention(Retention retention, Entry written, OwnSnapshots own);

    /** Lets another run write this prefix (a directory's lock is released). */
    void release();

    static SnapshotStore forSettings(SnapshotSettings settings) {
        if (settings.odbc() != null) {
            String table = settings.table() == null || settings.table().isEmpty()
                    ? SnapshotSettings.DEFAULT_TABLE : settings.table();
            return new TableStore(settings.odbc(), new SnapshotTable(DatabaseTarget.of(settings.odbc()), table));
        }
        return new DirectoryStore(new SnapshotDirectory(Path.of(settings.directory())), settings.prefix());
    }

    /**
     * Files {@code <directory>/<prefix>_<suffix><ext>} and the {@code _current} link, written by
     * one live run per prefix (a {@link PrefixLock}).
     */
    final class DirectoryStore implements SnapshotStore {
        private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
        private final SnapshotDirectory directory;
        private final String prefix;
        private PrefixLock lock;

        DirectoryStore(SnapshotDirectory directory, String prefix) {
            this.directory = directory;
            this.prefix = prefix;
        }

        /** Called before the first iteration, so that a second run into this prefix refuses at once. */
        @Override
        public void prepare(String runId) {
            lockFor(runId);
        }

        /** Takes the prefix's lock for run {@code runId} unless this store holds it already. */
        private synchronized void lockFor(String runId) {
            if (lock == null) {
                lock = directory.lock(prefix, runId);
            }
        }

        @Override
        public Entry freeName(Entry wanted) {
            String suffix = directory.freeSuffix(wanted.prefix(), wanted.suffix(), wanted.codec().extension(),
                    wanted.discriminator());
            if (suffix.equals(wanted.suffix())) {
                return wanted;
            }
            Entry distinct = wanted.withSuffix(suffix);
            LOG.info("snapshot name {} is taken in {} by an earlier snapshot, which stays: this one is {}",
                    wanted.name() + wanted.codec().extension(), directory.directory(), destinationOf(distinct));
            return distinct;
        }

        @Override
        public String destinationOf(Entry entry) {
            return directory.fileFor(entry.prefix(), entry.suffix(), entry.codec().extension()).toString();
        }

        @Override
        public Stored store(Entry entry, SnapshotBody body) {
            lockFor(entry.id());
            AtomicFiles.Published published = directory.write(entry.prefix(), entry.suffix(), entry.codec().extension(),
                    entry.discriminator(), body);
            String wanted = destinationOf(entry);
            if (!published.file().toString().equals(wanted)) {
                LOG.info("snapshot name {} was taken while it was written: this one is {}", wanted, published.file());
            }
            return new Stored(published.file().toString(), published.bytes());
        }

        @Override
        public OwnSnapshots.Written record(Entry entry, Stored stored, Double metric) {
            return new OwnSnapshots.Written(stored.destination(),
                    directory.currentLink(entry.prefix(), entry.codec().extension()).toString(), entry.created(), metric);
        }

        @Override
        public List<String> applyRetention(Retention retention, Entry written, OwnSnapshots own) {
            return DirectoryRetention.apply(retention, own).stream()
                    .map(deleted -> Path.of(deleted.destination()).getFileName().toString()).toList();
        }

        @Override
        public synchronized void release() {
            if (lock != null) {
                lock.close();
                lock = null;
            }
        }
    }
    /** One row per snapshot in the seed's table. */
    final class TableStore implements SnapshotStore {
        private final String odbc;
        private final SnapshotTable table;

        TableStore(String odbc, SnapshotTable table) {
            this.odbc = odbc;
            this.table = table;
        }

        @Override
        public void prepare(String runId) {
            table.prepare();
        }

        /** Rows are added, never replaced: a name is never taken away from an earlier row. */
        @Override
        public Entry freeName(Entry wanted) {
            return wanted;
        }

        @Override
        public String destinationOf(Entry entry) {
            return new OdbcSource(odbc, table.table(), entry.id(), entry.logId(), entry.name()).redacted();
        }

        @Override
        public Stored store(Entry entry, SnapshotBody body) {
            SnapshotRow row = SnapshotRow.of(entry.created(), entry.id(), entry.logId(), entry.workflow(), entry.name(),
                    entry.codec().argument());
            return new Stored(destinationOf(entry), table.insert(row, body));
        }

        @Override
        public OwnSnapshots.Written record(Entry entry, Stored stored, Double metric) {
            return new OwnSnapshots.Written(stored.destination(), null, entry.created(), metric);
        }

        /**
         * The rows of {@code written}'s run whose name is this prefix's; the run's newest and
         * pinned rows stay, as {@link SnapshotPruning} keeps them.
         */
        @Override
        public List<String> applyRetention(Retention retention, Entry written, OwnSnapshots own) {
            SnapshotLocation location = SnapshotLocation.of(new OdbcSource(odbc, table.table(), written.id(),
                    written.logId(), ""));
            List<SnapshotPruning.Decision> plan = SnapshotPruning.plan(location, retention,
                    entry -> entry.name().startsWith(written.prefix() + "_"));
            SnapshotPruning.apply(location, plan);
            return plan.stream().filter(decision -> !decision.kept()).map(decision -> decision.entry().name()).toList();
        }

        @Override
        public void release() {
            // rows need no lock: each run's rows carry its id
        }
    }
}
