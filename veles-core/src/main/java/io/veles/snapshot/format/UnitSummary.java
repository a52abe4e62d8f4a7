package io.veles.snapshot.format;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** One captured unit as the manifest lists it: position in the payload, name, class, size. */
@JsonSerialize(using = UnitSummaryJson.Writer.class)
@JsonDeserialize(using = UnitSummaryJson.Reader.class)
public record UnitSummary(int index, String name, String type, long bytes) {}
