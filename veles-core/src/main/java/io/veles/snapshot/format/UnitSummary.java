package io.veles.snapshot.format;

/** One captured unit as the manifest lists it: position in the payload, name, class, size. */
public record UnitSummary(int index, String name, String type, long bytes) {}
