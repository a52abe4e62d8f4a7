package io.veles.cli;

import io.veles.snapshot.format.SnapshotFormat;
import io.veles.snapshot.format.Version;
import picocli.CommandLine;

/** Prints the library and snapshot format versions for {@code --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {Version.writer() + " (snapshot format " + SnapshotFormat.VERSION + ")"};
    }
}
