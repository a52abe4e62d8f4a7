package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The odbc:// source printed for a snapshot opens that snapshot again, also when the database is a
 * {@code jdbc:} URL whose parameters are joined by {@code &}, the character that separates a
 * source's parts.
 */
class PrintedSourceReuseTest {
    @TempDir
    Path dir;

    @Test
    void aJdbcUrlWithParametersPrintsASourceThatOpensTheSameSnapshot() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("snaps.db") + "?busy_timeout=3000&journal_mode=WAL";
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        SnapshotWriter.write(new LoopWorkflow(2, 3, -1), new Manifest(), Codec.GZIP, -1, snapshot);
        SnapshotTable table = new SnapshotTable(DatabaseTarget.of(url), "runs");
        SnapshotRow row = SnapshotRow.of(Instant.now(), "run-1", "run-1", "loop", "loop_3", "gz");
        table.insert(row, out -> out.write(snapshot.toByteArray()));

        String printed;
        try (SnapshotReader reader = Snapshots.open("odbc://{" + url + "}&runs")) {
            printed = reader.source();
            reader.verify();
        }
        assertThat(printed).isEqualTo("odbc://{" + url + "}&runs&run-1&&loop_3");
        assertThat(OdbcSource.parse(printed)).isEqualTo(new OdbcSource(url, "runs", "run-1", "run-1", "loop_3"));
        try (SnapshotReader again = Snapshots.open(printed)) {
            assertThat(again.verify()).isPositive();
            assertThat(again.source()).isEqualTo(printed);
        }
    }

    @Test
    void aBraceInsideTheUrlSurvivesTheRoundTrip() {
        OdbcSource source = new OdbcSource("jdbc:sqlite:/tmp/x.db?a={b}&c=d", "runs", "run-1", "run-1", "");
        assertThat(OdbcSource.parse(source.unredacted())).isEqualTo(source);
        OdbcSource odbc = new OdbcSource("DRIVER={SQLite3};DATABASE=/tmp/x.db", "runs", "", "", "");
        assertThat(odbc.unredacted())
                .as("an ODBC string is printed as it was given")
                .isEqualTo("odbc://DRIVER={SQLite3};DATABASE=/tmp/x.db&runs");
    }
}
