package io.edgerag.ingest.connector;

import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one connector on a thread of its own, one run at a time: at start, every poll interval, shortly
 * after the source says it changed, and on demand ({@code POST /api/admin/connectors/{name}/sync}).
 */
final class ConnectorRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConnectorRunner.class);

    /** Lets a burst of file events (an editor's save, a copied tree) settle into one run. */
    private static final long SETTLE_MILLIS = 300;

    private final SourceConnector connector;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean runQueued = new AtomicBoolean();

    ConnectorRunner(SourceConnector connector) {
        this.connector = connector;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgerag-connector-" + connector.settings().name());
            t.setDaemon(true);
            return t;
        });
    }

    SourceConnector connector() {
        return connector;
    }

    void start() {
        long every = connector.settings().pollInterval().toMillis();
        thread.scheduleWithFixedDelay(this::scheduledRun, 0, every, TimeUnit.MILLISECONDS);
        connector.watch(this::runSoon);
    }

    /** A run after the settle time, unless one is queued already (a run under way does not count: it may have missed this change). */
    void runSoon() {
        if (runQueued.compareAndSet(false, true)) {
            thread.schedule(() -> {
                runQueued.set(false);
                scheduledRun();
            }, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** A run after the one under way, if any; completes with its report or what stopped it. */
    CompletableFuture<RunReport> runNow() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, thread);
    }

    private void scheduledRun() {
        try {
            run();
        } catch (Exception e) {
            LOG.warnf("connector %s: run failed, retried in %s or at the next change: %s", connector.settings().name(),
                    connector.settings().pollInterval(), e.getMessage());
        }
    }

    private RunReport run() throws Exception {
        ConnectorProgress progress = connector.progress();
        progress.started();
        try {
            RunReport report = connector.sync();
            progress.finished(report);
            return report;
        } catch (Exception e) {
            progress.stopped(e);
            throw e;
        }
    }

    @Override
    public void close() {
        connector.close();
        thread.shutdownNow();
    }
}
