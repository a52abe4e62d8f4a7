package io.veles.snapshot.store.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.time.Duration;

/** Builds the SDK's synchronous S3 client from {@link S3Options} and the SDK's standard chains. */
final class S3Clients {
    /** S3-compatible stores ignore the region, but the SDK signs with one. */
    static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3Clients() {}

    static S3Client build(S3Options options) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(region(options))
                .forcePathStyle(options.pathStyle());
        if (options.endpoint() != null) {
            builder.endpointOverride(options.endpoint());
        }
        if (options.credentials() != null) {
            builder.credentialsProvider(options.credentials());
        }
        return builder.build();
    }

    /**
     * The SDK's default region chain; for an S3-compatible store (an endpoint is set), the same
     * chain without asking instance metadata, which off EC2 only costs seconds of timeouts for a
     * region the store ignores.
     */
    private static Region region(S3Options options) {
        AwsRegionProviderChain chain = hasEndpoint(options)
                ? new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                : new DefaultAwsRegionProviderChain();
        try {
            return chain.getRegion();
        } catch (SdkClientException e) {
            return FALLBACK_REGION;
        }
    }

    private static boolean hasEndpoint(S3Options options) {
        return options.endpoint() != null
                || System.getenv("AWS_ENDPOINT_URL_S3") != null
                || System.getenv("AWS_ENDPOINT_URL") != null;
    }
}
