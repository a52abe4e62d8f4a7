package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.codec.StandardTools;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.ChildProcess;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.Requirement;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code awscli} (the independent client) reads what ObjectStore wrote, and ObjectStore
 * reads what it uploaded, through the same real server. Without {@code /usr/bin/aws} (Debian's
 * package; {@code .ci/install-tools} installs it) the tests skip with a message, unless
 * {@code VELES_REQUIRE_TOOLS=1}. Debian's awscli 2.9 predates {@code AWS_ENDPOINT_URL}, so the
 * endpoint is passed as {@code --endpoint-url}.
 */
@Tag("slow")
class AwsCliInteropTest {
    private static final Path AWS = Path.of("/usr/bin/aws");

    @RegisterExtension
    static final TestS3 s3 = TestS3.perClass();

    @TempDir
    Path dir;

    @Test
    void awsListsWhatWeWroteAndTheCodecsToolsAcceptItsBytes() throws Exception {
        requireAws();
        try (ObjectStore store = ObjectStore.open(s3.location("ours"), s3.options())) {
            store.write(
                    ObjectStoreTest.entry("loop", "1", Codec.GZIP),
                    out -> out.write(ObjectStoreTest.snapshotBytes(new LoopWorkflow(2, 3_000_000, -1), Codec.GZIP)));
            store.write(
                    ObjectStoreTest.entry("loop", "2", Codec.ZSTD),
                    out -> out.write(ObjectStoreTest.snapshotBytes(new LoopWorkflow(2, 1000, -1), Codec.ZSTD)));
        }
        String listing = aws("s3", "ls", "s3://" + s3.bucket() + "/ours/");
        assertThat(listing).contains(" loop_1.gz", " loop_2.zst", " loop_current");

        for (Codec codec : List.of(Codec.GZIP, Codec.ZSTD)) {
            requireTool(codec);
            String key = "ours/loop_" + (codec == Codec.GZIP ? 1 : 2) + codec.extension();
            String tool = codec == Codec.GZIP ? "gzip -t" : "zstd -q -t";
            shell(AWS + " --endpoint-url " + TestS3.endpoint() + " s3 cp s3://" + s3.bucket() + "/" + key + " - | "
                    + tool);
        }
    }

    @Test
    void weRestoreWhatAwsUploaded() throws Exception {
        requireAws();
        Path file = dir.resolve("loop_7");
        byte[] bytes = ObjectStoreTest.snapshotBytes(new LoopWorkflow(2, 3_000_000, -1), Codec.NONE);
        Files.write(file, bytes);
        assertThat(bytes.length)
                .as("large enough for awscli's multipart upload")
                .isGreaterThan(8 << 20);
        aws("s3", "cp", file.toString(), "s3://" + s3.bucket() + "/theirs/loop_7");

        try (ObjectStore store = ObjectStore.open(s3.location("theirs"), s3.options())) {
            assertThat(store.list()).hasSize(1);
            StoredSnapshot theirs = store.list().get(0);
            assertThat(theirs.name()).isEqualTo("loop_7");
            assertThat(ObjectStoreTest.read(store, theirs)).isEqualTo(bytes);
            try (InputStream in = store.open(theirs);
                    SnapshotReader reader = SnapshotReader.open(in, theirs.location())) {
                assertThat(reader.manifest().name).isEqualTo("loop");
                assertThat(reader.verify()).isPositive();
            }
        }
    }

    private static String aws(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(AWS.toString(), "--endpoint-url", TestS3.endpoint().toString()));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private static void shell(String pipeline) throws IOException, InterruptedException {
        run(List.of("bash", "-c", "set -o pipefail; " + pipeline));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        // AWS_ENDPOINT_URL left out as a user of awscli 2.9 would have it: the flag decides.
        ChildProcess.Result result = ChildProcess.of(command)
                .with(s3.environment())
                .without("AWS_ENDPOINT_URL"::equals)
                .mergeErrors()
                .run();
        String text = result.output();
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " failed (" + result.exitCode() + "): " + text);
        }
        return text;
    }

    private static void requireAws() {
        if (!Files.isExecutable(AWS)) {
            Requirement.skipOrFail(
                    "VELES_REQUIRE_TOOLS", "Debian's awscli (/usr/bin/aws) is missing; .ci/install-tools installs it");
        }
    }

    private static void requireTool(Codec codec) {
        if (!StandardTools.available(codec)) {
            Requirement.skipOrFail(
                    "VELES_REQUIRE_TOOLS",
                    "the " + codec.argument() + " tool is missing; .ci/install-tools installs it");
        }
    }
}
