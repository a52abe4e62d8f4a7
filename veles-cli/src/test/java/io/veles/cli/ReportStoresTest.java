package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** snapshot report on the other stores: a database table (SQLite) and an S3 prefix (s3proxy, {@link TestS3}). */
@Tag("slow")
class ReportStoresTest {
    private static final Pattern DATA =
            Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path dir;

    private JsonNode data(String page) throws Exception {
        Matcher matcher = DATA.matcher(Files.readString(dir.resolve(page)));
        assertThat(matcher.find()).isTrue();
        return new ObjectMapper().readTree(matcher.group(1));
    }

    /** Every snapshot listed, verified, with its weights; the newest current; the diff made. */
    private static void assertWhole(JsonNode data, int snapshots) {
        assertThat(data.get("snapshots")).hasSize(snapshots);
        for (JsonNode snapshot : data.get("snapshots")) {
            assertThat(snapshot.get("verify").asText()).as(snapshot.toString()).isEqualTo("ok");
        }
        assertThat(data.get("snapshots").get(snapshots - 1).get("current").asBoolean())
                .isTrue();
        assertThat(data.get("fields").get(0).get("name").asText()).isEqualTo("fc1.weights");
        assertThat(data.get("fields").get(0).get("changes")).hasSize(snapshots - 1);
        assertThat(data.get("compare").has("error"))
                .as(data.get("compare").toString())
                .isFalse();
        assertThat(data.get("compare").get("differences").size()).isPositive();
    }

    @Test
    void aDatabaseTable() throws Exception {
        String odbc = "DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db");
        VelesProcess train =
                VelesProcess.run(dir, "run", "wine", "decision.max_epochs=4", "--odbc", odbc, "--table", "runs");
        assertThat(train.exitCode()).as(train.stderr()).isZero();
        VelesProcess report =
                VelesProcess.run(dir, "snapshot", "report", "odbc://" + odbc + "&runs", "-o", "table.html");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        JsonNode data = data("table.html");
        assertWhole(data, 4);
        assertThat(data.get("store").asText()).startsWith("odbc://");
    }

    @Test
    void anS3Prefix() throws Exception {
        try (TestS3 s3 = TestS3.freshBucket()) {
            S3Veles veles = S3Veles.on(s3);
            VelesProcess train =
                    veles.run(dir, "run", "wine", "decision.max_epochs=3", "--snapshot-dir", veles.at("runs"));
            assertThat(train.exitCode()).as(train.stderr()).isZero();
            VelesProcess report = veles.run(dir, "snapshot", "report", veles.at("runs"), "-o", "s3.html");
            assertThat(report.exitCode()).as(report.stderr()).isZero();
            JsonNode data = data("s3.html");
            assertWhole(data, 3);
            assertThat(data.get("store").asText()).isEqualTo(veles.at("runs"));
        }
    }
}
