package io.edgerag.support.s3;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;

/**
 * Starts an {@link S3ProxyProcess} for a {@code @QuarkusTest}, makes the bucket {@value #BUCKET} and points
 * {@code edgerag.backup.s3.*} at it, as an operator would.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "edge-backups";
    public static final String PREFIX = "site-a/edge-1";

    private S3ProxyProcess s3;

    @Override
    public Map<String, String> start() {
        try {
            s3 = S3ProxyProcess.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start S3Proxy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting S3Proxy", e);
        }
        try (S3Client client = client(s3)) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        return Map.of(
                "edgerag.backup.s3.endpoint", s3.endpoint().toString(),
                "edgerag.backup.s3.bucket", BUCKET,
                "edgerag.backup.s3.prefix", PREFIX,
                "edgerag.backup.s3.access-key-id", S3ProxyProcess.ACCESS_KEY,
                "edgerag.backup.s3.secret-access-key", S3ProxyProcess.SECRET_KEY);
    }

    /** A client of the test's own, to look at (and damage) what the appliance stored. */
    public static S3Client client(S3ProxyProcess s3) {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(s3.endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY)))
                .build();
    }

    @Override
    public void stop() {
        if (s3 != null) {
            try {
                s3.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
