package io.edgerag.consistency;

import io.edgerag.sync.ChangeTopics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.store.local.Version;
import io.edgerag.sync.KafkaOutlet;
import io.edgerag.sync.NodeIdentity;
import io.edgerag.sync.SyncConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Who the other edges are and what they applied, for {@code all}-level writes (hybrid mode only).
 *
 * <p>Every edge publishes to {@code edgerag.acks} (one partition, deleted after an hour): a heartbeat
 * every {@code heartbeat-interval}, and after each durable apply of other nodes' changes one record that
 * lists the (document, version) pairs of the batch. Every edge reads the topic from its end in a consumer
 * group of its own. A peer heard from within {@code peer-expiry} is "currently known". An {@code all}
 * write waits until each known peer acknowledged the document at its version or a later one.
 *
 * <p>Acknowledgements are kept per peer for the most recent {@value #RECENT_PER_PEER} documents, so an
 * acknowledgement that overtakes the writer's registration still counts.
 */
@ApplicationScoped
public class PeerAcks {

    private static final Logger LOG = Logger.getLogger(PeerAcks.class);
    static final int RECENT_PER_PEER = 10_000;

    /** One record of the acks topic; {@code applied} is empty in a heartbeat. */
    public record Ack(String node, long at, List<Applied> applied) {
    }

    public record Applied(String docId, String hlc, String versionNode) {
        Version version() {
            return new Version(Long.parseLong(hlc), versionNode);
        }
    }

    private record Waiter(String docId, Version version, Set<String> pending, CompletableFuture<Void> done) {
    }

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final KafkaOutlet outlet = new KafkaOutlet();
    private final SyncConfig sync;
    private final ConsistencyConfig config;
    private final String self;
    private final Duration peerExpiry;
    private final ChangeTopics topics;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Version>> recent = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private volatile boolean topicReady;
    private ScheduledExecutorService heartbeats;

    @jakarta.inject.Inject
    public PeerAcks(SyncConfig sync, ConsistencyConfig config, NodeIdentity node, ChangeTopics topics) {
        this.sync = sync;
        this.config = config;
        this.self = node.id();
        this.peerExpiry = config.peerExpiry();
        this.topics = topics;
    }

    /** Bookkeeping only (no Kafka): for tests of the waiting rules. */
    PeerAcks(String self, Duration peerExpiry) {
        this.sync = null;
        this.config = null;
        this.self = self;
        this.peerExpiry = peerExpiry;
        this.topics = null;
    }

    void start(@Observes StartupEvent event) {
        if (!sync.enabled()) {
            return;
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgerag-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleWithFixedDelay(this::heartbeat, 0, config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }

    @Outgoing("acks-out")
    Multi<Message<String>> outgoing() {
        return outlet.stream();
    }

    private void heartbeat() {
        try {
            ensureTopic();
            send(List.of()).await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat not sent: %s", e.getMessage());
        }
    }

    /** After a durable apply of other nodes' changes here: tells the writers (fire and forget; a lost ack times out). */
    public void appliedHere(List<Applied> applied) {
        if (sync == null || !sync.enabled() || applied.isEmpty()) {
            return;
        }
        send(applied).subscribe().with(ok -> { }, failure -> LOG.debugf("ack not sent: %s", failure.getMessage()));
    }

    private Uni<Void> send(List<Applied> applied) {
        String payload;
        try {
            payload = json.writeValueAsString(new Ack(self, System.currentTimeMillis(), applied));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return outlet.send(KafkaRecord.of(self, payload));
    }

    @Incoming("acks-in")
    public void receive(String payload) {
        Ack ack;
        try {
            ack = json.readValue(payload, Ack.class);
        } catch (Exception e) {
            LOG.debugf("unreadable ack skipped: %s", e.getMessage());
            return;
        }
        received(ack);
    }

    /** Records a peer's heartbeat or acknowledgements and completes the waits it satisfies. */
    synchronized void received(Ack ack) {
        if (ack.node() == null || ack.node().equals(self)) {
            return;
        }
        lastSeen.merge(ack.node(), ack.at(), Math::max);
        if (ack.applied() == null || ack.applied().isEmpty()) {
            return;
        }
        LinkedHashMap<String, Version> mine = recent.computeIfAbsent(ack.node(), k -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Version> eldest) {
                return size() > RECENT_PER_PEER;
            }
        });
        for (Applied a : ack.applied()) {
            Version v;
            try {
                v = a.version();
            } catch (RuntimeException e) {
                continue;
            }
            mine.merge(a.docId(), v, (x, y) -> x.compareTo(y) >= 0 ? x : y);
            for (Waiter w : waiters) {
                if (w.docId().equals(a.docId()) && v.compareTo(w.version()) >= 0) {
                    w.pending().remove(ack.node());
                }
            }
        }
        List<Waiter> satisfied = waiters.stream().filter(w -> w.pending().isEmpty()).toList();
        waiters.removeAll(satisfied);
        satisfied.forEach(w -> w.done().complete(null)); // after the removal: completion runs the writer's continuation
    }

    /** Peers heard from within {@code peer-expiry}, with when (epoch ms). */
    public synchronized Map<String, Long> knownPeers() {
        long since = System.currentTimeMillis() - peerExpiry.toMillis();
        Map<String, Long> known = new TreeMap<>();
        lastSeen.forEach((peer, at) -> {
            if (at >= since) {
                known.put(peer, at);
            }
        });
        return known;
    }

    /**
     * Waits (without blocking a thread) until every peer known now acknowledged {@code docId} at
     * {@code version} or later, or {@code timeout}.
     *
     * @return the targets (known peers) and those still pending, sorted
     */
    public Uni<Targets> awaitAll(String docId, Version version, Duration timeout) {
        Waiter w;
        Set<String> targets;
        synchronized (this) {
            targets = new TreeSet<>(knownPeers().keySet());
            Set<String> pending = new TreeSet<>(targets);
            pending.removeIf(peer -> {
                Version acked = recent.getOrDefault(peer, new LinkedHashMap<>()).get(docId);
                return acked != null && acked.compareTo(version) >= 0;
            });
            if (pending.isEmpty()) {
                return Uni.createFrom().item(new Targets(targets, Set.of()));
            }
            w = new Waiter(docId, version, pending, new CompletableFuture<>());
            waiters.add(w);
        }
        return Uni.createFrom().completionStage(w.done())
                .ifNoItem().after(timeout).recoverWithItem(() -> null)
                .map(ignored -> {
                    synchronized (this) {
                        waiters.remove(w);
                        return new Targets(targets, Set.copyOf(new TreeSet<>(w.pending())));
                    }
                });
    }

    public record Targets(Set<String> targets, Set<String> pending) {
    }

    /**
     * What one peer told this node about a document.
     *
     * @param known        heard from within {@code peer-expiry} (what an {@code all} write would wait for)
     * @param lastSeen     its last heartbeat or acknowledgement (epoch ms)
     * @param acknowledged the latest version of the document it acknowledged, null when none was heard
     */
    public record PeerView(String node, boolean known, long lastSeen, Version acknowledged) {
    }

    /**
     * Every peer heard from since this process started, with what it acknowledged of {@code docId}: the
     * bookkeeping {@code all} writes wait on, read for the erasure report. Acknowledgements heard before a
     * restart of this node, or pushed out of a peer's {@value #RECENT_PER_PEER} most recent documents, are not known.
     */
    public synchronized List<PeerView> views(String docId) {
        Set<String> known = knownPeers().keySet();
        List<PeerView> views = new ArrayList<>();
        new TreeMap<>(lastSeen).forEach((peer, at) -> {
            LinkedHashMap<String, Version> acked = recent.get(peer);
            views.add(new PeerView(peer, known.contains(peer), at, acked == null ? null : acked.get(docId)));
        });
        return views;
    }

    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        NewTopic acks = new NewTopic(config.acksTopic(), 1, sync.topic().replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "3600000"));
        topics.createMissing(List.of(acks));
        topicReady = true;
    }
}
