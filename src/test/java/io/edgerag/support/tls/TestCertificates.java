package io.edgerag.support.tls;

import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.CertificateUtils;
import io.smallrye.certs.Format;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code localhost} and
 * {@code 127.0.0.1}, generated into a new directory under {@code target/certs/}: what an operator would get
 * from their own CA (or cert-manager), so the tests trust the CA, not the server certificate itself.
 *
 * @param caCertificate   the CA certificate (PEM): what clients trust
 * @param serverCert      the server certificate (PEM)
 * @param serverKey       its private key (PEM, PKCS#8, unencrypted, like a Kubernetes TLS Secret's tls.key)
 * @param serverKeyStore  the same key and certificate as a PKCS#12 key store, password {@link #PASSWORD}
 */
public record TestCertificates(Path caCertificate, Path serverCert, Path serverKey, Path serverKeyStore) {

    public static final String PASSWORD = "changeit";
    private static final Duration VALIDITY = Duration.ofDays(2);

    /** New certificates in a new directory. */
    public static TestCertificates generate() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/certs")), "tls-")
                    .toAbsolutePath();
            KeyPair caKeys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
            X509Certificate ca = caCertificate(caKeys);
            CertificateUtils.writeTruststoreToPem(List.of(ca), dir.resolve("ca.crt").toFile());
            new CertificateGenerator(dir, true).generate(new CertificateRequest().withName("server").withCN("localhost")
                    .withSubjectAlternativeName("DNS:localhost").withSubjectAlternativeName("IP:127.0.0.1")
                    .withFormats(List.of(Format.PEM, Format.PKCS12)).withPassword(PASSWORD)
                    .withDuration(VALIDITY).signedWith(ca, caKeys.getPrivate()));
            return in(dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate test certificates", e);
        }
    }

    /**
     * The certificates named {@code name} for this JVM, generated at the first call. A {@code @QuarkusTest}
     * class is loaded twice (JUnit's and Quarkus' class loader), so a static field alone would generate two CAs;
     * the directory is kept in a system property, which both see.
     */
    public static synchronized TestCertificates shared(String name) {
        String key = "test-certificates." + name;
        String dir = System.getProperty(key);
        if (dir != null) {
            return in(Path.of(dir));
        }
        TestCertificates certs = generate();
        System.setProperty(key, certs.caCertificate().getParent().toString());
        return certs;
    }

    private static TestCertificates in(Path dir) {
        return new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("server-keystore.p12"));
    }

    /** Self-signed, allowed to sign server certificates and nothing below them. */
    private static X509Certificate caCertificate(KeyPair keys) throws Exception {
        X500Name subject = new X500Name("CN=edgerag test CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    /** A client SSL context that trusts this CA and nothing else. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("edgerag-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build an SSL context trusting " + caCertificate, e);
        }
    }
}
