package io.veles.snapshot.format;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a snapshot says about itself, stored as JSON ahead of its payload: enough to list,
 * inspect and check a snapshot without reading its state, and to compare its classes with the
 * code before restoring. Unknown properties are ignored so that older readers accept newer
 * manifests of the same format version.
 *
 * <p>Immutable, so that a manifest handed out (by a reader, or a writer's result) never changes
 * under its holder: a changed manifest is a copy, from {@link #toBuilder()}. The lists and the
 * {@code info} map are unmodifiable; values inside {@code info} read from JSON are as parsed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(builder = Manifest.Builder.class)
public final class Manifest {
    // Declared in the order the JSON has always had: snapshots already written compare byte for byte.
    /** Snapshot name, {@code <prefix>_<suffix>}. */
    public final String name;

    public final String workflowClass;
    public final String workflowName;
    /** Launcher's run id and log id. */
    public final String id;

    public final String logId;
    /** Creation time, ISO-8601 UTC. */
    public final String created;
    /** The library that wrote it, e.g. "veles-java 0.1.0". */
    public final String writer;
    /** The compression argument value (gz, xz, ...) and level used. */
    public final String codec;

    public final int level;
    /** SHA-256 over the class files of the captured classes. */
    public final String codeFingerprint;

    public final long payloadBytes;
    /** Filters applied to the payload before compression: {@code shuffle} (see the header flag). */
    public final List<String> filters;

    public final List<UnitSummary> units;
    public final List<ClassDescription> classes;
    /** Free-form facts from the workflow (the decision's epoch and metric, the suffix...). */
    public final Map<String, Object> info;
    /**
     * A differential snapshot's base: the {@code StoredSnapshot.key()} of the snapshot it was
     * written against, in the same store; null for a standalone snapshot.
     */
    public final String base;
    /**
     * A differential snapshot's chain: the keys of every snapshot its blocks may come from, nearest
     * first ({@link #base} first, a standalone snapshot last); null for a standalone snapshot. A
     * restore reads at most these and this one.
     */
    public final List<String> chain;
    /**
     * The element classes of the object arrays in the payload (the code's, not the JDK's), each
     * with whether it was final when written: elements of an array of a final class are written
     * without their class, so a restore reads such arrays by this, not by today's class, which
     * may have gained or lost {@code final} (or, for an enum, constant bodies). Null when the
     * payload holds no such array, and in snapshots written before it was recorded (read by
     * today's classes).
     */
    public final Map<String, Boolean> arrayElementsFinal;
    /**
     * The declared types of the captured fields that have type arguments, by class and field key
     * ({@code "java.util.List<java.lang.Integer>"}): a restore compares them with today's, and
     * checks a container's elements against the new arguments when only those changed ({@code
     * List<Integer>} became {@code List<Long>}), which the field's class alone cannot tell. Null
     * when no captured field has type arguments, and in snapshots written before they were
     * recorded (such changes then go unchecked).
     */
    public final Map<String, Map<String, String>> genericFields;

    /** An empty manifest: what a caller passes to a writer when it knows nothing to add. */
    public Manifest() {
        this(new Builder());
    }

    private Manifest(Builder b) {
        name = b.name;
        workflowClass = b.workflowClass;
        workflowName = b.workflowName;
        id = b.id;
        logId = b.logId;
        created = b.created;
        writer = b.writer;
        codec = b.codec;
        level = b.level;
        codeFingerprint = b.codeFingerprint;
        payloadBytes = b.payloadBytes;
        filters = unmodifiable(b.filters);
        units = unmodifiable(b.units);
        classes = unmodifiable(b.classes);
        info = b.info == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.info));
        base = b.base;
        chain = unmodifiable(b.chain);
        arrayElementsFinal = b.arrayElementsFinal == null || b.arrayElementsFinal.isEmpty()
                ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.arrayElementsFinal));
        genericFields = b.genericFields == null || b.genericFields.isEmpty()
                ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.genericFields));
    }

    /** True for a differential snapshot: it holds only the blocks that changed since {@link #base}. */
    @JsonIgnore
    public boolean isDifferential() {
        return base != null;
    }

    // Not List.copyOf: a manifest read from hostile JSON may hold nulls, which the reader reports.
    private static <T> List<T> unmodifiable(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this manifest's values, to make a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The {@code count} largest units, largest first. */
    public List<UnitSummary> largestUnits(int count) {
        List<UnitSummary> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparingLong(UnitSummary::bytes).reversed());
        return sorted.subList(0, Math.min(count, sorted.size()));
    }

    /**
     * Collects a manifest's values. Also how JSON is read: a property the JSON lacks keeps the
     * default here (empty lists and info, as a manifest always had).
     */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Builder {
        private String name;
        private String workflowClass;
        private String workflowName;
        private String id;
        private String logId;
        private String created;
        private String writer;
        private String codec;
        private int level;
        private String codeFingerprint;
        private long payloadBytes;
        private List<String> filters = new ArrayList<>();
        private List<UnitSummary> units = new ArrayList<>();
        private List<ClassDescription> classes = new ArrayList<>();
        private Map<String, Object> info = new LinkedHashMap<>();
        private String base;
        private List<String> chain;
        private Map<String, Boolean> arrayElementsFinal;
        private Map<String, Map<String, String>> genericFields;

        private Builder() {}

        private Builder(Manifest m) {
            name = m.name;
            workflowClass = m.workflowClass;
            workflowName = m.workflowName;
            id = m.id;
            logId = m.logId;
            created = m.created;
            writer = m.writer;
            codec = m.codec;
            level = m.level;
            codeFingerprint = m.codeFingerprint;
            payloadBytes = m.payloadBytes;
            filters = m.filters == null ? null : new ArrayList<>(m.filters);
            units = m.units == null ? null : new ArrayList<>(m.units);
            classes = m.classes == null ? null : new ArrayList<>(m.classes);
            info = m.info == null ? null : new LinkedHashMap<>(m.info);
            base = m.base;
            chain = m.chain == null ? null : new ArrayList<>(m.chain);
            arrayElementsFinal = m.arrayElementsFinal == null ? null : new LinkedHashMap<>(m.arrayElementsFinal);
            genericFields = m.genericFields == null ? null : new LinkedHashMap<>(m.genericFields);
        }

        /** See {@link Manifest#genericFields}; null or empty: none recorded. */
        public Builder genericFields(Map<String, Map<String, String>> value) {
            genericFields = value;
            return this;
        }

        /** See {@link Manifest#arrayElementsFinal}; null or empty: none recorded. */
        public Builder arrayElementsFinal(Map<String, Boolean> value) {
            arrayElementsFinal = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder workflowClass(String value) {
            workflowClass = value;
            return this;
        }

        public Builder workflowName(String value) {
            workflowName = value;
            return this;
        }

        public Builder id(String value) {
            id = value;
            return this;
        }

        public Builder logId(String value) {
            logId = value;
            return this;
        }

        public Builder created(String value) {
            created = value;
            return this;
        }

        public Builder writer(String value) {
            writer = value;
            return this;
        }

        public Builder codec(String value) {
            codec = value;
            return this;
        }

        public Builder level(int value) {
            level = value;
            return this;
        }

        public Builder codeFingerprint(String value) {
            codeFingerprint = value;
            return this;
        }

        public Builder payloadBytes(long value) {
            payloadBytes = value;
            return this;
        }

        public Builder filters(List<String> value) {
            filters = value;
            return this;
        }

        public Builder units(List<UnitSummary> value) {
            units = value;
            return this;
        }

        public Builder classes(List<ClassDescription> value) {
            classes = value;
            return this;
        }

        /** Replaces all of {@code info}. */
        public Builder info(Map<String, Object> value) {
            info = value;
            return this;
        }

        /** Adds one fact to {@code info}, replacing one of the same key. */
        public Builder info(String key, Object value) {
            if (info == null) {
                info = new LinkedHashMap<>();
            }
            info.put(key, value);
            return this;
        }

        /** Adds {@code facts} to {@code info}, in their order. Not a JSON property. */
        @JsonIgnore
        public Builder putInfo(Map<String, ?> facts) {
            if (info == null) {
                info = new LinkedHashMap<>();
            }
            info.putAll(facts);
            return this;
        }

        public Builder base(String value) {
            base = value;
            return this;
        }

        public Builder chain(List<String> value) {
            chain = value;
            return this;
        }

        /** Makes this a standalone snapshot's manifest: no base, no chain. Not a JSON property. */
        @JsonIgnore
        public Builder standalone() {
            base = null;
            chain = null;
            return this;
        }

        public Manifest build() {
            return new Manifest(this);
        }
    }
}
