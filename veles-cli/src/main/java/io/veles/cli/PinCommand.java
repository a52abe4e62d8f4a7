package io.veles.cli;

import io.veles.snapshot.SnapshotPruning;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code veles snapshot pin FILE}: prune never deletes it. */
@Command(name = "pin", mixinStandardHelpOptions = true,
        description = "Pin a snapshot file, so that prune never deletes it (a hidden .<file>.pin marker; delete the marker to unpin).",
        footer = {"", "Example:", "  veles snapshot pin snapshots/wine_3_0.00.gz"})
final class PinCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A snapshot file.")
    Path file;

    @Override
    public Integer call() {
        System.out.println("pinned " + file + " (" + SnapshotPruning.pin(file) + ")");
        return 0;
    }
}
