package io.edgerag.ingest.connector;

/** The counts of the run under way, passed on to the connector's live progress as they move. */
final class RunCounts {

    private final ConnectorProgress progress;
    private int seen;
    private int upserts;
    private int deletes;
    private int unchanged;
    private int failures;

    RunCounts(ConnectorProgress progress) {
        this.progress = progress;
    }

    void seen() {
        seen++;
    }

    /** Runs an upsert and counts what it came to; @return false when the document was rejected (counted, not thrown) */
    boolean upsert(String path, UpsertCall call) {
        try {
            if (call.run() == DocumentSink.Outcome.UPSERTED) {
                upserts++;
                progress.upserted();
            } else {
                unchanged++;
                progress.unchanged();
            }
            return true;
        } catch (DocumentRejectedException e) {
            failures++;
            progress.failed(path, e);
            return false;
        }
    }

    void deleted(boolean existed) {
        if (existed) {
            deletes++;
            progress.deleted();
        }
    }

    RunReport report(String connector, int seenOverride, String commit) {
        return new RunReport(connector, seenOverride < 0 ? seen : seenOverride, upserts, deletes, unchanged, failures,
                commit);
    }

    String summary() {
        return upserts + " upserts, " + deletes + " deletes, " + unchanged + " unchanged, " + failures + " failed";
    }

    @FunctionalInterface
    interface UpsertCall {
        DocumentSink.Outcome run();
    }
}
