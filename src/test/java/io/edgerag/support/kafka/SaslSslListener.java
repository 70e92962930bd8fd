package io.edgerag.support.kafka;

import io.edgerag.support.tls.TestCertificates;

import java.util.List;
import java.util.Map;

/**
 * A broker's client listener with TLS and SCRAM-SHA-512 authentication (SASL_SSL), as a production cluster
 * would have: the broker presents a certificate from {@code certs}' CA and knows two users, the broker
 * itself (for its own inter-broker connections) and one client user.
 */
public record SaslSslListener(TestCertificates certs, String user, String password) {

    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String BROKER_USER = "broker";
    private static final String BROKER_PASSWORD = "broker-secret";

    /** Server properties that override the template's PLAINTEXT listener (later keys win in a properties file). */
    String serverProperties(int brokerPort, int controllerPort) {
        return String.join("\n",
                "",
                "# ---- SASL_SSL client listener (KafkaBrokerProcess.secured) ----",
                "listeners=SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_SSL://127.0.0.1:" + brokerPort,
                "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=SASL_SSL",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + jaas(BROKER_USER, BROKER_PASSWORD),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + certs.serverKeyStore(),
                "ssl.keystore.password=" + TestCertificates.PASSWORD,
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + certs.caCertificate(),
                "");
    }

    /** {@code kafka-storage format} arguments that store both users' SCRAM credentials in the cluster metadata. */
    List<String> formatArguments() {
        return List.of("--add-scram", MECHANISM + "=[name=" + BROKER_USER + ",password=" + BROKER_PASSWORD + "]",
                "--add-scram", MECHANISM + "=[name=" + user + ",password=" + password + "]");
    }

    /** Client settings (Kafka names) for this listener, as {@code user} with {@code password}. */
    public Map<String, Object> clientConfig(String user, String password) {
        return Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaas(user, password),
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", certs.caCertificate().toString());
    }

    public Map<String, Object> clientConfig() {
        return clientConfig(user, password);
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
