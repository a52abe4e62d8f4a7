package io.veles.internal.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Pools of daemon threads for work beside the reading or writing thread: compressing and
 * decompressing blocks, reading a file ahead.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /**
     * {@code threads} daemon threads named {@code name}, which end after a second without work:
     * a stream dropped without close() (a snapshot refused while it opens) leaves none behind.
     */
    public static ExecutorService pool(int threads, String name) {
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, name);
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
