package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class S3OptionsTest {
    private static final int MIB = 1 << 20;

    @Test
    void partsDoubleEveryThousandUpToSixtyFourMibSoTenThousandPartsHoldAboutHalfATerabyte() {
        S3Options options = S3Options.standard();
        assertThat(options.partSize(1)).isEqualTo(8 * MIB);
        assertThat(options.partSize(1000)).isEqualTo(8 * MIB);
        assertThat(options.partSize(1001)).isEqualTo(16 * MIB);
        assertThat(options.partSize(2001)).isEqualTo(32 * MIB);
        assertThat(options.partSize(3001)).isEqualTo(64 * MIB);
        assertThat(options.partSize(10_000)).isEqualTo(64 * MIB);
        long capacity = 0;
        for (int part = 1; part <= 10_000; part++) {
            capacity += options.partSize(part);
        }
        assertThat(capacity).isGreaterThan(500L * 1000 * 1000 * 1000);
        assertThat(options.withTransfers(64 * MIB, 2, MIB, 1).partSize(5000)).isEqualTo(64 * MIB);
    }

    @Test
    void refusesPartsOutsideEightToSixtyFourMibAndEndpointsThatAreNoAddress() {
        assertThatThrownBy(() -> S3Options.standard().withTransfers(5 * MIB, 3, 8 * MIB, 3))
                .hasMessage("S3 part size 5242880 is outside 8-64 MiB");
        assertThatThrownBy(() -> S3Options.standard().withEndpoint("127.0.0.1:9000"))
                .hasMessage("S3 endpoint '127.0.0.1:9000' is not an http:// or https:// address");
        assertThat(S3Options.standard().withEndpoint(" ").endpoint()).isNull();
    }

    @Test
    void itsTextNeverShowsCredentials() {
        S3Options options = S3Options.standard()
                .withCredentials(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "very-secret")));
        assertThat(options.toString()).doesNotContain("AKIAEXAMPLE").doesNotContain("very-secret");
    }

    /** S3 takes 10,000 parts at most; with the parts growing as they do, that is about 492 GiB by default. */
    @Test
    void theLargestObjectTheDefaultPartsMake() {
        long mib = 1 << 20;
        assertThat(S3Options.standard().largestObject(ObjectUpload.MAX_PARTS))
                .isEqualTo((1000 * (8 + 16 + 32) + 7000 * 64) * mib);
    }
}
