package io.edgerag.store.cloud.pinecone;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS to the cloud is the rule; plaintext only to this machine, or with the explicit override. */
class CloudTransportTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5081", "127.0.0.1:5081", "localhost:5081", "LOCALHOST",
            "http://[::1]:5081", "127.5.6.7", "https://localhost/"})
    void should_allow_plaintext_to_a_loopback_stand_in(String host) {
        assertThat(CloudTransport.isLoopback(host)).isTrue();
        assertThatCode(() -> CloudTransport.requireTlsOffLoopback(host, false, false)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-index-abc123.svc.aped-1234.pinecone.io", "http://10.0.0.8:5081", "192.168.1.20",
            "localhost.attacker.example", "127.0.0.1.nip.io:5081", "http://[2001:db8::1]:443", "0.0.0.0:5081"})
    void should_refuse_plaintext_to_any_other_host_with_a_message_naming_the_override(String host) {
        assertThat(CloudTransport.isLoopback(host)).isFalse();
        assertThatThrownBy(() -> CloudTransport.requireTlsOffLoopback(host, false, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(host)
                .hasMessageContaining("edgerag.cloud.pinecone.allow-remote-plaintext=true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-index-abc123.svc.aped-1234.pinecone.io", "http://10.0.0.8:5081"})
    void should_accept_tls_anywhere_and_plaintext_when_explicitly_overridden(String host) {
        assertThatCode(() -> CloudTransport.requireTlsOffLoopback(host, true, false)).doesNotThrowAnyException();
        assertThatCode(() -> CloudTransport.requireTlsOffLoopback(host, false, true)).doesNotThrowAnyException();
    }
}
