package io.edgerag.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgerag.generation.ChatEvent;

import java.util.Map;

/**
 * How chat events travel as named SSE events: {@code sources} (JSON array of passages),
 * {@code token} ({@code {"text": ...}} — JSON so leading spaces and newlines survive SSE framing),
 * {@code done} (JSON) and {@code error} ({@code {"message": ...}}).
 */
public final class SseEvents {

    public record Named(String name, String data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private SseEvents() {
    }

    public static Named map(ChatEvent event) {
        if (event instanceof ChatEvent.Sources s) {
            return new Named("sources", json(s.passages()));
        }
        if (event instanceof ChatEvent.Token t) {
            return new Named("token", json(Map.of("text", t.text())));
        }
        if (event instanceof ChatEvent.Done d) {
            return new Named("done", json(d));
        }
        ChatEvent.Error e = (ChatEvent.Error) event;
        return new Named("error", json(Map.of("message", String.valueOf(e.message()))));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
