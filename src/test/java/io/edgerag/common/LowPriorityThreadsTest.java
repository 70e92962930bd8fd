package io.edgerag.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel's view of the threads: {@code /proc/self/task/<tid>/stat}, field 19 is the nice value. */
@EnabledOnOs(OS.LINUX)
class LowPriorityThreadsTest {

    @Test
    void should_run_bulk_work_at_the_lowest_cpu_priority_and_leave_other_threads_alone() throws Exception {
        ExecutorService bulk = Executors.newSingleThreadExecutor(new LowPriorityThreads("test-bulk", LowPriorityThreads.BULK));
        ExecutorService chat = Executors.newSingleThreadExecutor(new LowPriorityThreads("test-chat", LowPriorityThreads.YIELDING));
        try {
            assertThat(bulk.submit(LowPriorityThreadsTest::niceOfCurrentThread).get(30, TimeUnit.SECONDS)).isEqualTo(19);
            assertThat(chat.submit(LowPriorityThreadsTest::niceOfCurrentThread).get(30, TimeUnit.SECONDS)).isEqualTo(10);
        } finally {
            bulk.shutdownNow();
            chat.shutdownNow();
        }
        assertThat(niceOfCurrentThread()).as("the caller's own thread is untouched").isLessThan(10);
    }

    @Test
    void should_name_the_kernel_thread_it_runs_on() throws Exception {
        String[] comm = new String[1];
        Thread probe = new Thread(() -> {
            try {
                int tid = LowPriorityThreads.currentThreadId().orElseThrow();
                comm[0] = Files.readString(Path.of("/proc/self/task/" + tid + "/comm")).trim();
            } catch (IOException e) {
                comm[0] = e.toString();
            }
        }, "tid-probe");
        probe.start();
        probe.join(30_000);
        assertThat(comm[0]).as("the kernel thread with that id carries this Java thread's name").isEqualTo("tid-probe");
    }

    private static int niceOfCurrentThread() throws IOException {
        int tid = LowPriorityThreads.currentThreadId().orElseThrow();
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // fields after the ")" that closes the command name: state is field 3, nice is field 19
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
