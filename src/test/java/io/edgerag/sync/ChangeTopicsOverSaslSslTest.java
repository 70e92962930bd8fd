package io.edgerag.sync;

import io.edgerag.support.kafka.KafkaBrokerProcess;
import io.edgerag.support.kafka.SaslSslListener;
import io.edgerag.support.tls.TestCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin path of sync ({@link ChangeTopics#createMissing}) against a real broker whose only client listener is
 * SASL_SSL (SCRAM-SHA-512, certificate from a generated CA): it works with the settings an operator gives as
 * {@code kafka.*}, and a wrong password or a client that does not trust the CA gets a clear refusal.
 */
@Timeout(300)
class ChangeTopicsOverSaslSslTest {

    private static final String USER = "edge-a";
    private static final String PASSWORD = "edge-a-secret";

    private static KafkaBrokerProcess broker;
    private static SaslSslListener listener;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        listener = new SaslSslListener(TestCertificates.generate(), USER, PASSWORD);
        broker = KafkaBrokerProcess.inNewDataDir(1).secured(listener).start();
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void should_create_missing_topics_over_sasl_ssl_with_the_right_credentials() throws Exception {
        ChangeTopics.createMissing(kafka(listener.clientConfig(USER, PASSWORD)),
                List.of(new NewTopic("secured.changes", 1, (short) 1)));

        try (Admin admin = Admin.create(broker.clientConfig())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("secured.changes");
        }
    }

    @Test
    void should_refuse_a_wrong_password() {
        assertThatThrownBy(() -> ChangeTopics.createMissing(kafka(listener.clientConfig(USER, "not-the-password")),
                List.of(new NewTopic("never.created", 1, (short) 1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Authentication failed");
    }

    @Test
    void should_refuse_a_client_that_does_not_trust_the_brokers_ca() {
        Map<String, Object> jdkTrustOnly = new HashMap<>(listener.clientConfig(USER, PASSWORD));
        jdkTrustOnly.remove("ssl.truststore.type");
        jdkTrustOnly.remove("ssl.truststore.location");
        assertThatThrownBy(() -> ChangeTopics.createMissing(kafka(jdkTrustOnly),
                List.of(new NewTopic("never.created", 1, (short) 1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SSL handshake failed");
    }

    /** As the application hands them over: every kafka.* setting, including ones an admin client does not know. */
    private static Map<String, Object> kafka(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put("group.id", "edgerag");
        return config;
    }
}
