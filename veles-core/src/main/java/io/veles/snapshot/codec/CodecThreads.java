package io.veles.snapshot.codec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The pools that compress and decompress blocks beside the reading or writing thread. */
final class CodecThreads {
    private CodecThreads() {}

    /**
     * {@code threads} daemon threads named {@code name}, which end after a second without work:
     * a stream dropped without close() (a snapshot refused while it opens) leaves none behind.
     */
    static ExecutorService pool(int threads, String name) {
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
