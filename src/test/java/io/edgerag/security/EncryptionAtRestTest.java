package io.edgerag.security;

import io.edgerag.config.EdgeragConfig;
import io.edgerag.support.OllamaStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The appliance with {@code edgerag.store.encryption.key-file} set, as an operator would configure it: a passage
 * ingested over the API is found and returned by search and by the document's change payload, while the SQLite
 * files on disk never hold its plaintext.
 */
@QuarkusTest
@TestProfile(EncryptionAtRestTest.WithKey.class)
@QuarkusTestResource(OllamaStandInResource.class)
class EncryptionAtRestTest {

    private static final String PASSAGE = "Vault seven opens with the combination that the night shift keeps";

    public static class WithKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgerag.store.encryption.key-file", keyFile());
        }
    }

    @Inject
    EdgeragConfig config;

    @Test
    void should_search_encrypted_passages_while_the_sqlite_files_hold_no_plaintext() throws IOException {
        given().contentType(ContentType.JSON).body(Map.of("id", "vault", "text", PASSAGE))
                .post("/api/documents").then().statusCode(201);

        String results = given().contentType(ContentType.JSON).body(Map.of("query", "vault combination night shift"))
                .post("/api/search").then().statusCode(200).extract().asString();
        assertThat(results).contains(PASSAGE);
        String keyword = given().contentType(ContentType.JSON)
                .body(Map.of("query", "combination", "mode", "keyword"))
                .post("/api/search").then().statusCode(200).extract().asString();
        assertThat(keyword).contains("\"docId\":\"vault\"");

        Path store = Path.of(config.dataDir()).resolve("store");
        List<Path> sqlite;
        try (var files = Files.list(store)) {
            sqlite = files.filter(f -> f.getFileName().toString().startsWith("store.db")).toList();
        }
        assertThat(sqlite).isNotEmpty();
        for (Path file : sqlite) {
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as(file.toString()).doesNotContain("night shift").doesNotContain("Vault seven");
        }
    }

    /** One key file for both class loaders of this test (Quarkus loads the class twice). */
    static String keyFile() {
        return (String) System.getProperties().computeIfAbsent("test-encryption-at-rest.key-file", name -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                Path dir = Files.createDirectories(Path.of("target/test-keys"));
                return Files.writeString(Files.createTempFile(dir, "store-", ".key"),
                        Base64.getEncoder().encodeToString(key)).toAbsolutePath().toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
