package io.edgerag.ingest.connector;

import java.time.Instant;

/**
 * One connector as {@code GET /api/connectors} and the status page show it. Counts are since start-up.
 *
 * @param state          {@code idle}, {@code running}, {@code failed} (the last run stopped on an error; the
 *                       next one retries) or {@code disabled}
 * @param source         the folder or repository URI
 * @param lastCommit     the commit the store reflects ({@code git})
 * @param seen           files the last run looked at
 * @param lastError      the last document that failed or the last run that stopped, with why
 */
public record ConnectorStatus(String name, ConnectorType type, String state, String source, String branch,
                              String collection, Instant lastRunStarted, Instant lastRunFinished, String lastCommit,
                              int seen, long runs, long upserts, long deletes, long unchanged, long failures,
                              String lastError, Instant lastErrorAt) {
}
