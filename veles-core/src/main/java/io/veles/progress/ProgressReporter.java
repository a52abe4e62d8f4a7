package io.veles.progress;

/**
 * Shows how far a long piece of work on bytes has got: writing or reading a large snapshot,
 * converting one, downloading one. See {@link Progress} for the reporter the engine uses.
 */
@FunctionalInterface
public interface ProgressReporter {
    /** Shows nothing. */
    ProgressReporter NONE = (what, totalBytes) -> Task.NONE;

    /** Starts reporting on {@code what}, which will handle {@code totalBytes} bytes (negative: unknown). */
    Task start(String what, long totalBytes);

    /** One piece of work in progress; closing it ends the report. */
    interface Task extends AutoCloseable {
        Task NONE = new Task() {
            @Override
            public void advanceTo(long bytesDone) {}

            @Override
            public void close() {}
        };

        /** {@code bytesDone} bytes of the work are done; called from one thread, often. */
        void advanceTo(long bytesDone);

        @Override
        void close();
    }
}
