package io.veles.snapshot.store;

import io.veles.snapshot.codec.Codec;

import java.time.Instant;

/**
 * What a store needs to file one snapshot that is about to be written.
 *
 * @param prefix   the snapshotter's prefix: one live run writes a prefix at a time
 * @param suffix   what follows the prefix in the name (an epoch, a metric, {@code _stop}…)
 * @param created  when it was taken
 * @param runId    the run's id (a table's {@code id} column)
 * @param logId    the run's log id (a table's {@code log_id} column), or null
 * @param workflow the workflow's name
 * @param codec    how its bytes are compressed; a file or object name ends in its extension
 */
public record NewSnapshot(
        String prefix, String suffix, Instant created, String runId, String logId, String workflow, Codec codec) {
    public String name() {
        return prefix + "_" + suffix;
    }

    public NewSnapshot withSuffix(String newSuffix) {
        return new NewSnapshot(prefix, newSuffix, created, runId, logId, workflow, codec);
    }

    /** What tells this run's snapshots from others' under one name: the run id's first 8 letters and digits. */
    public String discriminator() {
        String plain = runId == null ? "" : runId.replaceAll("[^A-Za-z0-9]", "");
        return plain.length() > 8 ? plain.substring(0, 8) : plain;
    }
}
