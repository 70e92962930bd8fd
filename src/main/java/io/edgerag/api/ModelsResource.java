package io.edgerag.api;

import io.edgerag.generation.ChatService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /v1/models}: the one model the appliance answers with (retrieval + the configured Ollama model). */
@Path("/v1/models")
public class ModelsResource {

    public record Model(String id, String object, long created, String owned_by) {
    }

    public record ModelList(String object, List<Model> data) {
    }

    private final ChatService chat;

    public ModelsResource(ChatService chat) {
        this.chat = chat;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ModelList models() {
        return new ModelList("list", List.of(new Model(chat.modelName(), "model", 0, "edgerag")));
    }
}
