package io.edgerag.api;

import io.edgerag.generation.ChatService;
import io.edgerag.security.Caller;
import io.smallrye.mutiny.Multi;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

@Path("/api/chat")
public class ChatResource {

    private final ChatService chat;

    public ChatResource(ChatService chat) {
        this.chat = chat;
    }

    /**
     * SSE: {@code sources}, then {@code token}s as Ollama produces them, then {@code done} (or {@code error}).
     * Admission happened before ({@link ChatAdmissionFilter}): an SSE response commits to 200 with its first
     * byte, so a 503 must be decided before the stream exists.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> chat(ChatService.Request request, @Context Sse sse, RoutingContext routing) {
        return chat.chat(request, Caller.of(routing), ChatAdmissionFilter.admission(routing)).map(SseEvents::map)
                .map(e -> sse.newEventBuilder().name(e.name()).data(e.data()).build());
    }
}
