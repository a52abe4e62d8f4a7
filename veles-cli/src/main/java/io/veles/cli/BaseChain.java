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

    /** Its base by name (a key's last path part: an object's key holds its prefix), or - if standalone. */
    static String baseName(Manifest manifest) {
        return manifest.base == null ? "-" : manifest.base.substring(manifest.base.lastIndexOf('/') + 1);
    }
}
