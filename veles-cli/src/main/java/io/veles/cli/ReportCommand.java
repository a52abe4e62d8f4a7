package io.veles.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veles.cli.report.ReportPage;
import io.veles.cli.report.RunReport;
import io.veles.errors.SnapshotException;
import io.veles.internal.store.AtomicFiles;
import io.veles.internal.util.ByteCounts;
import io.veles.internal.util.Printable;
import io.veles.snapshot.Retention;
import io.veles.snapshot.SnapshotStores;
import io.veles.snapshot.store.SnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code veles snapshot report STORE [-o report.html] [--open] [--compare A B]}: one offline HTML page of a run. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write one self-contained HTML page about a store's snapshots, to open in a browser.",
            "It charts the run over time (stored and state size, validation error, epoch, time between "
                    + "snapshots, codec), the units by size, each numeric array field's histogram at the first, a "
                    + "middle and the newest snapshot with its change from snapshot to snapshot (as diff computes "
                    + "it), the diff of two snapshots, and health: which verify, which are pinned or _current, and "
                    + "which prune with the given retention would delete. The page needs no network. "
                    + "Each snapshot is read once, one at a time."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot report snapshots -o report.html --open",
            "  veles snapshot report snapshots --compare wine_2_3.77 wine_9_1.89",
            "  veles snapshot report --keep-last 3 --keep-best 1 \\",
            "      'odbc://DRIVER={SQLite3};DATABASE=team.db&veles'"
        })
final class ReportCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "STORE",
            description = "A snapshot directory, odbc://<odbc string>[&<table>], or s3://bucket/prefix.")
    String store;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Where to write the page (default: report.html).")
    Path output = Path.of("report.html");

    @Option(names = "--force", description = "Replace an existing output that is not a page this command wrote.")
    boolean force;

    @Option(names = "--open", description = "Open the page in the desktop's browser (xdg-open) once written.")
    boolean open;

    @Option(
            names = "--compare",
            arity = "2",
            paramLabel = "SNAPSHOT",
            description =
                    "The two snapshots to diff, by name in the store or as sources (default: the first and the newest).")
    List<String> compare;

    @Option(
            names = "--keep-last",
            paramLabel = "N",
            description =
                    "Retention shown in health: keep the N newest (default 5 with --keep-best 3, when no rule is given).")
    int keepLast;

    @Option(
            names = "--keep-every",
            paramLabel = "HOURS",
            description = "Retention shown: keep the newest of each period of this many hours.")
    Double keepEveryHours;

    @Option(
            names = "--keep-best",
            paramLabel = "K",
            description = "Retention shown: keep the K best by validation_error.")
    int keepBest;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (Files.isDirectory(output)) {
            throw new SnapshotException(output + " is a directory: give the page's file name with -o");
        }
        if (!force && Files.exists(output, LinkOption.NOFOLLOW_LINKS) && !ReportPage.isReport(output)) {
            throw new SnapshotException(
                    output + " exists and is not a snapshot report: give another -o, or --force to" + " replace it");
        }
        io.veles.internal.store.NeverReplaced.check(output, output);
        Path parent = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) { // found out before reading every snapshot, not after
            throw new SnapshotException("cannot write " + output + ": no directory " + parent);
        }
        if (!Files.isWritable(parent)) {
            throw new SnapshotException("cannot write " + output + ": " + parent + " is not writable");
        }
        Retention retention = retention();
        ObjectNode data;
        try (SnapshotStore opened = SnapshotStores.open(store)) {
            data = RunReport.build(
                    opened,
                    SnapshotStores.redacted(store),
                    new RunReport.Options(
                            retention,
                            compare == null ? null : compare.get(0),
                            compare == null ? null : compare.get(1),
                            ApplicationClassPath.loader()));
        }
        if (data == null) {
            System.err.println(
                    "veles: error: " + Printable.escape(SnapshotStores.redacted(store)) + " holds no snapshot");
            return Main.FAILED;
        }
        byte[] page = ReportPage.render(data).getBytes(StandardCharsets.UTF_8);
        write(page);
        System.out.printf(
                "wrote %s (%s, %d snapshots)%n",
                output, ByteCounts.format(page.length), data.get("snapshots").size());
        long broken = 0;
        for (JsonNode snapshot : data.get("snapshots")) {
            broken += "ok".equals(snapshot.get("verify").asText()) ? 0 : 1;
        }
        if (broken > 0) { // the page is still written: it shows which, and why
            System.err.printf(
                    "veles: %d snapshot%s do%s not verify (see the page's health section)%n",
                    broken, broken == 1 ? "" : "s", broken == 1 ? "es" : "");
        }
        JsonNode comparison = data.get("compare");
        if (comparison != null && comparison.hasNonNull("error")) { // shown in the page, and said here
            System.err.println("veles: the comparison of "
                    + Printable.escape(comparison.get("a").asText()) + " and "
                    + Printable.escape(comparison.get("b").asText()) + " failed: "
                    + Printable.escape(comparison.get("error").asText()));
        }
        if (open) {
            openInBrowser();
        }
        return 0;
    }

    private Retention retention() {
        if (keepLast == 0 && keepEveryHours == null && keepBest == 0) {
            return new Retention(5, null, 3);
        }
        return new Retention(
                PruneCommand.count(spec, "--keep-last", keepLast),
                PruneCommand.keepEvery(spec, keepEveryHours),
                PruneCommand.count(spec, "--keep-best", keepBest));
    }

    /** Whole or not at all: a page half written is never left where the old one was. */
    private void write(byte[] page) throws IOException {
        Path target = output.toAbsolutePath();
        // A name no one can foresee, created new: a link someone planted under the name is never
        // followed into another file of the user's.
        Path temporary = target.resolveSibling("." + target.getFileName() + "."
                + ProcessHandle.current().pid() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            // a file as any other the user writes (umask), not a private temporary
            Files.write(temporary, page, java.nio.file.StandardOpenOption.CREATE_NEW);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // its own message names the temporary file alone
            throw new SnapshotException("cannot write " + output + ": " + AtomicFiles.describe(e), e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void openInBrowser() {
        try {
            Process opener = new ProcessBuilder(
                            "xdg-open", output.toAbsolutePath().toUri().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (opener.waitFor() != 0) {
                System.err.println("veles: could not open it (xdg-open failed): open " + output.toAbsolutePath()
                        + " in a browser");
            }
        } catch (IOException e) {
            System.err.println("veles: no xdg-open here: open " + output.toAbsolutePath() + " in a browser");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
