package io.edgerag.security;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenModeTest {

    /** No keys, no JWT: the configuration of the embedded default. */
    private static final AccessConfig NO_KEYS = new AccessConfig() {
        @Override
        public Map<String, ApiKey> apiKeys() {
            return Map.of();
        }

        @Override
        public boolean openMetrics() {
            return false;
        }

        @Override
        public Jwt jwt() {
            return new Jwt() {
                @Override
                public boolean enabled() {
                    return false;
                }

                @Override
                public String collectionsClaim() {
                    return "collections";
                }
            };
        }
    };

    private static ApiKeyAuth auth(String host) {
        return new ApiKeyAuth(NO_KEYS, new JwtCallers(null, NO_KEYS), host);
    }

    @Test
    void should_refuse_to_start_open_on_a_non_loopback_address() {
        assertThatThrownBy(() -> auth("0.0.0.0").checkAtStartup(null))
                .hasMessageContaining("no API keys are configured");
    }

    @Test
    void should_start_open_on_loopback() {
        assertThatCode(() -> auth("127.0.0.1").checkAtStartup(null)).doesNotThrowAnyException();
        assertThat(auth("127.0.0.1").isOpen()).isTrue();
    }

    @Test
    void should_map_calls_to_roles() {
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.GET, "/q/health/ready")).isNull();
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.GET, "/status")).isNull();
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.POST, "/api/search")).isEqualTo(AccessConfig.Role.reader);
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.POST, "/v1/chat/completions")).isEqualTo(AccessConfig.Role.reader);
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.GET, "/api/documents/x")).isEqualTo(AccessConfig.Role.reader);
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.DELETE, "/api/documents/x")).isEqualTo(AccessConfig.Role.writer);
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.POST, "/api/admin/cloud/reconcile")).isEqualTo(AccessConfig.Role.admin);
        assertThat(ApiKeyAuth.requiredRole(HttpMethod.GET, "/q/metrics")).isEqualTo(AccessConfig.Role.admin);
    }
}
