package io.edgerag.support.tls;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated server certificate is the one the TLS tests rely on: signed by the CA, valid for loopback. */
class TestCertificatesTest {

    @Test
    void serverCertificateIsSignedByTheCaAndNamesLocalhostAndTheLoopbackAddress() throws Exception {
        TestCertificates certs = TestCertificates.generate();
        X509Certificate ca = read(certs.caCertificate());
        X509Certificate server = read(certs.serverCert());

        server.verify(ca.getPublicKey());
        assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(server.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
                .contains("localhost", "127.0.0.1");
        assertThat(ca.getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
        assertThat(Files.readString(certs.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
