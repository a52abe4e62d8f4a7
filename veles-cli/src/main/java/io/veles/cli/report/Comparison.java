package io.veles.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veles.errors.SnapshotException;
import io.veles.internal.util.Secrets;
import io.veles.snapshot.SnapshotDiff;
import io.veles.snapshot.SnapshotListing;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;

import java.io.IOException;
import java.util.List;

/** The report's diff of two snapshots: which two (--compare, by name or source), and what differs. */
final class Comparison {
    /**
     * The differences a page shows: a workflow of 100,000 units each changing a counter would make
     * a table of millions of cells, a page no browser draws. The count of all is shown with them.
     */
    static final int MAX_DIFFERENCES = 500;

    private Comparison() {}

    /** The field-by-field diff of two snapshots, as {@code veles snapshot diff} computes it. */
    static ObjectNode diff(String a, String b, ClassLoader loader) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("a", Secrets.redact(a));
        node.put("b", Secrets.redact(b));
        ArrayNode differences = node.putArray("differences");
        try {
            List<SnapshotDiff.Difference> all = SnapshotDiff.compare(a, b, true, loader);
            node.put("total", all.size());
            for (SnapshotDiff.Difference d : all.subList(0, Math.min(all.size(), MAX_DIFFERENCES))) {
                ObjectNode dn = differences.addObject();
                dn.put("unit", d.unit());
                dn.put("field", d.field());
                dn.put("detail", Secrets.redact(d.detail()));
                if (!Double.isNaN(d.maximum())) {
                    dn.put("relative", RunReport.round(d.averageRelative()));
                    dn.put("average", RunReport.round(d.average()));
                    dn.put("max", RunReport.round(d.maximum()));
                }
            }
        } catch (SnapshotException e) {
            node.put("error", RunReport.oneLine(e));
        } catch (OutOfMemoryError e) {
            node.put("error", "cannot compare them within this heap (-Xmx)");
        }
        return node;
    }

    /**
     * The source of a snapshot named as the store lists it (its name, file name or source), else
     * {@code named} itself if it opens as a snapshot; {@code fallback} when nothing is named.
     */
    static String source(String named, List<SnapshotListing.Entry> entries, String fallback) {
        if (named == null) {
            return fallback;
        }
        for (SnapshotListing.Entry entry : entries) {
            String key = entry.snapshot().key();
            if (named.equals(entry.name())
                    || named.equals(key)
                    || named.equals(key.substring(key.lastIndexOf('/') + 1))
                    || named.equals(entry.source())) {
                return entry.source();
            }
        }
        try (SnapshotReader reader = Snapshots.open(named)) {
            return named;
        } catch (SnapshotException | IOException e) {
            throw new SnapshotException("--compare " + named
                    + " is neither a snapshot of the store nor a snapshot to open: " + RunReport.oneLine(e));
        }
    }
}
