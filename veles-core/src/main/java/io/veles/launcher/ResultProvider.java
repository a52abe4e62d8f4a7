package io.veles.launcher;

import java.util.Map;

/** A workflow that reports results; the launcher writes them to {@code --result-file}. */
public interface ResultProvider {
    /** Results as JSON-friendly values (numbers, strings, lists, maps). */
    Map<String, Object> results();
}
