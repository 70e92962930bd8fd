package io.edgerag.api;

import io.edgerag.generation.ChatService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Admission for {@code POST /api/chat}, before the resource runs: waiting for a slot must not block a
 * thread, and an SSE resource commits its response to 200 before its stream starts, so a 503 (with
 * {@code on-overload=reject}) must be known when the resource method is called; it then throws
 * (after validating the body, so bad input is still a 400).
 * The slot is tied to the HTTP exchange too: whatever happens after (a 400, a client gone while it waited
 * or streamed), the end of the exchange gives it back.
 */
public class ChatAdmissionFilter {

    private static final String KEY = "edgerag.chat.admission";

    private final ChatService chat;

    public ChatAdmissionFilter(ChatService chat) {
        this.chat = chat;
    }

    static ChatService.Admission admission(RoutingContext routing) {
        return routing.get(KEY);
    }

    @ServerRequestFilter
    public Uni<Void> admit(SimpleResourceInfo resource, RoutingContext routing) {
        if (resource.getResourceClass() != ChatResource.class) {
            return Uni.createFrom().nullItem();
        }
        AtomicReference<ChatService.Admission> admitted = new AtomicReference<>();
        AtomicBoolean ended = new AtomicBoolean();
        routing.addEndHandler(v -> {
            ended.set(true);
            ChatService.Admission a = admitted.get();
            if (a != null) {
                a.release();
            }
        });
        // never cancelled: a client gone while waiting keeps its place until a slot or the deadline comes,
        // and the slot is given back at once (cancelling could lose a slot already on its way)
        return Uni.createFrom().emitter(emitter -> chat.admit().subscribe().with(admission -> {
            admitted.set(admission);
            if (ended.get()) {
                chat.releaseForGoneClient(admission);
            }
            routing.put(KEY, admission);
            emitter.complete(null);
        }));
    }
}
