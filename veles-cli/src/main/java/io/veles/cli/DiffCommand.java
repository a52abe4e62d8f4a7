package io.veles.cli;

import io.veles.errors.SnapshotException;
import io.veles.internal.util.Printable;
import io.veles.internal.util.Secrets;
import io.veles.snapshot.SnapshotDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code veles snapshot diff A B}: exit 0 when equal, 1 when different, 2 on error. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Compare two snapshots unit by unit and field by field.",
            "Numeric arrays are reported with their average relative difference, average difference "
                    + "and maximum difference (as VELES's compare script did). Exit 0 when equal, 1 when "
                    + "different, 2 on error."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot diff snapshots/wine_3_0.00.gz snapshots/wine_28_1.89.gz",
            "  veles snapshot diff --sort max snapshots/wine_3_0.00.gz \\",
            "      'odbc://DRIVER={SQLite3};DATABASE=team.db&veles'"
        })
final class DiffCommand implements Callable<Integer> {
    /** Exit codes: as diff(1). */
    static final int EQUAL = 0;

    static final int DIFFERENT = 1;
    static final int ERROR = 2;

    @Parameters(
            index = "0",
            paramLabel = "A",
            description =
                    "A snapshot file, a directory (its newest _current), an odbc:// source, an s3:// location, or an http or https URL.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The snapshot to compare it with.")
    String b;

    @Option(names = "--force", description = "Compare snapshots of different workflows too.")
    boolean force;

    @Option(
            names = "--sort",
            paramLabel = "KEY",
            description = "Order: name (default), relative, average or max (largest first).")
    String sort = "name";

    @Override
    public Integer call() {
        List<SnapshotDiff.Difference> differences;
        try {
            differences = SnapshotDiff.compare(a, b, force, ApplicationClassPath.loader());
        } catch (SnapshotException e) {
            System.err.println("veles: error: " + Main.oneLine(e));
            return ERROR;
        } catch (OutOfMemoryError
                | StackOverflowError e) { // comparing, after both were read: still an error, not "different"
            System.err.println("veles: error: cannot compare " + Secrets.redact(a) + " and " + Secrets.redact(b) + ": "
                    + (e instanceof OutOfMemoryError ? "out of memory" : "the state nests too deeply for the stack"));
            return ERROR;
        }
        Comparator<SnapshotDiff.Difference> order;
        switch (sort) {
            case "name":
                order = Comparator.comparing(SnapshotDiff.Difference::unit)
                        .thenComparing(SnapshotDiff.Difference::field);
                break;
            case "relative":
                order = Comparator.comparingDouble(d -> -orZero(d.averageRelative()));
                break;
            case "average":
                order = Comparator.comparingDouble(d -> -orZero(d.average()));
                break;
            case "max":
                order = Comparator.comparingDouble(d -> -orZero(d.maximum()));
                break;
            default:
                System.err.println("veles: error: --sort takes name, relative, average or max, not '" + sort + "'");
                return ERROR;
        }
        differences.sort(order);
        if (differences.isEmpty()) {
            System.out.println(
                    "equal: " + Printable.escape(Secrets.redact(a)) + " and " + Printable.escape(Secrets.redact(b)));
            return EQUAL;
        }
        System.out.printf("%-24s %-28s %12s %12s %12s  %s%n", "UNIT", "FIELD", "AVG REL", "AVG", "MAX", "");
        for (SnapshotDiff.Difference d : differences) {
            // names and values come from the snapshots: shown escaped; older snapshots captured passwords
            System.out.printf(
                    "%-24s %-28s %12s %12s %12s  %s%n",
                    Printable.escape(d.unit()),
                    Printable.escape(d.field()),
                    number(d.averageRelative()),
                    number(d.average()),
                    number(d.maximum()),
                    Printable.escape(Secrets.redact(d.detail())));
        }
        System.out.printf("%d difference%s%n", differences.size(), differences.size() == 1 ? "" : "s");
        return DIFFERENT;
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, "%.4g", value);
    }
}
