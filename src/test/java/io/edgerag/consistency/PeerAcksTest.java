package io.edgerag.consistency;

import io.edgerag.store.local.Version;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The waiting rules of {@code all}-level writes, without Kafka (records handed in as the consumer would). */
class PeerAcksTest {

    private static final Version V = new Version(1000L << 16, "a");
    private final PeerAcks acks = new PeerAcks("a", Duration.ofMinutes(5));

    private static PeerAcks.Ack heartbeat(String node) {
        return new PeerAcks.Ack(node, System.currentTimeMillis(), List.of());
    }

    private static PeerAcks.Ack applied(String node, String docId, Version v) {
        return new PeerAcks.Ack(node, System.currentTimeMillis(),
                List.of(new PeerAcks.Applied(docId, Long.toString(v.hlc()), v.nodeId())));
    }

    @Test
    void should_be_met_at_once_with_no_known_peers() {
        PeerAcks.Targets t = acks.awaitAll("doc", V, Duration.ofMillis(50)).await().indefinitely();

        assertThat(t.targets()).isEmpty();
        assertThat(t.pending()).isEmpty();
    }

    @Test
    void should_ignore_its_own_heartbeats_and_forget_silent_peers() {
        PeerAcks shortMemory = new PeerAcks("a", Duration.ofSeconds(10));
        shortMemory.received(heartbeat("a"));
        shortMemory.received(new PeerAcks.Ack("old", System.currentTimeMillis() - 60_000, List.of()));
        shortMemory.received(heartbeat("b"));

        assertThat(shortMemory.knownPeers()).containsOnlyKeys("b");
    }

    @Test
    void should_complete_when_every_known_peer_acknowledged_that_version_or_a_later_one() {
        acks.received(heartbeat("b"));
        acks.received(heartbeat("c"));
        var wait = acks.awaitAll("doc", V, Duration.ofSeconds(30)).subscribeAsCompletionStage();

        acks.received(applied("b", "doc", V));
        acks.received(applied("c", "doc", new Version(V.hlc() - 1, "z"))); // older: not enough
        assertThat(wait).isNotDone();
        acks.received(applied("c", "other", V)); // another document: not enough
        assertThat(wait).isNotDone();
        acks.received(applied("c", "doc", new Version(V.hlc() + 5, "c"))); // later: supersedes it

        assertThat(wait.join().targets()).containsExactly("b", "c");
        assertThat(wait.join().pending()).isEmpty();
    }

    @Test
    void should_count_acknowledgements_that_arrived_before_the_wait() {
        acks.received(heartbeat("b"));
        acks.received(applied("b", "doc", V));

        assertThat(acks.awaitAll("doc", V, Duration.ofMillis(50)).await().indefinitely().pending()).isEmpty();
    }

    @Test
    void should_report_the_peers_still_pending_when_the_timeout_passes() {
        acks.received(heartbeat("b"));
        acks.received(heartbeat("c"));
        acks.received(applied("c", "doc", V));

        PeerAcks.Targets t = acks.awaitAll("doc", V, Duration.ofMillis(100)).await().indefinitely();

        assertThat(t.targets()).isEqualTo(Set.of("b", "c"));
        assertThat(t.pending()).containsExactly("b");
    }
}
