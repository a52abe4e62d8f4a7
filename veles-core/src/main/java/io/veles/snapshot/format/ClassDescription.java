package io.veles.snapshot.format;

import java.util.List;

/**
 * How a snapshot recorded a captured class: its name, its captured fields with their declared
 * types, and whether it customised its state. The manifest holds one per class, so that a
 * reader can compare them with the code it runs before reading any state.
 */
public record ClassDescription(String name, boolean customState, List<FieldDescription> fields) {

    /** One captured field: its key (the name, or Declaring#name when shadowed) and its type. */
    public record FieldDescription(String name, String type) {}
}
