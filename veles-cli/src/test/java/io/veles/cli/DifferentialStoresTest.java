package io.veles.cli;

import static io.veles.cli.VelesProcess.concat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.testing.TestDatabase;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Differential snapshots in every store: a directory, database tables and an S3 prefix. Each
 * snapshot of a chain verifies whole (its chain with it), and a run resumed from the middle of the
 * chain ends bit for bit as the uninterrupted run.
 */
@Tag("slow")
class DifferentialStoresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WINE = {"decision.max_epochs=6", "--random-seed", "3"};

    @TempDir
    Path dir;

    private Map<?, ?> results(String file) throws Exception {
        return RunResults.read(dir.resolve(file));
    }

    /**
     * Runs wine with differential snapshots into {@code store} ({@code global} options first, then
     * {@code storeArgs} of the run), checks the chain and resumes from its middle.
     */
    private void checkStore(
            Map<String, String> environment,
            String[] global,
            String store,
            UnaryOperator<String> resumable,
            String... storeArgs)
            throws Exception {
        String[] run = concat(global, "run", "wine");
        VelesProcess whole = VelesProcess.run(
                dir,
                environment,
                concat(
                        concat(concat(run, WINE), storeArgs),
                        "--incremental",
                        "snapshotter.full_every=4",
                        "--result-file",
                        "whole.json"));
        assertThat(whole.exitCode()).as(whole.stderr()).isZero();
        assertThat(whole.stderr()).contains("differential against");

        VelesProcess list =
                VelesProcess.run(dir, environment, concat(global, "snapshot", "ls", "--json", "--verify", store));
        assertThat(list.exitCode()).as(list.stderr() + list.stdout()).isZero();
        List<String> sources = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(list.stdout())) {
            assertThat(entry.get("ok").asBoolean()).as(entry.toString()).isTrue();
            sources.add(entry.get("source").asText());
        }
        assertThat(sources).hasSize(6);
        VelesProcess table = VelesProcess.run(dir, environment, concat(global, "snapshot", "ls", store));
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout())
                .as("each base shown by its name, a row's too")
                .doesNotContain("\\u0000");

        // The third snapshot is the second differential one of the first chain.
        VelesProcess resumed = VelesProcess.run(
                dir,
                environment,
                concat(
                        concat(run, WINE),
                        "-w",
                        resumable.apply(sources.get(2)),
                        "--snapshot-dir",
                        dir.resolve("after").toString(),
                        "--result-file",
                        "resumed.json"));
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("restored wine from");
        assertThat(results("resumed.json")).isEqualTo(results("whole.json"));

        // The same snapshot by its address (a table's names its row alone): verified with its
        // chain, and pinned with it.
        String third = resumable.apply(sources.get(2));
        VelesProcess verify = VelesProcess.run(dir, environment, concat(global, "snapshot", "verify", third));
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        VelesProcess pin = VelesProcess.run(dir, environment, concat(global, "snapshot", "pin", third));
        assertThat(pin.exitCode()).as(pin.stderr()).isZero();
        assertThat(pin.stdout().lines().filter(line -> line.endsWith("(its chain)")))
                .as(pin.stdout())
                .hasSize(2);
    }

    @Test
    void aDirectory() throws Exception {
        String snaps = dir.resolve("snaps").toString();
        checkStore(Map.of(), new String[0], snaps, source -> source, "--snapshot-dir", snaps);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDatabaseTable(TestDatabase database) throws Exception {
        String odbc = database.odbc(dir);
        String table = TestDatabase.freshTable();
        try {
            // The listing hides the password: the resume names the row with the connection string in full.
            checkStore(
                    Map.of(),
                    new String[0],
                    "odbc://" + odbc + "&" + table,
                    source -> "odbc://" + odbc + source.substring(source.indexOf("&" + table + "&")),
                    "--odbc",
                    odbc,
                    "--table",
                    table);
        } finally {
            if (database != TestDatabase.SQLITE) {
                database.drop(odbc, table);
            }
        }
    }

    @Test
    void anS3Prefix() throws Exception {
        try (TestS3 s3 = TestS3.freshBucket()) {
            S3Veles veles = S3Veles.on(s3);
            checkStore(
                    veles.environment(),
                    veles.serverArgs(),
                    veles.at("runs"),
                    source -> source,
                    "--snapshot-dir",
                    veles.at("runs"));
        }
    }
    /**
     * A prefix copied elsewhere (as {@code aws s3 sync} copies it) keeps its chains, which name
     * their bases under the old prefix: the copy verifies, prune keeps the bases of what it keeps,
     * and a run resumes from it.
     */
    @Test
    void anS3PrefixCopiedElsewhere() throws Exception {
        try (TestS3 s3 = TestS3.freshBucket()) {
            S3Veles veles = S3Veles.on(s3);
            VelesProcess written = veles.run(
                    dir,
                    concat(
                            concat(new String[] {"run", "wine"}, WINE),
                            "--snapshot-dir",
                            veles.at("runs"),
                            "--incremental",
                            "snapshotter.full_every=4"));
            assertThat(written.exitCode()).as(written.stderr()).isZero();
            software.amazon.awssdk.services.s3.S3Client client = s3.admin(); // the test's own: not closed here
            for (var object : client.listObjectsV2(
                            request -> request.bucket(s3.bucket()).prefix("runs/"))
                    .contents()) {
                client.copyObject(request -> request.sourceBucket(s3.bucket())
                        .sourceKey(object.key())
                        .destinationBucket(s3.bucket())
                        .destinationKey("copy/" + object.key().substring("runs/".length())));
            }
            VelesProcess pruned = veles.run(dir, "snapshot", "prune", veles.at("copy"), "--keep-last", "1");
            assertThat(pruned.exitCode()).as(pruned.stderr()).isZero();
            VelesProcess list = veles.run(dir, "snapshot", "ls", "--json", "--verify", veles.at("copy"));
            assertThat(list.exitCode()).as(list.stderr() + list.stdout()).isZero();
            List<String> kept = new ArrayList<>();
            for (JsonNode entry : JSON.readTree(list.stdout())) {
                assertThat(entry.get("ok").asBoolean()).as(entry.toString()).isTrue();
                kept.add(entry.get("name").asText());
            }
            assertThat(kept).as("the newest and its base").hasSize(2);
            VelesProcess resumed = veles.run(
                    dir,
                    concat(
                            concat(new String[] {"run", "wine"}, WINE),
                            "-w",
                            veles.at("copy"),
                            "--snapshot-dir",
                            dir.resolve("after").toString()));
            assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
            assertThat(resumed.stderr()).contains("restored wine from");
        }
    }
}
