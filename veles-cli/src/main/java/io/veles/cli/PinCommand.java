package io.veles.cli;

import io.veles.errors.SnapshotException;
import io.veles.internal.util.Printable;
import io.veles.snapshot.SnapshotPruning;
import io.veles.snapshot.SnapshotStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code veles snapshot pin SNAPSHOT}: prune never deletes it. */
@Command(
        name = "pin",
        mixinStandardHelpOptions = true,
        description = {
            "Pin a snapshot, so that prune never deletes it.",
            "Neither does the snapshotter's own retention. A file gets a hidden .<file>.pin marker "
                    + "beside it; a database row gets a row in <table>_pins. A differential snapshot is pinned "
                    + "with every snapshot of its chain, so that it still restores. --remove unpins the snapshot "
                    + "named and it alone: its chain stays pinned, as another pinned snapshot may need it."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot pin snapshots/wine_3_0.00.gz",
            "  veles snapshot pin --remove snapshots/wine_3_0.00.gz",
            "  veles snapshot pin \\",
            "      'odbc://DRIVER={SQLite3};DATABASE=team.db&veles&<id>&&wine_3_0.00'"
        })
final class PinCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "SNAPSHOT",
            description =
                    "A snapshot file, or odbc://<odbc string>&<table>&<id>[&<log_id>[&<name>]] (the newest it matches).")
    String snapshot;

    @Option(names = "--remove", description = "Unpin the snapshot instead.")
    boolean remove;

    @Override
    public Integer call() {
        if (remove) {
            String shown = SnapshotStores.redacted(snapshot);
            if (!SnapshotPruning.unpin(snapshot)) {
                throw new SnapshotException(shown + " is not pinned");
            }
            System.out.println("unpinned " + Printable.escape(shown));
        } else {
            List<String> pinned = SnapshotPruning.pin(snapshot);
            System.out.println("pinned " + Printable.escape(pinned.get(0)));
            for (String base : pinned.subList(1, pinned.size())) {
                System.out.println("pinned " + Printable.escape(base) + " (its chain)");
            }
        }
        return 0;
    }
}
