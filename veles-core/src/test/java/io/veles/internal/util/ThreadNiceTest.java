package io.veles.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A thread that lowers its priority lowers its own alone, by the steps asked and never below the
 * lowest, and the threads it starts afterwards inherit it. Each case runs on a thread of its own:
 * a lowered thread cannot go back, and the test runner's must not be touched.
 */
class ThreadNiceTest {
    private int start;

    @BeforeEach
    void onLinux() {
        assumeTrue(Platform.isLinux(), "per-thread nice values are Linux's");
        assertThat(ThreadNice.available()).as("libc's setpriority on Linux").isTrue();
        start = ThreadNice.callingThreadNice().orElseThrow();
        assumeTrue(start <= ThreadNice.LOWEST - 8, "this test's JVM already runs at nice " + start);
    }

    @Test
    void readsTheNiceFieldPastANameWithSpacesAndParentheses() {
        String stat = "4321 (a (b) c) S 4300 4321 4300 0 -1 4194560 10 0 0 0 3 1 0 0 30 10 1 0 28557 3133440"
                + " 379 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        assertThat(ThreadNice.niceOf(stat)).isEqualTo(10);
        assertThat(ThreadNice.niceOf(stat.replace(" 30 10 ", " 19 -1 "))).isEqualTo(-1);
    }

    @Test
    void lowersTheCallingThreadAloneByTheStepsAsked() throws Exception {
        int lowered = onNewThread(() -> {
            assertThat(ThreadNice.lowerCallingThreadBy(3)).isTrue();
            return ThreadNice.callingThreadNice().orElseThrow();
        });
        assertThat(lowered).isEqualTo(start + 3);
        assertThat(ThreadNice.callingThreadNice().orElseThrow())
                .as("the thread that started it")
                .isEqualTo(start);
        assertThat(onNewThread(() -> ThreadNice.callingThreadNice().orElseThrow()))
                .as("a thread started by an unlowered one")
                .isEqualTo(start);
    }

    @Test
    void stepsAddUpToTheLowestPriorityAndNoFurther() throws Exception {
        int[] seen = onNewThread(() -> {
            ThreadNice.lowerCallingThreadBy(4);
            int once = ThreadNice.callingThreadNice().orElseThrow();
            ThreadNice.lowerCallingThreadBy(4);
            int twice = ThreadNice.callingThreadNice().orElseThrow();
            ThreadNice.lowerCallingThreadBy(50);
            int lowest = ThreadNice.callingThreadNice().orElseThrow();
            boolean again = ThreadNice.lowerCallingThreadBy(1);
            return new int[] {once, twice, lowest, again ? 1 : 0};
        });
        assertThat(seen).containsExactly(start + 4, start + 8, ThreadNice.LOWEST, 0);
    }

    @Test
    void zeroStepsLeaveThePriorityAlone() throws Exception {
        assertThat(onNewThread(() -> {
                    assertThat(ThreadNice.lowerCallingThreadBy(0)).isFalse();
                    return ThreadNice.callingThreadNice().orElseThrow();
                }))
                .isEqualTo(start);
    }

    @Test
    void threadsStartedAfterwardsInheritIt() throws Exception {
        int child = onNewThread(() -> {
            ThreadNice.lowerCallingThreadBy(6);
            return onNewThread(() -> ThreadNice.callingThreadNice().orElseThrow());
        });
        assertThat(child).isEqualTo(start + 6);
    }

    private static <T> T onNewThread(Callable<T> task)
            throws InterruptedException, ExecutionException, TimeoutException {
        FutureTask<T> future = new FutureTask<>(task);
        new Thread(future, "nice-test").start();
        return future.get(30, TimeUnit.SECONDS);
    }
}
