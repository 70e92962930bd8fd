package io.edgerag.security;

import io.edgerag.support.OllamaStandInResource;
import io.edgerag.support.tls.TestCertificates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The profile {@code https} of application.properties, as an operator enables it: the API answers over TLS with
 * a certificate from the operator's CA (generated here), and plain HTTP gets nowhere.
 */
@QuarkusTest
@TestProfile(HttpsApiTest.HttpsOnly.class)
@QuarkusTestResource(OllamaStandInResource.class)
class HttpsApiTest {

    static final TestCertificates CERTS = TestCertificates.shared("https-api");
    /** The plain HTTP port the app would open if insecure requests were enabled (one for both class loaders). */
    static final int PLAIN_PORT = Integer.parseInt((String) System.getProperties()
            .computeIfAbsent("test-https-api.plain-port", key -> Integer.toString(freePort())));

    public static class HttpsOnly implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,https";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "EDGERAG_TLS_CERT", CERTS.serverCert().toString(),
                    "EDGERAG_TLS_KEY", CERTS.serverKey().toString(),
                    "quarkus.http.test-port", Integer.toString(PLAIN_PORT));
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void should_ingest_and_search_over_https_for_a_client_that_trusts_the_ca() throws Exception {
        assertThat(https.getProtocol()).isEqualTo("https");
        HttpClient client = HttpClient.newBuilder().sslContext(CERTS.clientContext())
                .connectTimeout(Duration.ofSeconds(30)).build();

        HttpResponse<String> ingest = client.send(json("api/documents",
                "{\"id\":\"tls-doc\",\"text\":\"Penguins huddle together to survive the Antarctic winter.\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ingest.statusCode()).isEqualTo(201);

        HttpResponse<String> search = client.send(json("api/search", "{\"query\":\"how do penguins survive winter\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("\"docId\":\"tls-doc\"");
        assertThat(search.sslSession()).hasValueSatisfying(
                session -> assertThat(session.getProtocol()).startsWith("TLSv1."));
    }

    @Test
    void should_refuse_a_client_that_does_not_trust_the_ca() {
        HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        assertThatThrownBy(() -> defaultTrust.send(json("api/search", "{\"query\":\"anything\"}"),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void should_not_serve_plain_http_at_all() {
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), PLAIN_PORT).close())
                .isInstanceOf(ConnectException.class);
        // and plain HTTP to the TLS port gets no HTTP answer
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        URI plainToTlsPort = URI.create("http://" + https.getHost() + ":" + https.getPort() + "/api/search");
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(plainToTlsPort).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"anything\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    private HttpRequest json(String path, String body) {
        return HttpRequest.newBuilder(URI.create(https + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
