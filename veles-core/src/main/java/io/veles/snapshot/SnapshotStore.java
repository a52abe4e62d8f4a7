package io.veles.snapshot;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.db.DatabaseTarget;
import io.veles.snapshot.db.OdbcSource;
import io.veles.snapshot.db.SnapshotRow;
import io.veles.snapshot.db.SnapshotTable;
import io.veles.snapshot.store.SnapshotBody;
import io.veles.snapshot.store.SnapshotDirectory;
import java.nio.file.Path;
import java.time.Instant;

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
    }

    /** Where {@code entry} will go, as a user names it to restore (without passwords). */
    String destinationOf(Entry entry);

    /**
     * Where the snapshotter's retention looks after {@code entry} is stored: the directory, or
     * the rows of {@code entry}'s run in the table (other runs' rows, a colleague's among them,
     * are left to {@code veles snapshot prune}).
     */
    SnapshotLocation retentionLocation(Entry entry);

    /** Checks that snapshots can be stored (the database answers, the table exists or is created). */
    void prepare();

    /** Stores one snapshot whose bytes {@code body} writes, all or nothing; returns the bytes stored. */
    long store(Entry entry, SnapshotBody body);

    static SnapshotStore forSettings(SnapshotSettings settings) {
        if (settings.odbc() != null) {
            String table = settings.table() == null || settings.table().isEmpty()
                    ? SnapshotSettings.DEFAULT_TABLE : settings.table();
            return new TableStore(settings.odbc(), new SnapshotTable(DatabaseTarget.of(settings.odbc()), table));
        }
        return new DirectoryStore(new SnapshotDirectory(Path.of(settings.directory())));
    }

    /** Files {@code <directory>/<prefix>_<suffix><ext>} and the {@code _current} link. */
    final class DirectoryStore implements SnapshotStore {
        private final SnapshotDirectory directory;

        DirectoryStore(SnapshotDirectory directory) {
            this.directory = directory;
        }

        @Override
        public void prepare() {
            // The directory is created by the first write, which reports any problem with the path.
        }

        @Override
        public SnapshotLocation retentionLocation(Entry entry) {
            return SnapshotLocation.of(directory.directory());
        }

        @Override
        public String destinationOf(Entry entry) {
            return directory.fileFor(entry.prefix(), entry.suffix(), entry.codec().extension()).toString();
        }

        @Override
        public long store(Entry entry, SnapshotBody body) {
            return directory.write(entry.prefix(), entry.suffix(), entry.codec().extension(), body).toFile().length();
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
        public void prepare() {
            table.prepare();
        }

        @Override
        public SnapshotLocation retentionLocation(Entry entry) {
            return SnapshotLocation.of(new OdbcSource(odbc, table.table(), entry.id(), entry.logId(), ""));
        }

        @Override
        public String destinationOf(Entry entry) {
            return new OdbcSource(odbc, table.table(), entry.id(), entry.logId(), entry.name()).redacted();
        }

        @Override
        public long store(Entry entry, SnapshotBody body) {
            SnapshotRow row = SnapshotRow.of(entry.created(), entry.id(), entry.logId(), entry.workflow(), entry.name(),
                    entry.codec().argument());
            return table.insert(row, body);
        }
    }
}
