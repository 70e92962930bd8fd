package io.edgerag.ingest.connector;

/**
 * The port every source adapter implements: bring the local store in line with the source, and say how
 * far it got. {@link ConnectorRunner} calls it on a thread of its own, one run at a time.
 */
public interface SourceConnector extends AutoCloseable {

    ConnectorSettings settings();

    ConnectorProgress progress();

    /**
     * One run: apply what changed since the last run that finished (everything on the first), then
     * remember how far it got, durably. Blocking. A run that throws has remembered nothing new, so the
     * next run redoes its range; redone writes of unchanged text cost no embedding ({@link DocumentSink}).
     */
    RunReport sync() throws Exception;

    /** Starts telling {@code changed} when the source changed between polls; sources without such news do nothing. */
    default void watch(Runnable changed) {
    }

    @Override
    default void close() {
    }
}
