package io.veles.cli;

import io.veles.internal.util.ByteCounts;
import io.veles.internal.util.Printable;
import io.veles.snapshot.export.ExportFormat;
import io.veles.snapshot.export.ExportedArray;
import io.veles.snapshot.export.SnapshotExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code veles snapshot export SRC --format npz|npy|safetensors}: the weights out, for NumPy and PyTorch. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a snapshot's numeric arrays for NumPy or safetensors readers.",
            "Each array is named unit.field, with the shape its unit declares (flat otherwise); "
                    + "scalars and the manifest go in as metadata (safetensors' __metadata__, the "
                    + "__metadata__.json entry of an npz or npy directory). No code of the workflow runs. "
                    + "Arrays are copied through a temporary file beside the output, never held in the heap."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot export snapshots/wine_current.gz --format npz -o wine.npz",
            "      # then in Python: numpy.load('wine.npz')['fc1.weights']",
            "  veles snapshot export snapshots --format safetensors \\",
            "      --fields '*.weights,*.bias'",
            "  veles snapshot export snapshots --format npy -o wine-arrays/"
        })
final class ExportCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "SRC",
            description =
                    "A snapshot file, a directory (its newest _current), an odbc:// source, an s3:// location, or an http or https URL.")
    String source;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "FORMAT",
            description = "npz, npy (a directory of .npy files) or safetensors.")
    String format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "PATH",
            description =
                    "The file (directory for npy) to write (default: the snapshot's name with the format's ending).")
    Path output;

    @Option(
            names = "--fields",
            paramLabel = "GLOB",
            description = "Only the arrays whose unit.field matches: * and ?, several separated by commas.")
    String fields;

    @Option(names = "--force", description = "Replace an existing output.")
    boolean force;

    /**
     * Refuses an output named with another format's ending ({@code --format safetensors -o
     * w.npz}): the file would not open as its name says (numpy.load fails on it). As convert
     * refuses a file named for another codec.
     */
    private void refuseOtherFormatsEnding(ExportFormat chosen) {
        if (output == null) {
            return;
        }
        String name = output.getFileName() == null
                ? ""
                : output.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        for (ExportFormat other : ExportFormat.values()) {
            // npy writes a directory, with no ending of its own, but a name ending in .npy says npy
            String ending = other == ExportFormat.NPY ? ".npy" : other.extension();
            if (other != chosen && !ending.isEmpty() && name.endsWith(ending)) {
                throw new io.veles.errors.SnapshotException(
                        "-o " + output + " is named as " + other.name().toLowerCase(java.util.Locale.ROOT)
                                + ", but --format is " + chosen.name().toLowerCase(java.util.Locale.ROOT)
                                + ": name it for its format, or give --format "
                                + other.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    @Override
    public Integer call() {
        ExportFormat chosen = ExportFormat.parse(format);
        refuseOtherFormatsEnding(chosen);
        SnapshotExport.Result result =
                SnapshotExport.export(source, chosen, output, fields, force, ApplicationClassPath.loader());
        ArrayTable.print(result.arrays());
        long bytes =
                result.arrays().stream().mapToLong(ExportedArray::byteLength).sum();
        System.out.printf(
                "%d arrays (%s) and %d scalars written to %s%n",
                result.arrays().size(),
                ByteCounts.format(bytes),
                result.scalars(),
                Printable.escape(result.output().toString()));
        return 0;
    }
}
