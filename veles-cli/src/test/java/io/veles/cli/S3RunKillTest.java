package io.veles.cli;

import static io.veles.cli.VelesProcess.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.testing.TestDepth;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A real {@code veles run} writing to S3, killed with SIGKILL again and again at varied moments
 * (mid-upload, between uploads, while it restores), each time resumed from the prefix as a
 * preempted node's successor would: every visible object verifies, {@code _current} names one
 * that verifies, and the run finally ends bit for bit as the uninterrupted one.
 */
@Tag("slow")
class S3RunKillTest {
    /** About 9 MiB of state: uncompressed, each snapshot goes up as a multipart upload of two parts. */
    private static final String[] WORKLOAD = {"walk.walkers=1200000", "walk.iterations=60", "--random-seed", "77"};

    @TempDir
    Path dir;

    @RegisterExtension
    static final TestS3 s3 = TestS3.perClass();

    @Test
    void killsDuringUploadsLeaveOnlyWholeObjectsAndTheResumedRunEndsAsTheUninterruptedOne() throws Exception {
        S3Veles veles = S3Veles.on(s3);
        Map<?, ?> expected = RunResults.ofUninterruptedRun(dir, "walk", WORKLOAD);

        Random random = new Random(20261201);
        Set<String> verified = new HashSet<>();
        int uploadsCutShort = 0;
        Set<String> seenUploads = new HashSet<>();
        // At least four, so that every kind of kill comes: uncompressed, zst, and while restoring.
        int kills = TestDepth.repetitions("S3RunKillTest", "SIGKILLs", 4, 10);
        try (ObjectStore store = veles.store("preempted")) {
            for (int kill = 0; kill < kills; kill++) {
                List<String> args = new ArrayList<>(List.of(
                        "run",
                        "walk",
                        "--snapshot-dir",
                        veles.at("preempted"),
                        "--compression",
                        kill % 3 == 2 ? "zst" : "none"));
                if (kill > 0) {
                    args.addAll(List.of("-w", veles.at("preempted")));
                }
                args.addAll(List.of(WORKLOAD));
                VelesProcess run = veles.start(dir, args.toArray(String[]::new));
                int before = store.list().size();
                // The moment: some kills come while the run still restores, most while it snapshots,
                // and the second (uncompressed, so uploaded in parts) as soon as an upload opens, so
                // that at least one lands inside an upload however the random delays fall.
                if (kill == 1) {
                    while (run.isAlive() && seenUploads.containsAll(openUploads())) {
                        Thread.sleep(5);
                    }
                } else {
                    if (kill % 4 != 3) {
                        while (run.isAlive() && store.list().size() == before) {
                            Thread.sleep(20);
                        }
                    }
                    Thread.sleep(random.nextInt(900));
                }
                assertThat(run.isAlive())
                        .as("run %d ended before it was killed: %s", kill, run.stderr())
                        .isTrue();
                run.kill();

                for (String upload : openUploads()) {
                    if (seenUploads.add(upload)) {
                        uploadsCutShort++;
                    }
                }
                List<StoredSnapshot> visible = TestS3.settledListing(store);
                assertThat(visible).as("after kill %d", kill).isNotEmpty();
                for (StoredSnapshot snapshot : visible) {
                    if (verified.add(snapshot.key())) {
                        S3Veles.verify(store, snapshot); // objects are never replaced: once whole, always whole
                    }
                }
                StoredSnapshot current = store.current("walk").orElseThrow(() -> new AssertionError("no _current"));
                assertThat(visible).as("_current after kill %d", kill).contains(current);
                S3Veles.verify(store, current);
            }
        }
        assertThat(uploadsCutShort)
                .as("some kills must land in the middle of an upload")
                .isPositive();

        VelesProcess resumed = veles.run(
                dir,
                concat(
                        new String[] {
                            "run",
                            "walk",
                            "-w",
                            veles.at("preempted"),
                            "--snapshot-dir",
                            veles.at("preempted"),
                            "--result-file",
                            "resumed.json"
                        },
                        WORKLOAD));
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("restored walk from " + veles.at("preempted/"));
        assertThat(RunResults.read(dir.resolve("resumed.json"))).isEqualTo(expected);
    }

    /** The ids of the multipart uploads open under the run's prefix: started, neither completed nor aborted. */
    private static List<String> openUploads() {
        return s3
                .admin()
                .listMultipartUploads(request -> request.bucket(s3.bucket()).prefix("preempted/"))
                .uploads()
                .stream()
                .map(upload -> upload.uploadId())
                .toList();
    }
}
