package io.veles.cli;

import io.veles.internal.util.Printable;
import io.veles.snapshot.Retention;
import io.veles.snapshot.SnapshotListing;
import io.veles.snapshot.SnapshotPruning;
import io.veles.snapshot.SnapshotStores;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code veles snapshot prune STORE --keep-last N --keep-every H --keep-best K [--prefix P] [--workflow W] [--dry-run]}. */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = {
            "Delete the snapshots that no retention rule keeps.",
            "A snapshot any rule keeps stays, and so do pinned ones (veles snapshot pin) and current "
                    + "ones: the targets of _current links in a directory, each run's newest row in a table.",
            "--prefix and --workflow limit it to one prefix's or one workflow's snapshots; the others "
                    + "stay and are not listed. When they select none, stderr names the prefixes and workflows "
                    + "the store holds (a typo prunes nothing). Files are listed by their whole names.",
            "What does not read as a snapshot (another file in the directory, a damaged snapshot, one "
                    + "from a newer veles) is listed as kept and never deleted. Each snapshot a rule would "
                    + "keep is read whole first: a damaged one is kept so, and the next whole one in its place.",
            "--dry-run prints exactly what a real run would delete, and deletes nothing. "
                    + "In an s3:// prefix a real run also aborts incomplete uploads begun over a day ago (left by "
                    + "killed writers; a bucket lifecycle rule can do the same on the server's side).",
            "To prune as a run writes, set snapshotter.keep_last, keep_every_hours and keep_best."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot prune snapshots --keep-last 5 --keep-best 3 --dry-run",
            "  veles snapshot prune snapshots --prefix wine --keep-last 3",
            "  veles snapshot prune --keep-every 24 \\",
            "      'odbc://DRIVER={SQLite3};DATABASE=team.db&veles'",
            "  veles run wine snapshotter.keep_last=3 snapshotter.keep_best=1"
        })
final class PruneCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "STORE",
            description = "A snapshot directory, odbc://<odbc string>[&<table>], or s3://bucket/prefix.")
    String store;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest.")
    int keepLast;

    @Option(
            names = "--keep-every",
            paramLabel = "HOURS",
            description = "Keep the newest of each period of this many hours.")
    Double keepEveryHours;

    @Option(
            names = "--keep-best",
            paramLabel = "K",
            description = "Keep the K best by the decision's metric (validation_error, lower is better).")
    int keepBest;

    @Option(
            names = "--prefix",
            paramLabel = "PREFIX",
            description = "Only snapshots written under this prefix (as recorded in each manifest).")
    String prefix;

    @Option(
            names = "--workflow",
            paramLabel = "NAME",
            description = "Only snapshots of this workflow (its name, e.g. wine, or class name).")
    String workflow;

    @Option(names = "--dry-run", description = "Print what would be deleted; delete nothing.")
    boolean dryRun;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (keepLast == 0 && keepEveryHours == null && keepBest == 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "give a rule of what to keep: --keep-last N, --keep-every HOURS or --keep-best K (N, K above 0)");
        }
        Retention retention = new Retention(
                count(spec, "--keep-last", keepLast),
                keepEvery(spec, keepEveryHours),
                count(spec, "--keep-best", keepBest));
        try (SnapshotStore opened = SnapshotStores.open(store)) {
            return prune(opened, retention);
        }
    }

    /**
     * {@code --keep-every}'s hours as a period, or null when not given; one below a second is a
     * usage error (rounded to 0 s, it read "the period must be positive" for a positive value).
     * Shared with {@code snapshot report}, which shows the same retention.
     */
    static Duration keepEvery(picocli.CommandLine.Model.CommandSpec spec, Double hours) {
        if (hours == null) {
            return null;
        }
        if (!(hours * 3600 >= 1)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--keep-every: must be at least 1/3600 hour (one second), got " + hours);
        }
        return Duration.ofSeconds(Math.round(hours * 3600));
    }

    /**
     * A rule's count, refused as a usage error when negative, as {@code --keep-every}'s hours are
     * (the retention's own check read "retention: counts must be 0 or more", naming no option).
     * Shared with {@code snapshot report}.
     */
    static int count(picocli.CommandLine.Model.CommandSpec spec, String option, int value) {
        if (value < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), option + ": must be 0 or more, got " + value);
        }
        return value;
    }

    /** An upload this old is no live writer's: snapshots take minutes, not days. */
    private static final Duration ABANDONED_AFTER = Duration.ofDays(1);

    private int prune(SnapshotStore opened, Retention retention) {
        List<SnapshotPruning.Decision> plan =
                SnapshotPruning.plan(opened, retention, new SnapshotPruning.Filter(prefix, workflow), true);
        if (plan.isEmpty() && (prefix != null || workflow != null)) {
            noteFilterMatchingNothing(opened);
        }
        for (SnapshotPruning.Decision decision : plan) {
            String name = shownName(decision.entry().snapshot());
            System.out.printf(
                    "%-12s %-28s %s%n",
                    decision.kept() ? "keep" : (dryRun ? "would delete" : "delete"),
                    Printable.escape(name), // names and reasons come from the manifests
                    Printable.escape(
                            decision.kept()
                                    ? "(" + decision.reason() + ")"
                                    : decision.entry().source()));
        }
        int deleted = dryRun ? 0 : SnapshotPruning.apply(opened, plan);
        long doomed = plan.stream().filter(d -> !d.kept()).count();
        long snapshots =
                plan.stream().filter(SnapshotPruning.Decision::isSnapshot).count();
        String others = snapshots == plan.size()
                ? ""
                : "; " + (plan.size() - snapshots) + " that did not read as snapshots were left alone";
        if (dryRun) {
            System.out.printf("dry run: %d of %d snapshots would be deleted%s%n", doomed, snapshots, others);
        } else {
            System.out.printf("deleted %d of %d snapshots%s%n", deleted, snapshots, others);
            int aborted = opened.reclaimAbandonedWrites(ABANDONED_AFTER);
            if (aborted > 0) {
                System.out.printf("aborted %d incomplete uploads begun over a day ago%n", aborted);
            }
        }
        return 0;
    }

    /**
     * A {@code --prefix} or {@code --workflow} that selects none of a store's snapshots may be
     * mistyped, and a retention job run with it would keep every snapshot, quietly, until the disk
     * fills; or the prefix has simply not written its first snapshot yet. Both prune nothing and
     * exit 0, but the first must not pass unseen: stderr names what the store does hold.
     */
    private void noteFilterMatchingNothing(SnapshotStore opened) {
        Set<String> prefixes = new TreeSet<>();
        Set<String> workflows = new TreeSet<>();
        int unreadable = 0;
        int listed = 0;
        for (SnapshotListing.Entry entry : SnapshotListing.list(opened, true)) {
            listed++;
            if (entry.manifest() != null) {
                String recorded = SnapshotPruning.Filter.prefixOf(entry.manifest());
                prefixes.add(recorded == null ? "(not recorded)" : recorded);
                workflows.add(String.valueOf(entry.manifest().workflowName));
            } else if (prefix != null && entry.name().startsWith(prefix + "_")) {
                unreadable++; // a filtered plan leaves out what cannot be told apart
            }
        }
        if (listed == 0) {
            return; // an empty store: "deleted 0 of 0" says it all
        }
        List<String> wanted = new ArrayList<>();
        List<String> there = new ArrayList<>();
        if (prefix != null) {
            wanted.add("prefix " + prefix);
            there.add("prefixes there: " + shortList(prefixes));
        }
        if (workflow != null) {
            wanted.add("workflow " + workflow);
            there.add("workflows there: " + shortList(workflows));
        }
        String damaged = unreadable == 0
                ? ""
                : "; " + unreadable + " named " + prefix + "_* did not read as snapshots and are never pruned";
        System.err.println(Printable.escape("veles: no snapshot in " + opened.describe() + " matches "
                + String.join(" and ", wanted) + ", so none was pruned (" + String.join("; ", there) + ")"
                + damaged));
    }

    /** At most ten names, then how many more: a store of many prefixes must not flood the line. */
    private static String shortList(Set<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> shown = names.stream().limit(10).toList();
        return String.join(", ", shown) + (names.size() > shown.size() ? " and " + (names.size() - 10) + " more" : "");
    }

    /**
     * A file or object by its whole name, which is its key (wine_4_0.12+1a2b3c4d.gz and
     * wine_4_0.12.xz are not one snapshot); a row by its name, since a row's key is internal.
     */
    private static String shownName(StoredSnapshot snapshot) {
        String file = snapshot.key().substring(snapshot.key().lastIndexOf('/') + 1); // an object's key holds its prefix
        return file.startsWith(snapshot.name()) ? file : snapshot.name();
    }
}
