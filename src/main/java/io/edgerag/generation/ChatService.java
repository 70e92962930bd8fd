package io.edgerag.generation;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.consistency.ConsistencyToken;
import io.edgerag.consistency.ConsistentReads;
import io.edgerag.consistency.ReadLevel;
import io.edgerag.retrieval.RetrievalQuery;
import io.edgerag.retrieval.RetrievalService;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** retrieve → {@code sources} → generate (tokens) → {@code done}. Errors after validation become an {@code error} event. */
@ApplicationScoped
public class ChatService {

    private final RetrievalService retrieval;
    private final GenerationService generation;
    private final int defaultK;

    private final ConsistentReads reads;

    public ChatService(RetrievalService retrieval, GenerationService generation, EdgeragConfig config, ConsistentReads reads) {
        this.reads = reads;
        this.retrieval = retrieval;
        this.generation = generation;
        this.defaultK = config.generation().defaultK();
    }

    /** {@code consistency}: local | fresh; {@code consistencyToken}: a write's token (README "Consistency levels"). */
    public record Request(String question, Integer k, String collection, List<ChatTurn> history, String consistency,
                          String consistencyToken) {
        public Request(String question, Integer k, String collection, List<ChatTurn> history) {
            this(question, k, collection, history, null, null);
        }
    }

    /** Validates synchronously (bad input throws before the stream starts, so it can be a 400). */
    public Multi<ChatEvent> chat(Request request) {
        if (request == null || request.question() == null || request.question().isBlank()) {
            throw new InvalidRequestException("Question is empty");
        }
        long start = System.nanoTime();
        Context trace = Context.current();
        ReadLevel level = ReadLevel.parse(request.consistency());
        ConsistencyToken token = ConsistencyToken.parse(request.consistencyToken());
        return reads.retrieve(new RetrievalQuery(request.question(), request.k(), request.collection(), null),
                        defaultK, level, token).map(ConsistentReads.Result::retrieval)
                .onItem().transformToMulti(result -> Multi.createBy().concatenating().streams(
                        Multi.createFrom().<ChatEvent>item(new ChatEvent.Sources(result.passages())),
                        generation.generate(request.question(), result.passages(), request.history(), start,
                                result.tookMs(), trace)))
                .onFailure().recoverWithItem(e -> new ChatEvent.Error(OllamaGate.describe(e)));
    }

    public String modelName() {
        return generation.modelName();
    }
}
