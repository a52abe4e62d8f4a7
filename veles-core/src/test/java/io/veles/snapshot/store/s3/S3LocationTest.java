package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3LocationTest {
    @Test
    void aPrefixOrOneSnapshotByItsCodecsExtension() {
        assertThat(S3Location.parse("s3://bucket/runs/wine")).isEqualTo(new S3Location("bucket", "runs/wine", null));
        assertThat(S3Location.parse("s3://bucket/runs/wine/")).isEqualTo(new S3Location("bucket", "runs/wine", null));
        assertThat(S3Location.parse("s3://bucket")).isEqualTo(new S3Location("bucket", "", null));
        assertThat(S3Location.parse("s3://bucket/runs/wine_3_0.00.gz"))
                .isEqualTo(new S3Location("bucket", "runs", "wine_3_0.00.gz"));
        assertThat(S3Location.parse("s3://bucket/wine_3.zst")).isEqualTo(new S3Location("bucket", "", "wine_3.zst"));
        assertThat(S3Location.parse("s3://bucket/runs/wine_3_0.00"))
                .isEqualTo(new S3Location("bucket", "runs/wine_3_0.00", null));
        // a trailing '/' names a prefix, even one named like a snapshot file, and reads back as one
        S3Location namedLikeAFile = S3Location.parse("s3://bucket/runs/exp.gz/");
        assertThat(namedLikeAFile).isEqualTo(new S3Location("bucket", "runs/exp.gz", null));
        assertThat(namedLikeAFile.toString()).isEqualTo("s3://bucket/runs/exp.gz/");
        assertThat(S3Location.parse(namedLikeAFile.toString())).isEqualTo(namedLikeAFile);
    }

    /** A prune, a listing or a snapshotter takes a prefix: one snapshot's name would stand for all beside it. */
    @Test
    void aStoreIsNeverOpenedFromOneSnapshotsName() {
        assertThatThrownBy(() -> io.veles.snapshot.SnapshotStores.open("s3://bucket/p/w_3.gz"))
                .isInstanceOf(io.veles.errors.SnapshotException.class)
                .hasMessage("s3://bucket/p/w_3.gz names a snapshot, not a prefix of them: give s3://bucket/p"
                        + " (a prefix named like a snapshot file ends in '/')");
    }

    @Test
    void keysAddressesAndTheTextForm() {
        S3Location snapshot = S3Location.parse("s3://bucket/runs/wine_3.gz");
        assertThat(snapshot.toString()).isEqualTo("s3://bucket/runs/wine_3.gz");
        assertThat(snapshot.prefixLocation().toString()).isEqualTo("s3://bucket/runs");
        assertThat(snapshot.keyOf("wine_current")).isEqualTo("runs/wine_current");
        assertThat(S3Location.parse("s3://bucket").keyOf("wine_1.gz")).isEqualTo("wine_1.gz");
        assertThat(S3Location.parse("s3://bucket").toString()).isEqualTo("s3://bucket");
        assertThat(S3Location.isS3("S3://bucket/x")).isTrue();
        assertThat(S3Location.isS3("/tmp/s3://x")).isFalse();
    }

    @Test
    void refusesWhatIsNoBucketOrPrefixInOneLine() {
        assertThatThrownBy(() -> S3Location.parse("s3://Bucket_1/x"))
                .hasMessage("'Bucket_1' is not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')");
        assertThatThrownBy(() -> S3Location.parse("s3:///x")).hasMessageContaining("is not an S3 bucket name");
        assertThatThrownBy(() -> S3Location.parse("s3://bucket/a//b"))
                .hasMessage("'s3://bucket/a//b': an S3 prefix has no empty segments");
        assertThatThrownBy(() -> S3Location.parse("http://bucket/x"))
                .hasMessage("'http://bucket/x' is not an s3://bucket/prefix location");
    }
}
