package io.veles.cli;

import io.veles.snapshot.format.Manifest;

import java.util.List;

/** How the tools show a snapshot's chain: the snapshots a differential one needs to restore. */
final class BaseChain {
    private BaseChain() {}

    /** The keys of the snapshots it needs, nearest first; empty for a standalone snapshot. */
    static List<String> of(Manifest manifest) {
        return manifest.chain == null ? List.of() : manifest.chain;
    }

    /**
     * Its base by name, or - if standalone: a file's key is its name, an object's key holds its
     * prefix before the last '/', and a table row's key is its id, log_id, name and timestamp,
     * NUL-separated (SnapshotRow.key): the name is the third.
     */
    static String baseName(Manifest manifest) {
        if (manifest.base == null) {
            return "-";
        }
        String[] rowKey = manifest.base.split("\u0000", -1);
        if (rowKey.length == 4) {
            return rowKey[2];
        }
        return manifest.base.substring(manifest.base.lastIndexOf('/') + 1);
    }
}
