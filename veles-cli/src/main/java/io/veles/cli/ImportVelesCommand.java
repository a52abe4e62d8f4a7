package io.veles.cli;

import io.veles.internal.util.ByteCounts;
import io.veles.internal.util.Printable;
import io.veles.velesimport.FoundArray;
import io.veles.velesimport.VelesImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code veles snapshot import-veles FILE -o weights.npz}: the weights of a VELES (Python) snapshot. */
@Command(
        name = "import-veles",
        mixinStandardHelpOptions = true,
        description = {
            "Extract the NumPy arrays of a VELES (Python) snapshot into npz or safetensors.",
            "FILE is a pickle (protocol 2-4), compressed with gz, bz2, xz or snappy or not. Each array is "
                    + "named unit.attribute (fc1.weights). Nothing the pickle names is run: classes become "
                    + "dictionaries, and a pickle that calls anything else, such as a shell command, is refused."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot import-veles mnist_0.83.4.pickle.gz -o mnist.npz",
            "  veles snapshot import-veles wine_current.4.pickle.xz -o wine.safetensors"
        })
final class ImportVelesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "A VELES snapshot: FILE.pickle[.gz|.bz2|.xz|.snappy].")
    Path pickle;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "The .npz or .safetensors file to write.")
    Path output;

    @Option(names = "--force", description = "Replace an existing output.")
    boolean force;

    @Override
    public Integer call() {
        VelesImport.Result result = VelesImport.importPickle(pickle, output, force);
        int width = Math.min(
                28,
                Math.max(
                        4,
                        result.found().stream()
                                .mapToInt(f -> f.unit().length())
                                .max()
                                .orElse(0)));
        int pathWidth = Math.min(
                28,
                Math.max(
                        9,
                        result.found().stream()
                                .mapToInt(f -> f.path().length())
                                .max()
                                .orElse(0)));
        String row = "%-" + width + "s %-40s %-" + pathWidth + "s %-5s %-16s %10s%n";
        System.out.printf(row, "UNIT", "CLASS", "ATTRIBUTE", "DTYPE", "SHAPE", "SIZE");
        for (int i = 0; i < result.found().size(); i++) {
            FoundArray found = result.found().get(i);
            var array = result.arrays().get(i);
            // names come from the pickle: shown escaped
            System.out.printf(
                    row,
                    Printable.escape(found.unit()),
                    Printable.escape(found.unitClass()),
                    Printable.escape(found.path()),
                    array.dtype().name().toLowerCase(java.util.Locale.ROOT),
                    array.shapeText(),
                    ByteCounts.format(array.byteLength()));
        }
        for (String skipped : result.skipped()) {
            System.out.println("skipped " + Printable.escape(skipped));
        }
        long bytes = result.arrays().stream().mapToLong(a -> a.byteLength()).sum();
        System.out.printf(
                "%d arrays (%s) written to %s%n",
                result.arrays().size(),
                ByteCounts.format(bytes),
                Printable.escape(result.output().toString()));
        return 0;
    }
}
