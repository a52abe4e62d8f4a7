package io.veles.cli;

import io.veles.internal.util.Printable;
import io.veles.snapshot.SnapshotConversion;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.SnapshotKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code veles snapshot convert SRC DEST}: another codec, another store. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Copy a snapshot to another codec or store (file <-> database).",
            "It streams with bounded memory. The payload is copied as it is and the source's checksums "
                    + "are checked on the way: a damaged source leaves nothing at the destination. A signed "
                    + "snapshot needs --key, which must verify its signature; the copy is signed with it. A "
                    + "differential snapshot is copied only with --full: its chain is read and checked, and the "
                    + "copy stands alone (any codec, any store)."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot convert snapshots/wine_current.gz wine.xz \\",
            "      --compression xz --level 9",
            "  veles snapshot convert snapshots/wine_current.gz \\",
            "      'odbc://DRIVER={SQLite3};DATABASE=team.db&veles'",
            "  veles snapshot convert 'odbc://DRIVER={SQLite3};DATABASE=team.db' exported/",
            "  veles snapshot convert --full snapshots/wine_7.gz standalone/ \\",
            "      --compression zst"
        })
final class ConvertCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "SRC",
            description =
                    "A snapshot file, a directory (its newest _current), an odbc:// source, an s3:// location, or an http or https URL.")
    String source;

    @Parameters(
            index = "1",
            paramLabel = "DEST",
            description =
                    "A file whose extension matches the codec, a directory (existing or ending in /; the file is named after the snapshot), odbc://<odbc string>[&<table>], or s3://bucket/prefix/.")
    String destination;

    @Option(
            names = "--compression",
            paramLabel = "CODEC",
            description = "none, snappy, gz, bz2, xz, zst or lz4 (default: the source's).")
    String compression;

    @Option(names = "--level", paramLabel = "N", description = "The codec's level (default: its default).")
    Integer level;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "The key of a signed snapshot; the copy is signed with it.")
    Path keyFile;

    @Option(
            names = "--full",
            description = "Copy a differential snapshot as a standalone one, its chain's blocks included.")
    boolean full;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (level != null && level < 0) { // inside, -1 stands for the codec's default: typed, it is a mistake
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--level: must be 0 or more, got " + level);
        }
        Codec codec = compression == null ? null : Codec.fromArgument(compression);
        SnapshotKey key = keyFile == null ? null : SnapshotKey.fromFile(keyFile);
        String written = SnapshotConversion.convert(source, destination, codec, level == null ? -1 : level, key, full);
        System.out.println(Printable.escape(written));
        return 0;
    }
}
