package io.veles.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veles.snapshot.SnapshotListing;
import io.veles.snapshot.format.UnitSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The units by size over the run, from the manifests alone: what makes the snapshots big. */
final class UnitSizes {
    private UnitSizes() {}

    /** More units than this are summed as one "other units" column: the page stays small for any workflow. */
    static final int MAX_UNITS = 40;

    /**
     * Every unit's size in every snapshot: a row per snapshot, a column per unit name (0 where
     * absent); beyond the {@link #MAX_UNITS} largest (by their largest size), one column of the rest.
     */
    static ObjectNode of(List<SnapshotListing.Entry> entries) {
        Map<String, Long> largest = new LinkedHashMap<>();
        for (SnapshotListing.Entry entry : entries) {
            if (entry.manifest() != null) {
                entry.manifest()
                        .units
                        .forEach(unit -> largest.merge(String.valueOf(unit.name()), unit.bytes(), Math::max));
            }
        }
        List<String> shown = new ArrayList<>(largest.keySet());
        if (shown.size() > MAX_UNITS) {
            shown.sort(Comparator.comparing(largest::get).reversed());
            shown = new ArrayList<>(shown.subList(0, MAX_UNITS));
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        shown.forEach(name -> columns.put(name, columns.size()));
        int rest = largest.size() > columns.size() ? columns.size() : -1;
        ObjectNode units = JsonNodeFactory.instance.objectNode();
        ArrayNode names = units.putArray("names");
        columns.keySet().forEach(names::add);
        if (rest >= 0) {
            names.add("(" + (largest.size() - columns.size()) + " smaller units)");
        }
        ArrayNode rows = units.putArray("bytes");
        for (SnapshotListing.Entry entry : entries) {
            long[] row = new long[names.size()];
            if (entry.manifest() != null) {
                for (UnitSummary unit : entry.manifest().units) {
                    row[columns.getOrDefault(String.valueOf(unit.name()), rest)] += unit.bytes();
                }
            }
            ArrayNode array = rows.addArray();
            for (long bytes : row) {
                array.add(bytes);
            }
        }
        return units;
    }
}
