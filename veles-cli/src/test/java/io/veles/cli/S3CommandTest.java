package io.veles.cli;

import static io.veles.cli.VelesProcess.concat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.testing.TestS3;
import io.veles.workflow.Workflow;
import io.veles.znicz.samples.WineSample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The command line on a real S3 server (s3proxy, {@link TestS3}): a run writes its snapshots to
 * {@code s3://bucket/prefix}; {@code snapshot ls|verify|inspect|diff|convert|pin|prune} read and
 * write there; a run resumed on "another machine" (another working directory) from the prefix
 * ends bit for bit as the uninterrupted run; and bad S3 input gets one line, exit 1, nothing written.
 */
@Tag("slow")
class S3CommandTest {
    /** Wall-clock and where-it-went fields of the snapshotter: the only ones allowed to differ. */
    private static final Set<String> WALL_CLOCK =
            Set.of("Snapshotter.lastSnapshotMillis", "Snapshotter.destination", "Snapshotter.recorded");

    private static final Pattern LAST_SNAPSHOT = Pattern.compile("last snapshot: (\\S+)");

    @TempDir
    static Path dir;

    private static TestS3 s3;
    private static S3Veles veles;
    /** The three snapshots of the run every test reads, oldest first, as {@code snapshot ls --json} gives them. */
    private static JsonNode listed;

    @BeforeAll
    static void trainWineIntoABucket() throws Exception {
        s3 = TestS3.freshBucket();
        veles = S3Veles.on(s3);
        VelesProcess run = veles.run(dir, "run", "wine", "decision.max_epochs=3", "--snapshot-dir", veles.at("runs"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("last snapshot: " + veles.at("runs/wine_3_"));
        VelesProcess ls = veles.run(dir, "snapshot", "ls", "--json", veles.at("runs"));
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        listed = new ObjectMapper().readTree(ls.stdout());
    }

    @AfterAll
    static void dropBucket() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static String source(int index) {
        return listed.get(index).get("source").asText();
    }

    @Test
    void aRunWritesOneObjectPerEpochThatLsListsInTextAndJson() throws Exception {
        assertThat(listed).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode snapshot = listed.get(i);
            assertThat(snapshot.get("name").asText()).startsWith("wine_" + (i + 1) + "_");
            assertThat(snapshot.get("source").asText())
                    .startsWith(veles.at("runs/wine_" + (i + 1) + "_"))
                    .endsWith(".gz");
            assertThat(snapshot.get("workflow").asText()).isEqualTo("wine");
            assertThat(snapshot.get("info").get("epoch").asInt()).isEqualTo(i + 1);
            assertThat(snapshot.get("current").asBoolean()).isEqualTo(i == 2);
            assertThat(snapshot.get("info").get("written_to").asText())
                    .isEqualTo("bucket " + veles.at("runs") + ", prefix wine");
        }
        VelesProcess ls = veles.run(dir, "snapshot", "ls", veles.at("runs"));
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        List<String> rows = ls.stdout().lines().skip(1).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(2))
                .contains(listed.get(2).get("name").asText())
                .contains("current")
                .contains(source(2));
        assertThat(dir.resolve("snapshots"))
                .as("nothing goes to a local directory")
                .doesNotExist();
    }

    @Test
    void verifyOfThePrefixReadsEveryObjectWhole() throws Exception {
        VelesProcess verify = veles.run(dir, "snapshot", "verify", veles.at("runs"));
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(verify.stdout()).contains(source(i) + ": OK");
        }
        assertThat(verify.stdout()).contains("3 whole, 0 not");
    }

    @Test
    void inspectAndDiffReadObjects() throws Exception {
        VelesProcess inspect = veles.run(dir, "snapshot", "inspect", source(0));
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        assertThat(inspect.stdout())
                .contains("snapshot     " + listed.get(0).get("name").asText())
                .contains("source       " + source(0));
        VelesProcess diff = veles.run(dir, "snapshot", "diff", source(0), source(2));
        assertThat(diff.exitCode()).as(diff.stderr()).isEqualTo(DiffCommand.DIFFERENT);
        assertThat(diff.stdout()).containsPattern("decision +epoch .* 1 -> 3");
    }

    @Test
    void convertCopiesBetweenBucketDirectoryAndTableInEachDirection() throws Exception {
        VelesProcess toFile = veles.run(dir, "snapshot", "convert", source(1), "copied.zst", "--compression", "zst");
        assertThat(toFile.exitCode()).as(toFile.stderr()).isZero();
        assertThat(toFile.stdout().strip()).isEqualTo("copied.zst");

        VelesProcess toBucket =
                veles.run(dir, "snapshot", "convert", "copied.zst", veles.at("converted"), "--compression", "xz");
        assertThat(toBucket.exitCode()).as(toBucket.stderr()).isZero();
        String object = toBucket.stdout().strip();
        assertThat(object).startsWith(veles.at("converted/")).endsWith(".xz");

        VelesProcess misnamed = veles.run(dir, "snapshot", "convert", "copied.zst", veles.at("misnamed/other.zst"));
        assertThat(misnamed.exitCode()).as(misnamed.stderr()).isEqualTo(1);
        assertThat(misnamed.stderr()
                        .lines()
                        .filter(line -> line.startsWith("veles: error:"))
                        .toList())
                .singleElement()
                .asString()
                .contains("a copy into a bucket is named after its snapshot");
        assertThat(s3.admin()
                        .listObjectsV2(request -> request.bucket(s3.bucket()).prefix("misnamed"))
                        .contents())
                .isEmpty();

        String odbc = "DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db");
        VelesProcess toTable = veles.run(dir, "snapshot", "convert", object, "odbc://" + odbc + "&converted");
        assertThat(toTable.exitCode()).as(toTable.stderr()).isZero();
        String row = toTable.stdout().strip();
        assertThat(row).startsWith("odbc://");

        for (String copy : List.of("copied.zst", object, row)) {
            VelesProcess verify = veles.run(dir, "snapshot", "verify", copy);
            assertThat(verify.exitCode()).as(copy + ": " + verify.stderr()).isZero();
            assertThat(verify.stdout()).as(copy).contains(": OK");
        }
        VelesProcess diff = veles.run(dir, "snapshot", "diff", source(1), row);
        assertThat(diff.exitCode())
                .as("the copies hold the state they were made from: " + diff.stdout())
                .isEqualTo(DiffCommand.EQUAL);
    }

    /**
     * An uncompressed snapshot's address has no codec's extension, so it reads like a prefix: the
     * address convert (or a run) prints for one names it, for every command and for a resume.
     */
    @Test
    void anUncompressedSnapshotsPrintedAddressNamesIt() throws Exception {
        VelesProcess convert =
                veles.run(dir, "snapshot", "convert", source(1), veles.at("plain/"), "--compression", "none");
        assertThat(convert.exitCode()).as(convert.stderr()).isZero();
        String address = convert.stdout().strip();
        assertThat(address).startsWith(veles.at("plain/wine_2_")).doesNotContain(".gz");
        VelesProcess verify = veles.run(dir, "snapshot", "verify", address);
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stdout()).contains(address + ": OK");
        VelesProcess diff = veles.run(dir, "snapshot", "diff", source(1), address);
        assertThat(diff.exitCode()).as(diff.stdout() + diff.stderr()).isEqualTo(DiffCommand.EQUAL);
        VelesProcess resumed = veles.run(
                dir,
                "run",
                "wine",
                "-w",
                address,
                "decision.max_epochs=3",
                "--snapshot-dir",
                veles.at("plain-resumed"));
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("last snapshot: " + veles.at("plain-resumed/wine_3_"));
        VelesProcess asPrefix = veles.run(dir, "snapshot", "verify", address + "/");
        assertThat(asPrefix.exitCode()).as("a trailing '/' names a prefix").isEqualTo(1);
        VelesProcess missing = veles.run(dir, "snapshot", "verify", veles.at("plain/wine_9"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("plain/wine_9 holds no snapshot");
    }

    @Test
    void prunePreservesThePinnedAndTheCurrentObjects() throws Exception {
        VelesProcess run =
                veles.run(dir, "run", "wine", "decision.max_epochs=4", "--snapshot-dir", veles.at("retention"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<StoredSnapshot> written;
        try (ObjectStore store = veles.store("retention")) {
            written = store.list();
        }
        assertThat(written).hasSize(4);
        VelesProcess pin = veles.run(dir, "snapshot", "pin", written.get(0).location());
        assertThat(pin.exitCode()).as(pin.stderr()).isZero();

        VelesProcess prune = veles.run(dir, "snapshot", "prune", "--keep-last", "1", veles.at("retention"));
        assertThat(prune.exitCode()).as(prune.stderr()).isZero();
        assertThat(prune.stdout()).contains("deleted 2 of 4 snapshots");
        try (ObjectStore store = veles.store("retention")) {
            assertThat(store.list())
                    .extracting(StoredSnapshot::key)
                    .containsExactly(written.get(0).key(), written.get(3).key());
            assertThat(store.isPinned(written.get(0))).isTrue();
            assertThat(store.current("wine"))
                    .map(StoredSnapshot::key)
                    .contains(written.get(3).key());
        }
    }

    @Test
    void aRunResumedOnAnotherMachineFromThePrefixEndsAsTheUninterruptedRun() throws Exception {
        String[] workload = {"decision.max_epochs=30", "decision.fail_iterations=1000", "--random-seed", "3"};
        Path whole = Files.createDirectory(dir.resolve("whole-machine"));
        VelesProcess uninterrupted = veles.run(
                whole,
                concat(
                        new String[] {"run", "wine", "--snapshot-dir", "snaps", "--result-file", "result.json"},
                        workload));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.stderr()).isZero();

        Path first = Files.createDirectory(dir.resolve("first-machine"));
        VelesProcess killed = veles.start(
                first, concat(new String[] {"run", "wine", "--snapshot-dir", veles.at("preempted")}, workload));
        try (ObjectStore store = veles.store("preempted")) {
            while (killed.isAlive() && store.list().size() < 12) {
                Thread.sleep(20);
            }
        }
        assertThat(killed.isAlive())
                .as("the run ended before it could be killed: %s", killed.stderr())
                .isTrue();
        killed.kill();

        Path second = Files.createDirectory(dir.resolve("second-machine"));
        VelesProcess resumed = veles.run(
                second,
                concat(
                        new String[] {
                            "run",
                            "wine",
                            "-w",
                            veles.at("preempted"),
                            "--snapshot-dir",
                            veles.at("preempted"),
                            "--result-file",
                            "result.json"
                        },
                        workload));
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("restored wine from " + veles.at("preempted/"));

        assertThat(RunResults.read(second.resolve("result.json")))
                .isEqualTo(RunResults.read(whole.resolve("result.json")));
        VelesProcess copy = veles.run(second, "snapshot", "convert", lastSnapshot(resumed), "final.gz");
        assertThat(copy.exitCode()).as(copy.stderr()).isZero();
        assertThat(StateComparison.differences(
                        finalState(whole.resolve("snaps")), finalState(second.resolve("final.gz")), WALL_CLOCK))
                .isEmpty();
    }

    @Test
    void badS3InputGetsOneLineAndWritesNothing() throws Exception {
        String[][] cases = {
            {"missing bucket", "bucket 'veles-no-such-bucket' does not exist"},
            {"closed port", "connection refused by the S3 endpoint"},
            // found before the first iteration, by a listing: named as ls names it
            {"wrong secret", "the secret key does not match the access key (invalid credential)"},
        };
        for (String[] c : cases) {
            S3Veles user = switch (c[0]) {
                case "closed port" -> veles.through(closedPort());
                case "wrong secret" -> veles.with("AWS_SECRET_ACCESS_KEY", "not-the-secret-4711");
                default -> veles;
            };
            String target = c[0].equals("missing bucket") ? "s3://veles-no-such-bucket/runs" : veles.at("refused");
            Path out = Files.createTempDirectory(dir, "bad");
            VelesProcess run = user.run(
                    out,
                    "run",
                    "wine",
                    "decision.max_epochs=2",
                    "--snapshot-dir",
                    target,
                    "--result-file",
                    "result.json");
            assertThat(run.exitCode()).as(c[0] + ": " + run.stderr()).isEqualTo(1);
            List<String> errors = run.stderr()
                    .lines()
                    .filter(line -> line.startsWith("veles: error:"))
                    .toList();
            assertThat(errors).as(run.stderr()).hasSize(1);
            assertThat(errors.get(0)).as(c[0]).contains(c[1]);
            assertThat(run.stderr())
                    .doesNotContain("not-the-secret-4711")
                    .doesNotContain(TestS3.SECRET_KEY)
                    .doesNotContain("\tat ");
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files.filter(f -> !f.getFileName().toString().startsWith(".std"))
                                .toList())
                        .as("nothing written for %s", c[0])
                        .isEmpty();
            }
        }
        assertThat(s3.admin()
                        .listObjectsV2(request -> request.bucket(s3.bucket()).prefix("refused"))
                        .contents())
                .isEmpty();
        assertThat(s3.admin().listBuckets().buckets())
                .noneMatch(bucket -> bucket.name().equals("veles-no-such-bucket"));
    }

    private static URI closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private static String lastSnapshot(VelesProcess run) {
        Matcher matcher = LAST_SNAPSHOT.matcher(run.stderr());
        assertThat(matcher.find()).as(run.stderr()).isTrue();
        return matcher.group(1);
    }

    private static Workflow finalState(Path location) throws Exception {
        return Snapshots.restore(
                        location.toString(),
                        WineSample.WineWorkflow.class,
                        RestoreRules.forWorkflow(WineSample.WineWorkflow.class),
                        null)
                .workflow();
    }
}
