package io.veles.snapshot;

import io.veles.errors.SnapshotException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which snapshots a retention policy keeps: the last N, one every H hours (the newest of each
 * H-hour period), the best K by the decision's metric (lower is better; the newest K when no
 * snapshot records one), and always the pinned
 * ones and the current ones (the target of {@code _current}; in a table, each run's newest). Everything else may be deleted; a snapshot any rule
 * keeps is kept.
 *
 * @param keepLast  how many of the newest to keep (0: none by this rule)
 * @param keepEvery keep the newest of each period this long (null: no such rule)
 * @param keepBest  how many of the best by metric to keep (0: none by this rule)
 */
public record Retention(int keepLast, Duration keepEvery, int keepBest) {
    /** The longest keep-every period: 100 years, far within what the millisecond arithmetic holds. */
    static final Duration MAX_PERIOD = Duration.ofDays(36_525);

    public Retention {
        if (keepLast < 0 || keepBest < 0 || keepEvery != null && (keepEvery.isNegative() || keepEvery.isZero())) {
            throw new SnapshotException("retention: counts must be 0 or more and the period positive");
        }
        if (keepEvery != null && keepEvery.compareTo(MAX_PERIOD) > 0) {
            throw new SnapshotException("retention: the period must be at most " + MAX_PERIOD.toHours()
                    + " hours (100 years), got " + (keepEvery.getSeconds() / 3600) + " hours");
        }
        if (keepLast == 0 && keepEvery == null && keepBest == 0) {
            throw new SnapshotException("retention: give at least one of keep-last, keep-every, keep-best");
        }
    }

    /**
     * A snapshot as retention sees it.
     *
     * @param metric     the decision's metric, or null
     * @param protection why the snapshot must never be deleted ("pinned", "current"), or null
     */
    public record Candidate(String source, java.time.Instant created, Double metric, String protection) {}

    /** Why each snapshot is kept, by source; a snapshot missing from the map may be deleted. */
    public Map<String, String> kept(List<Candidate> candidates) {
        Map<String, String> reasons = new LinkedHashMap<>();
        List<Candidate> newestFirst = new ArrayList<>(candidates);
        newestFirst.sort(Comparator.comparing(Candidate::created).reversed().thenComparing(Candidate::source));
        for (Candidate candidate : newestFirst) {
            if (candidate.protection() != null) {
                reasons.put(candidate.source(), candidate.protection());
            }
        }
        for (int i = 0; i < Math.min(keepLast, newestFirst.size()); i++) {
            reasons.putIfAbsent(newestFirst.get(i).source(), "last " + keepLast);
        }
        if (keepEvery != null) {
            Set<Long> periods = new HashSet<>();
            long millis = keepEvery.toMillis();
            for (Candidate candidate : newestFirst) {
                if (periods.add(Math.floorDiv(candidate.created().toEpochMilli(), millis))) {
                    reasons.putIfAbsent(candidate.source(), "newest of its " + keepEvery.toHours() + " h period");
                }
            }
        }
        if (keepBest > 0 && newestFirst.stream().noneMatch(candidate -> candidate.metric() != null)) {
            // Nothing to rank by (a workflow without a decision): best K would keep none, and the
            // rule alone would delete every snapshot. The newest K are kept instead, and say why.
            for (int i = 0; i < Math.min(keepBest, newestFirst.size()); i++) {
                reasons.putIfAbsent(
                        newestFirst.get(i).source(),
                        "newest " + keepBest + " (best " + keepBest + ": none records a metric)");
            }
        } else if (keepBest > 0) {
            newestFirst.stream()
                    .filter(candidate -> candidate.metric() != null)
                    .sorted(Comparator.comparing(Candidate::metric)
                            .thenComparing(Candidate::created, Comparator.reverseOrder()))
                    .limit(keepBest)
                    .forEach(candidate -> reasons.putIfAbsent(candidate.source(), "best " + keepBest));
        }
        return reasons;
    }
}
