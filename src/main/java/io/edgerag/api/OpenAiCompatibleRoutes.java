package io.edgerag.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgerag.admission.OverloadedException;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.generation.ChatEvent;
import io.edgerag.generation.ChatService;
import io.edgerag.security.Caller;
import io.edgerag.security.CollectionForbiddenException;
import io.edgerag.generation.ChatTurn;
import io.edgerag.retrieval.Passage;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible: retrieval runs on the last user message,
 * {@code stream: true} gives {@code chat.completion.chunk} SSE ending with {@code data: [DONE]},
 * {@code stream: false} one {@code chat.completion}. Sources travel in {@code edgerag_sources} and the
 * degraded flag in {@code edgerag_degraded}, fields OpenAI clients ignore.
 *
 * <p>A plain Vert.x route rather than a JAX-RS resource because the response media type depends on a
 * field of the body.
 */
@ApplicationScoped
public class OpenAiCompatibleRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatService chat;
    private final long bodyLimit;

    public OpenAiCompatibleRoutes(ChatService chat,
                                  @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
                                  MemorySize bodyLimit) {
        this.chat = chat;
        this.bodyLimit = bodyLimit.asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/v1/chat/completions").handler(BodyHandler.create().setBodyLimit(bodyLimit))
                .handler(this::completions);
    }

    void completions(RoutingContext ctx) {
        ChatService.Request request;
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString());
            if (body == null || !body.isObject()) {
                throw new InvalidRequestException("Request body must be a JSON object with 'messages'");
            }
            request = toRequest(body);
            chat.validate(request, Caller.of(ctx));
        } catch (JsonProcessingException e) {
            problem(ctx, 400, "Malformed JSON: " + e.getOriginalMessage());
            return;
        } catch (InvalidRequestException e) {
            problem(ctx, 400, e.getMessage());
            return;
        } catch (CollectionForbiddenException e) {
            problem(ctx, 403, e.getMessage());
            return;
        }
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        String model = body.path("model").asText(chat.modelName());
        boolean streaming = body.path("stream").asBoolean(false);
        io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
        // the admission is never cancelled (a slot on its way could be lost): a client gone meanwhile gives it back
        chat.admit().subscribe().with(admission -> {
            if (ctx.response().closed()) {
                chat.releaseForGoneClient(admission);
                return;
            }
            if (admission instanceof ChatService.Admission.Refused refused && chat.rejectsOnOverload()) {
                overloaded(ctx, refused.reason());
                return;
            }
            Multi<ChatEvent> events = chat.chat(request, Caller.of(ctx), admission, trace);
            if (streaming) {
                stream(ctx, events, id, created, model);
            } else {
                complete(ctx, events, id, created, model);
            }
        });
    }

    private void stream(RoutingContext ctx, Multi<ChatEvent> events, String id, long created, String model) {
        events.subscribe().withSubscriber(new ChunkWriter(ctx, id, created, model));
    }

    /**
     * Writes {@code chat.completion.chunk}s one at a time: the next event is requested only when the
     * last write has gone out, so a slow reader slows the whole chain down to Ollama instead of filling
     * the server's memory. A client that disconnects cancels the chain (and so the Ollama request).
     * A refusal before the first chunk is still a 503 problem.
     */
    private static final class ChunkWriter implements MultiSubscriber<ChatEvent> {
        private final RoutingContext ctx;
        private final HttpServerResponse response;
        private final String id;
        private final long created;
        private final String model;
        private volatile Flow.Subscription subscription;
        private boolean started;

        ChunkWriter(RoutingContext ctx, String id, long created, String model) {
            this.ctx = ctx;
            this.response = ctx.response();
            this.id = id;
            this.created = created;
            this.model = model;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            response.closeHandler(v -> s.cancel());
            s.request(1);
        }

        @Override
        public void onItem(ChatEvent event) {
            if (response.ended() || response.closed()) {
                subscription.cancel();
                return;
            }
            start();
            ObjectNode chunk = chunkFor(event, id, created, model);
            response.write("data: " + chunk + "\n\n").onComplete(ar -> {
                if (ar.succeeded()) {
                    subscription.request(1);
                } else {
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onFailure(Throwable failure) {
            if (!started && failure instanceof OverloadedException overloaded && !response.closed()) {
                overloaded(ctx, overloaded);
                return;
            }
            start();
            endStream(response);
        }

        @Override
        public void onCompletion() {
            start();
            endStream(response);
        }

        private void start() {
            if (!started && !response.closed() && !response.headWritten()) {
                started = true;
                response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                        .putHeader("Cache-Control", "no-cache");
            }
        }
    }

    private static void endStream(HttpServerResponse response) {
        if (!response.ended() && !response.closed()) {
            response.end("data: [DONE]\n\n");
        }
    }

    static ObjectNode chunkFor(ChatEvent event, String id, long created, String model) {
        ObjectNode chunk = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (event instanceof ChatEvent.Sources s) {
            delta.put("role", "assistant").put("content", "");
            choice.putNull("finish_reason");
            chunk.set("edgerag_sources", JSON.valueToTree(s.passages()));
        } else if (event instanceof ChatEvent.Token t) {
            delta.put("content", t.text());
            choice.putNull("finish_reason");
        } else if (event instanceof ChatEvent.Done d) {
            choice.put("finish_reason", "stop");
            chunk.put("edgerag_degraded", d.degraded());
            chunk.set("usage", usage(d));
        } else if (event instanceof ChatEvent.Error e) {
            choice.put("finish_reason", "stop");
            chunk.put("edgerag_error", e.message());
        }
        return chunk;
    }

    private void complete(RoutingContext ctx, Multi<ChatEvent> events, String id, long created, String model) {
        Cancellable subscription = events.collect().asList().subscribe().with(list -> {
            StringBuilder content = new StringBuilder();
            List<Passage> sources = List.of();
            ChatEvent.Done done = null;
            String error = null;
            for (ChatEvent event : list) {
                if (event instanceof ChatEvent.Sources s) {
                    sources = s.passages();
                } else if (event instanceof ChatEvent.Token t) {
                    content.append(t.text());
                } else if (event instanceof ChatEvent.Done d) {
                    done = d;
                } else if (event instanceof ChatEvent.Error e) {
                    error = e.message();
                }
            }
            ObjectNode body = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                    .put("created", created).put("model", model);
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", content.toString());
            if (done != null) {
                body.set("usage", usage(done));
                body.put("edgerag_degraded", done.degraded());
            }
            if (error != null) {
                body.put("edgerag_error", error);
            }
            body.set("edgerag_sources", JSON.valueToTree(sources));
            if (!ctx.response().closed()) {
                ctx.response().putHeader("Content-Type", "application/json").end(body.toString());
            }
        }, failure -> {
            if (failure instanceof OverloadedException overloaded) {
                overloaded(ctx, overloaded);
            } else {
                problem(ctx, 500, "Unexpected error; the server log has the details");
            }
        });
        ctx.response().closeHandler(v -> subscription.cancel());
    }

    private static ObjectNode usage(ChatEvent.Done d) {
        return JSON.createObjectNode().put("prompt_tokens", d.promptTokens())
                .put("completion_tokens", d.completionTokens())
                .put("total_tokens", d.promptTokens() + d.completionTokens());
    }

    static ChatService.Request toRequest(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequestException("'messages' must be a non-empty array");
        }
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                lastUser = i;
            }
        }
        if (lastUser < 0) {
            throw new InvalidRequestException("'messages' has no user message to answer");
        }
        List<ChatTurn> history = new ArrayList<>();
        for (int i = 0; i < lastUser; i++) {
            String role = messages.get(i).path("role").asText();
            String content = text(messages.get(i).get("content"));
            // an assistant turn may carry only tool calls: nothing the model can be reminded of
            if ((role.equals("user") || role.equals("assistant")) && io.edgerag.common.VisibleText.hasAny(content)) {
                history.add(new ChatTurn(role, content));
            }
        }
        Integer k = body.hasNonNull("edgerag_k") ? body.get("edgerag_k").asInt() : null;
        String collection = body.hasNonNull("edgerag_collection") ? body.get("edgerag_collection").asText() : null;
        // OpenAI's own 'user' field: "a unique identifier representing your end-user" — what keeps them on one arm
        String user = body.hasNonNull("user") ? body.get("user").asText() : null;
        return new ChatService.Request(text(messages.get(lastUser).get("content")), k, collection, history, null, null,
                user);
    }

    /** Message content is a string or an array of parts ({@code {"type":"text","text":...}}). */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : (ArrayNode) content) {
                if ("text".equals(part.path("type").asText())) {
                    sb.append(part.path("text").asText());
                }
            }
            return sb.toString();
        }
        return content.asText();
    }

    private static void overloaded(RoutingContext ctx, OverloadedException e) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        Response r = Problem.overloaded(e, ctx.request().path());
        ctx.response().setStatusCode(503).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Retry-After", r.getHeaderString("Retry-After")).end(String.valueOf(r.getEntity()));
    }

    private static void problem(RoutingContext ctx, int status, String detail) {
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            default -> "Internal Server Error";
        };
        Problem p = Problem.of(status, title, detail,
                ctx.request().path());
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE).end(p.toJson());
    }
}
