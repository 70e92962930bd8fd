package io.edgerag.common;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for CPU work that must give way to searches: bulk work — embedding passages for ingest, sync and
 * connectors — at the lowest CPU priority (Linux nice 19), chat retrievals a little below normal (nice 10). A bounded pool of them bounds how many cores bulk work may hold; the niceness makes
 * the scheduler hand a core to a search the moment one wants it, instead of sharing it half and half with an
 * ingest (issue 10: search p99 during a storm within 2x idle, bench/load.sh). Java's own thread priorities
 * do nothing on Linux without JVM flags, hence {@code setpriority(2)} on the thread's id, through JNA (already
 * on the class path for the tokenizer). Where that cannot be done (not Linux, no JNA) it is said once and the
 * threads run at normal priority.
 */
public final class LowPriorityThreads implements ThreadFactory {

    private static final Logger LOG = Logger.getLogger(LowPriorityThreads.class);
    /** Bulk work: the lowest priority there is, it runs on what nothing else wants. */
    public static final int BULK = 19;
    /** Interactive work that may wait a little for a search (a chat turn's retrieval: generation takes seconds anyway). */
    public static final int YIELDING = 10;
    private static final int PRIO_PROCESS = 0;
    private static volatile boolean warned;

    private final String name;
    private final int nice;
    private final AtomicInteger count = new AtomicInteger();

    /** @param nice {@link #BULK} or {@link #YIELDING} */
    public LowPriorityThreads(String name, int nice) {
        this.name = name;
        this.nice = nice;
    }

    @Override
    public Thread newThread(Runnable work) {
        Thread t = new Thread(() -> {
            lowerCurrentThread(nice);
            work.run();
        }, name + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** Lowers the calling thread's CPU priority to {@code nice}; false (said once) where it cannot. */
    public static boolean lowerCurrentThread(int nice) {
        try {
            OptionalInt tid = currentThreadId();
            if (tid.isPresent() && LibC.INSTANCE.setpriority(PRIO_PROCESS, tid.getAsInt(), nice) == 0) {
                return true;
            }
            warnOnce("setpriority failed with errno " + Native.getLastError());
        } catch (RuntimeException | LinkageError e) {
            warnOnce(e.toString());
        }
        return false;
    }

    /** The kernel's id of the calling thread (Linux: {@code /proc/thread-self} → {@code <pid>/task/<tid>}). */
    public static OptionalInt currentThreadId() {
        try {
            return OptionalInt.of(Integer.parseInt(
                    Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warnf("Bulk work (passage embedding) runs at normal CPU priority here (%s): searches share the cores with ingests and chats", why);
        }
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int setpriority(int which, int who, int prio);
    }
}
