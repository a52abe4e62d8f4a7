package io.veles.snapshot.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What goes with the arrays: the scalars of the units ({@code unit.field} to its value as text)
 * and the snapshot's manifest as JSON (null when there is none, as for an imported pickle).
 */
public record ExportMetadata(Map<String, String> scalars, String manifestJson) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The safetensors {@code __metadata__}: strings only; the manifest under {@code veles.manifest}. */
    Map<String, String> asStrings() {
        Map<String, String> strings = new LinkedHashMap<>();
        strings.put("format", "veles");
        if (manifestJson != null) {
            strings.put("veles.manifest", manifestJson);
        }
        scalars.forEach((name, value) -> strings.putIfAbsent(name, value));
        return strings;
    }

    /** The JSON entry of an npz or npy directory: {@code {"manifest": {...}, "scalars": {...}}}. */
    byte[] asJson() {
        try {
            ObjectNode root = JSON.createObjectNode();
            root.set("manifest", manifestJson == null ? null : JSON.readTree(manifestJson));
            ObjectNode values = root.putObject("scalars");
            scalars.forEach(values::put);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
