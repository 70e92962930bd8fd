package io.edgerag.generation;

import io.edgerag.admission.AdmissionConfig;
import io.edgerag.admission.Lane;
import io.edgerag.admission.Lanes;
import io.edgerag.admission.OverloadedException;
import io.edgerag.common.InvalidRequestException;
import io.edgerag.config.EdgeragConfig;
import io.edgerag.consistency.ConsistencyToken;
import io.edgerag.consistency.ConsistentReads;
import io.edgerag.consistency.ReadLevel;
import io.edgerag.retrieval.RetrievalQuery;
import io.edgerag.generation.canary.ModelRollout;
import io.edgerag.security.Caller;
import io.edgerag.retrieval.RetrievalService;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * admit (generation lane) → retrieve → fit the prompt → {@code sources} → generate (tokens) → {@code done}.
 * A chat the generation lane refuses gets, by {@code edgerag.admission.generation.on-overload}, an
 * extractive answer at once ({@code degraded}, reason "overloaded: …") or an {@link OverloadedException}
 * before any event (503). The slot is held until the stream ends or its client goes away.
 * Errors after validation become an {@code error} event.
 */
@ApplicationScoped
public class ChatService {

    public static final String OVERLOADED = "overloaded: ";
    static final String BUSY = "The appliance is too busy to answer now; please ask again in a few seconds.";

    private final RetrievalService retrieval;
    private final GenerationService generation;
    private final Lanes lanes;
    private final int defaultK;

    private final ConsistentReads reads;
    private final ModelRollout rollout;

    @jakarta.inject.Inject
    io.edgerag.security.InputLimits limits;

    public ChatService(RetrievalService retrieval, GenerationService generation, Lanes lanes, EdgeragConfig config,
                       ConsistentReads reads, ModelRollout rollout) {
        this.reads = reads;
        this.rollout = rollout;
        this.retrieval = retrieval;
        this.generation = generation;
        this.lanes = lanes;
        this.defaultK = config.generation().defaultK();
    }

    /**
     * {@code consistency}: local | fresh; {@code consistencyToken}: a write's token (README "Consistency levels");
     * {@code session}: a stable key of the conversation or user that keeps it on one model rollout arm.
     */
    public record Request(String question, Integer k, String collection, List<ChatTurn> history, String consistency,
                          String consistencyToken, String session) {
        public Request(String question, Integer k, String collection, List<ChatTurn> history) {
            this(question, k, collection, history, null, null, null);
        }

        public Request(String question, Integer k, String collection, List<ChatTurn> history, String consistency,
                       String consistencyToken) {
            this(question, k, collection, history, consistency, consistencyToken, null);
        }
    }

    /** What the generation lane said: a slot, or a refusal. */
    public sealed interface Admission {
        record Admitted(Lane.Permit permit) implements Admission {
        }

        record Refused(OverloadedException reason) implements Admission {
        }

        /** Gives the slot back, if there is one (idempotent). */
        default void release() {
            if (this instanceof Admitted a) {
                a.permit().release();
            }
        }
    }

    /** Asks the generation lane for a slot (waiting at most its queue timeout); never fails. */
    public Uni<Admission> admit() {
        return lanes.generation().acquire().<Admission>map(Admission.Admitted::new)
                .onFailure(OverloadedException.class)
                .recoverWithItem(e -> new Admission.Refused((OverloadedException) e));
    }

    /** True when a refused chat must get 503 rather than an extractive answer. */
    public boolean rejectsOnOverload() {
        return lanes.onOverload() == AdmissionConfig.OnOverload.reject;
    }

    /** Bad input throws {@link InvalidRequestException} here, before anything is admitted or streamed (a 400). */
    public void validate(Request request) {
        if (request == null || request.question() == null || request.question().isBlank()) {
            throw new InvalidRequestException("Question is empty");
        }
        limits.checkQuestion("Question", request.question());
        limits.checkHistory(request.history());
        generation.budget().checkQuestion(request.question());
    }

    /** {@link #validate(Request)}, and the collection it names must lie in the caller's scope (else 403). */
    public void validate(Request request, Caller caller) {
        validate(request);
        caller.requireNamedCollection(request.collection());
    }

    /** Gives back the slot of a chat whose client went away before it could start. */
    public void releaseForGoneClient(Admission admission) {
        if (admission instanceof Admission.Admitted) {
            lanes.generation().countCancelled();
        }
        admission.release();
    }

    /**
     * Answers a chat already admitted (or refused: then degraded, or with {@code on-overload=reject}
     * {@link OverloadedException} thrown here, after validation); the stream owns the slot from here.
     */
    public Multi<ChatEvent> chat(Request request, Caller caller, Admission admission) {
        return chat(request, caller, admission, Context.current());
    }

    /**
     * @param caller whose collection scope bounds the sources (local and cloud)
     * @param trace  the parent of the {@code generate} span (the request's span, captured on its thread)
     */
    public Multi<ChatEvent> chat(Request request, Caller caller, Admission admission, Context trace) {
        try {
            validate(request, caller);
        } catch (RuntimeException e) {
            admission.release();
            throw e;
        }
        if (admission instanceof Admission.Refused refused && rejectsOnOverload()) {
            throw refused.reason();
        }
        long start = System.nanoTime();
        if (admission instanceof Admission.Refused refused) {
            lanes.generation().countDegraded();
            return degradedByLoad(request, caller, refused.reason(), start);
        }
        return retrieve(request, caller)
                .onItem().transformToMulti(result -> {
                    PromptBudget.Prompt prompt = generation.budget().fit(request.question(), result.passages(),
                            request.history());
                    return Multi.createBy().concatenating().streams(
                            Multi.createFrom().<ChatEvent>item(new ChatEvent.Sources(prompt.passages())),
                            generation.generate(request.question(), prompt, start, result.tookMs(), trace,
                                    rollout.assign(stickyKey(request, caller))));
                })
                .onFailure().recoverWithItem(e -> new ChatEvent.Error(OllamaGate.describe(e)))
                .onTermination().invoke((failure, cancelled) -> {
                    if (cancelled) {
                        lanes.generation().countCancelled();
                    }
                    admission.release();
                });
    }

    /**
     * What keeps a user on one arm: the session the client names, else an authenticated caller's name;
     * nothing in open mode without a session (then the stable model answers).
     */
    static String stickyKey(Request request, Caller caller) {
        if (request.session() != null && !request.session().isBlank()) {
            return request.session();
        }
        return caller.via() == Caller.Via.OPEN ? null : caller.name();
    }

    /** Retrieval at the request's read level ({@code local} | {@code fresh}, with a read-your-writes token). */
    private Uni<io.edgerag.retrieval.RetrievalResult> retrieve(Request request, Caller caller) {
        ReadLevel level = ReadLevel.parse(request.consistency());
        ConsistencyToken token = ConsistencyToken.parse(request.consistencyToken());
        return reads.retrieve(new RetrievalQuery(request.question(), request.k(), request.collection(), null)
                        .scopedTo(caller).forChat(), defaultK, level, token).map(ConsistentReads.Result::retrieval);
    }

    /** The extractive answer for a chat the GPU could not take, through its own lane (bounded CPU). */
    private Multi<ChatEvent> degradedByLoad(Request request, Caller caller, OverloadedException why, long start) {
        String reason = OVERLOADED + why.getMessage();
        return lanes.extractive().run(() -> retrieve(request, caller))
                .onItem().transformToMulti(result -> Multi.createBy().concatenating().streams(
                        Multi.createFrom().<ChatEvent>item(new ChatEvent.Sources(result.passages())),
                        generation.degraded(request.question(), result.passages(), reason, start, result.tookMs())))
                .onFailure(OverloadedException.class).recoverWithMulti(e -> {
                    long total = (System.nanoTime() - start) / 1_000_000;
                    return Multi.createFrom().items(new ChatEvent.Sources(List.of()), new ChatEvent.Token(BUSY),
                            new ChatEvent.Done(true, reason, "none", 0, 0, 0, total, total));
                })
                .onFailure().recoverWithItem(e -> new ChatEvent.Error(OllamaGate.describe(e)));
    }

    public String modelName() {
        return generation.modelName();
    }
}
