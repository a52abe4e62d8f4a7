package io.veles.snapshot.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a snapshot says about itself, stored as JSON ahead of its payload: enough to list,
 * inspect and check a snapshot without reading its state, and to compare its classes with the
 * code before restoring. Unknown properties are ignored so that older readers accept newer
 * manifests of the same format version.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Manifest {
    /** Snapshot name, {@code <prefix>_<suffix>}. */
    public String name;
    public String workflowClass;
    public String workflowName;
    /** Launcher's run id and log id. */
    public String id;
    public String logId;
    /** Creation time, ISO-8601 UTC. */
    public String created;
    /** The library that wrote it, e.g. "veles-java 0.1.0". */
    public String writer;
    /** The compression argument value (gz, xz, ...) and level used. */
    public String codec;
    public int level;
    /** SHA-256 over the class files of the captured classes. */
    public String codeFingerprint;
    public long payloadBytes;
    /** Filters applied to the payload before compression: {@code shuffle} (see the header flag). */
    public List<String> filters = new ArrayList<>();
    public List<UnitSummary> units = new ArrayList<>();
    public List<ClassDescription> classes = new ArrayList<>();
    /** Free-form facts from the workflow (the decision's epoch and metric, the suffix...). */
    public Map<String, Object> info = new LinkedHashMap<>();

    /** The {@code count} largest units, largest first. */
    public List<UnitSummary> largestUnits(int count) {
        List<UnitSummary> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparingLong(UnitSummary::bytes).reversed());
        return sorted.subList(0, Math.min(count, sorted.size()));
    }
}
