package io.veles.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Settings as dotted keys and string values ({@code snapshotter.interval=5}), read with typed
 * getters that name the key when a value is wrong. Keys read are remembered, so that a launcher
 * can warn about settings nobody used (usually a typo).
 */
public final class Config {
    private final Map<String, String> values;
    private final String prefix;
    private final Set<String> used;

    private Config(Map<String, String> values, String prefix, Set<String> used) {
        this.values = values;
        this.prefix = prefix;
        this.used = used;
    }

    /** An empty configuration. */
    /** JSON as a config file must be: a key given twice, or anything after the object, is refused. */
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static Config empty() {
        return of(Map.of());
    }

    public static Config of(Map<String, String> values) {
        return new Config(Collections.unmodifiableMap(new LinkedHashMap<>(values)), "", ConcurrentHashMap.newKeySet());
    }

    /** Parses {@code key=value} arguments; a malformed one is refused, naming it. */
    public static Config parse(List<String> assignments) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("not a key=value setting: '" + assignment + "'");
            }
            String key = assignment.substring(0, eq).trim();
            String before = values.put(key, assignment.substring(eq + 1).trim());
            if (before != null) {
                throw new ConfigException("setting " + key + " is given twice ('" + key + "=" + before + "' and '"
                        + assignment.trim() + "')");
            }
        }
        return of(values);
    }

    /**
     * Settings from a file: Java properties ({@code key=value} lines), or, for a name ending in
     * {@code .json} or whose text begins with <code>{</code>, a JSON object whose nested objects
     * become dotted keys ({@code {"decision": {"max_epochs": 50}}} is {@code decision.max_epochs=50}).
     */
    public static Config load(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException("cannot read config file " + file + ": it is a directory");
        }
        Map<String, String> values = new LinkedHashMap<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            if (file.getFileName().toString().endsWith(".json") || startsAnObject(in)) {
                JsonNode root = STRICT_JSON.readTree(in);
                if (root == null || root.isMissingNode()) {
                    throw new ConfigException("config file " + file + " is empty");
                }
                flatten("", root, values, file);
            } else {
                Properties properties = new Properties() {
                    @Override
                    public synchronized Object put(Object key, Object value) {
                        if (containsKey(key)) {
                            throw new ConfigException("config file " + file + ": setting " + key + " is given twice");
                        }
                        return super.put(key, value);
                    }
                };
                // UTF-8, as editors write today, and a byte-order mark is no part of the first key
                java.io.Reader reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8);
                java.io.PushbackReader text = new java.io.PushbackReader(reader);
                int first = text.read();
                if (first != -1 && first != '\uFEFF') {
                    text.unread(first);
                }
                try {
                    properties.load(text);
                } catch (ConfigException e) {
                    throw e;
                } catch (IllegalArgumentException e) { // a malformed unicode escape: a Windows path, say
                    throw new ConfigException("cannot read config file " + file + ": " + e.getMessage()
                            + " (write a backslash as \\\\ or use /)");
                }
                for (String key : properties.stringPropertyNames()) {
                    values.put(key, properties.getProperty(key).trim());
                }
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read config file " + file + ": no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message ends in where it was, as "[Source: REDACTED (...) line: 1, ...]": said plainly
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String why = e.getOriginalMessage()
                    .split("\n", 2)[0]
                    .replaceAll("\\s*\\(start marker at \\[Source:[^]]*]\\)", "");
            throw new ConfigException("cannot read config file " + file + ": not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": "
                    + why);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": "
                    + String.valueOf(e.getMessage()).split("\n", 2)[0]);
        }
        return of(values);
    }

    /** Bytes looked at for a config's first character: a byte-order mark and blank lines before it. */
    private static final int SNIFFED_BYTES = 4096;

    /**
     * Whether the config in {@code in} (left unread) begins, after a byte-order mark and white
     * space, with {@code {}: JSON under another name than {@code .json}. No properties file
     * begins so (its first key would be "{"), and read as one it would give settings no one wrote.
     */
    private static boolean startsAnObject(InputStream in) throws IOException {
        in.mark(SNIFFED_BYTES);
        try {
            byte[] head = in.readNBytes(SNIFFED_BYTES);
            int at =
                    head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF
                            ? 3
                            : 0;
            while (at < head.length && Character.isWhitespace(head[at])) {
                at++;
            }
            return at < head.length && head[at] == '{';
        } finally {
            in.reset();
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> values, Path file) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(field -> flatten(
                            prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
                            field.getValue(),
                            values,
                            file));
        } else if (node.isValueNode()) {
            if (values.put(prefix, node.asText()) != null) { // {"a": {"b": 1}, "a.b": 2}
                throw new ConfigException("config file " + file + ": setting " + prefix + " is given twice");
            }
        } else {
            throw new ConfigException(file + ": " + (prefix.isEmpty() ? "the file" : prefix)
                    + " must be an object or a value, not a list");
        }
    }

    /**
     * This configuration with {@code overrides} taking precedence. Reads through the result count
     * as reads of {@code overrides}, so that a user's settings merged over defaults are not
     * reported unused.
     */
    public Config with(Config overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides.values);
        return new Config(Collections.unmodifiableMap(merged), prefix, overrides.used);
    }

    /** The settings under {@code name.}, read with keys relative to it. */
    public Config section(String name) {
        return new Config(values, prefix + name + ".", used);
    }

    public boolean has(String key) {
        return values.containsKey(prefix + key);
    }

    public String getString(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    public int getInt(String key, int defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key + ": expected a whole number, got '" + value + "'");
        }
    }

    public long getLong(String key, long defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key + ": expected a whole number, got '" + value + "'");
        }
    }

    public double getDouble(String key, double defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key + ": expected a number, got '" + value + "'");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                throw new ConfigException(prefix + key + ": expected true or false, got '" + value + "'");
        }
    }

    /** Keys (full, dotted) that were set but never read. */
    public Set<String> unusedKeys() {
        Set<String> unused = new TreeSet<>(values.keySet());
        unused.removeAll(used);
        return unused;
    }

    /** All settings, full keys. */
    public Map<String, String> asMap() {
        return values;
    }

    private String raw(String key) {
        String full = prefix + key;
        used.add(full);
        return values.get(full);
    }
}
