package io.veles.cli;

import io.veles.launcher.Launcher;
import io.veles.snapshot.Snapshotter.FinalSnapshot;

/**
 * The line a stopped run ends with: the snapshot that holds it and what that snapshot holds, or
 * why none was written, and the command that continues it. It names only real snapshots.
 */
final class StopMessage {
    private StopMessage() {}

    static String describe(String workflow, Launcher.Outcome outcome) {
        FinalSnapshot last = described(outcome.finalSnapshots());
        String previous = outcome.lastSnapshot();
        if (last == null) {
            return "stopped before the end; the workflow has no snapshotter, so nothing was saved";
        }
        switch (last.outcome()) {
            case WRITTEN:
                return "stopped before the end; final snapshot " + last.snapshot() + " holds " + holds(last)
                        + "; continue with: veles run " + workflow + " -w " + shellWord(last.snapshot());
            case NOTHING_NEW:
                return previous == null
                        ? "stopped before the end; nothing ran, so no snapshot was written; start again with: veles run "
                                + workflow
                        : "stopped before the end; nothing ran since " + previous
                                + ", which holds the run; continue with: veles run " + workflow + " -w "
                                + shellWord(previous);
            case SKIPPED:
            case FAILED:
            default:
                String why = last.outcome() == FinalSnapshot.Outcome.SKIPPED
                        ? "skip is set"
                        : "writing it failed (see above)";
                String lost = last.unitsRun() + " unit run(s) since the last snapshot are not saved";
                return previous == null
                        ? "stopped before the end; no final snapshot (" + why + ") and no earlier one: " + lost
                                + "; start again with: veles run " + workflow
                        : "stopped before the end; no final snapshot (" + why + "): " + lost
                                + "; continue with: veles run " + workflow + " -w " + shellWord(previous);
        }
    }

    /**
     * The final snapshot to tell of: one written, if any snapshotter wrote one (each holds the
     * state the run stopped in); else one with nothing new (the newest snapshot holds the run);
     * only else a skip or a failure, which loses units only when no other snapshotter saved them.
     * The last of the best kind; null without snapshotters.
     */
    private static FinalSnapshot described(java.util.List<FinalSnapshot> finals) {
        FinalSnapshot best = null;
        for (FinalSnapshot snapshot : finals) {
            if (best == null || rank(snapshot) <= rank(best)) {
                best = snapshot;
            }
        }
        return best;
    }

    private static int rank(FinalSnapshot snapshot) {
        switch (snapshot.outcome()) {
            case WRITTEN:
                return 0;
            case NOTHING_NEW:
                return 1;
            default:
                return 2;
        }
    }

    /**
     * {@code source} as one word of a shell command: as it is when it holds only characters no
     * shell treats specially, else single-quoted. A table's source holds {@code ;} and {@code &},
     * which split the suggested command where it is pasted.
     */
    static String shellWord(String source) {
        if (source.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return source;
        }
        return "'" + source.replace("'", "'\\''") + "'";
    }

    /** "epoch 3 and 37 more unit runs, resuming after unit gd_fc1" from the snapshot's facts. */
    private static String holds(FinalSnapshot snapshot) {
        StringBuilder text = new StringBuilder();
        Object epoch = snapshot.info().get("epoch");
        if (epoch != null) {
            text.append("epoch ").append(epoch).append(" and ");
        }
        text.append(snapshot.unitsRun()).append(" unit run(s) not in the previous snapshot");
        if (snapshot.resumeAfter() != null) {
            text.append(", resuming after unit ").append(snapshot.resumeAfter());
        }
        return text.toString();
    }
}
