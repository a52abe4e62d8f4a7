package io.veles.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veles.errors.SnapshotException;
import io.veles.internal.util.Secrets;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedGraph;
import io.veles.snapshot.Retention;
import io.veles.snapshot.SnapshotListing;
import io.veles.snapshot.SnapshotPruning;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.workflow.Workflow;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gathers what the report page shows of a store's snapshots. The snapshots are read one at a time,
 * oldest first, each once: its state gives the weights' histograms and changes (only the previous
 * snapshot's arrays are kept, to compare with) and reading it whole is its verification.
 */
public final class RunReport {
    /** More fields than this make a page nobody scrolls through; the first ones found are shown. */
    static final int MAX_FIELDS = 64;

    /**
     * What to build the report with.
     *
     * @param retention the policy whose deletions the health section shows
     * @param compareA  a snapshot (its name in the store, or a source); null: the first
     * @param compareB  the snapshot to compare it with; null: the newest
     * @param loader    where the workflows' classes load from (read as data: none of their code runs)
     */
    public record Options(Retention retention, String compareA, String compareB, ClassLoader loader) {}

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final Map<String, FieldHistory> fields = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private int fieldsLeftOut;

    private RunReport() {}

    /** The report's data for {@code store} (described as {@code shown}); null if it holds no snapshot. */
    public static ObjectNode build(SnapshotStore store, String shown, Options options) {
        return new RunReport().gather(store, shown, options);
    }

    private ObjectNode gather(SnapshotStore store, String shown, Options options) {
        List<SnapshotListing.Entry> entries = SnapshotListing.list(store, true);
        if (entries.isEmpty()) {
            return null;
        }
        Map<String, String> protections = store.protections();
        Map<String, String> kept = new HashMap<>();
        // Weighed from the manifests, without prune's read of each kept snapshot (the page reads
        // every snapshot below, and shows a damaged one as such): once, not twice, over S3.
        for (SnapshotPruning.Decision decision :
                SnapshotPruning.plan(store, options.retention(), SnapshotPruning.Filter.ALL)) {
            kept.put(decision.entry().snapshot().key(), decision.kept() ? decision.reason() : null);
        }
        // a mistyped --compare fails now, not after every snapshot was read
        String compareA =
                Comparison.source(options.compareA(), entries, entries.get(0).source());
        String compareB = Comparison.source(
                options.compareB(), entries, entries.get(entries.size() - 1).source());
        Set<Integer> histogramAt = new HashSet<>(List.of(0, (entries.size() - 1) / 2, entries.size() - 1));
        ObjectNode root = json.objectNode();
        root.put("store", shown);
        root.put("generated", Instant.now().toString());
        root.put("retention", describe(options.retention()));
        ArrayNode snapshots = root.putArray("snapshots");
        Map<String, Object> previous = Map.of();
        for (int i = 0; i < entries.size(); i++) {
            SnapshotListing.Entry entry = entries.get(i);
            Read read = read(store, entry, options.loader());
            ObjectNode node = snapshots.addObject();
            describe(entry, node);
            node.put("verify", read.problem == null ? "ok" : read.problem);
            String key = entry.snapshot().key();
            node.put("pinned", "pinned".equals(protections.get(key)));
            node.put("current", "current".equals(protections.get(key)));
            node.put("kept", kept.get(key)); // null: the retention would delete it
            Map<String, Object> arrays = read.graph == null ? Map.of() : NumericFields.of(read.graph);
            read = null; // the graph goes; only its arrays stay, until the next snapshot is compared with them
            track(i, entry.name(), arrays, previous, histogramAt.contains(i));
            previous = arrays;
        }
        previous = null; // the last arrays go before the diff reads its two snapshots
        root.set("units", UnitSizes.of(entries));
        root.set("fields", fields());
        root.set("compare", Comparison.diff(compareA, compareB, options.loader()));
        ArrayNode noteArray = root.putArray("notes");
        notes.forEach(noteArray::add);
        if (fieldsLeftOut > 0) {
            noteArray.add(fieldsLeftOut + " more numeric fields are left out (the first " + MAX_FIELDS + " are shown)");
        }
        return root;
    }

    /** A snapshot's state read as data, or why it could not be. */
    private record Read(SavedGraph graph, String problem) {}

    /**
     * Reads a snapshot whole: its state, as data, when its workflow's classes are at hand; else
     * only its bytes, to verify it. Either way, the lengths and checksums are checked.
     */
    private Read read(SnapshotStore store, SnapshotListing.Entry entry, ClassLoader loader) {
        if (entry.problem() != null || entry.manifest() == null) {
            return new Read(null, entry.problem() != null ? entry.problem() : "its manifest cannot be read");
        }
        try (SnapshotReader reader = Snapshots.open(store, entry.snapshot(), entry.source(), null)) {
            Class<? extends Workflow> type = workflowClass(entry.manifest().workflowClass, loader);
            if (type == null) {
                reader.verify();
                note("the classes of " + entry.manifest().workflowClass
                        + " are not on the class path (give them with --class-path): weights are not shown");
                return new Read(null, null);
            }
            if (entry.manifest().payloadBytes > Runtime.getRuntime().maxMemory() / HEAP_SHARE) {
                reader.verify();
                tooLarge(entry);
                return new Read(null, null);
            }
            return new Read(reader.readSaved(RestoreRules.forWorkflow(type)), null);
        } catch (SnapshotException | IOException e) {
            return new Read(null, oneLine(e));
        } catch (OutOfMemoryError e) {
            tooLarge(entry);
            return verifyOnly(store, entry);
        }
    }

    /**
     * A state read as data takes about its size in the heap, and the previous snapshot's arrays
     * are held beside it: a state over this share of the heap is verified, not read.
     */
    private static final int HEAP_SHARE = 3;

    private void tooLarge(SnapshotListing.Entry entry) {
        note(entry.name() + " holds more state than this heap can read beside the previous snapshot's arrays:"
                + " it is verified, its weights are left out (give a larger -Xmx)");
    }

    private static Read verifyOnly(SnapshotStore store, SnapshotListing.Entry entry) {
        try (SnapshotReader reader = Snapshots.open(store, entry.snapshot(), entry.source(), null)) {
            reader.verify();
            return new Read(null, null);
        } catch (SnapshotException | IOException e) {
            return new Read(null, oneLine(e));
        }
    }

    private static Class<? extends Workflow> workflowClass(String name, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(name, false, loader); // not initialised: none of its code runs
            return Workflow.class.isAssignableFrom(type) ? type.asSubclass(Workflow.class) : null;
        } catch (ClassNotFoundException | LinkageError | NullPointerException e) {
            return null;
        }
    }

    private void note(String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    private void track(
            int index, String snapshot, Map<String, Object> arrays, Map<String, Object> previous, boolean histogram) {
        for (Map.Entry<String, Object> field : arrays.entrySet()) {
            FieldHistory history = fields.get(field.getKey());
            if (history == null) {
                if (fields.size() >= MAX_FIELDS) {
                    fieldsLeftOut++;
                    continue;
                }
                history = new FieldHistory(field.getKey());
                fields.put(field.getKey(), history);
            }
            history.record(index, snapshot, field.getValue(), previous.get(field.getKey()), histogram);
        }
    }

    private void describe(SnapshotListing.Entry entry, ObjectNode node) {
        node.put("name", entry.name());
        node.put("created", entry.created().toEpochMilli());
        node.put("codec", entry.codec().isEmpty() ? "none" : entry.codec());
        node.put("stored", entry.bytes());
        node.put("source", Secrets.redact(entry.source()));
        if (entry.manifest() != null) {
            node.put("state", entry.manifest().payloadBytes);
            node.put("workflow", entry.manifest().workflowName);
            Object epoch = entry.manifest().info.get("epoch");
            if (epoch instanceof Number number) {
                node.put("epoch", number.longValue());
            }
            Object metric = entry.manifest().info.get(SnapshotPruning.METRIC);
            if (metric instanceof Number number && Double.isFinite(number.doubleValue())) {
                node.put("metric", number.doubleValue());
            }
        }
    }

    /** A field a model trains (weights, biases...): shown first; the others fold away. */
    private static final Pattern PARAMETER = Pattern.compile("(?i)(weights?|bias(es)?|kernel|gamma|beta|embeddings?)");

    private static boolean isParameter(String field) {
        return PARAMETER.matcher(field.substring(field.lastIndexOf('.') + 1)).matches();
    }

    private ArrayNode fields() {
        ArrayNode array = json.arrayNode();
        List<FieldHistory> ordered = new ArrayList<>(fields.values());
        ordered.sort(Comparator.comparing(history -> !isParameter(history.name))); // stable: in the units' order
        for (FieldHistory history : ordered) {
            ObjectNode node = array.addObject();
            node.put("name", history.name);
            node.put("parameter", isParameter(history.name));
            node.put("length", history.length);
            node.put("type", history.type);
            ArrayNode histograms = node.putArray("histograms");
            for (Histogram h : history.histograms) {
                ObjectNode hn = histograms.addObject();
                hn.put("snapshot", h.snapshot());
                hn.put("index", h.index());
                hn.put("min", round(h.min()));
                hn.put("max", round(h.max()));
                hn.put("nonFinite", h.nonFinite());
                ArrayNode counts = hn.putArray("counts");
                for (long count : h.counts()) {
                    counts.add(count);
                }
            }
            ArrayNode changes = node.putArray("changes"); // [index, average relative, average, maximum]
            for (FieldHistory.Change c : history.changes) {
                changes.addArray()
                        .add(c.index())
                        .add(round(c.averageRelative()))
                        .add(round(c.average()))
                        .add(round(c.maximum()));
            }
        }
        return array;
    }

    private static String describe(Retention retention) {
        StringBuilder text = new StringBuilder();
        if (retention.keepLast() > 0) {
            text.append("--keep-last ").append(retention.keepLast()).append(' ');
        }
        if (retention.keepEvery() != null) {
            text.append("--keep-every ")
                    .append(retention.keepEvery().toMinutes() / 60.0)
                    .append(' ');
        }
        if (retention.keepBest() > 0) {
            text.append("--keep-best ").append(retention.keepBest());
        }
        return text.toString().strip();
    }

    /** Four significant digits: what a chart can show, at a fraction of the page's size. */
    static double round(double value) {
        if (!Double.isFinite(value) || value == 0) {
            return Double.isFinite(value) ? 0 : value;
        }
        return new BigDecimal(value).round(new MathContext(4)).doubleValue();
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Secrets.redact(message.lines().findFirst().orElse(""));
    }
}
