package io.veles.internal.pickle;

import java.nio.ByteBuffer;

/**
 * A sink that lends its own memory to large numeric arrays, so that each is copied into it once
 * instead of through the serializer's buffer and then again into the sink. An asynchronous
 * snapshot's copy of the state is one: about a third of its pause was that second copy.
 */
public interface ArraySink {
    /**
     * The free part of the sink's current memory, at least one byte, little-endian, starting at
     * its position 0. Its bytes belong to the stream once {@link #commit} counts them; they are
     * put there by the fill handed to {@link #fill} right after.
     */
    ByteBuffer claim();

    /**
     * Adds the first {@code bytes} of the region {@link #claim} last returned to the stream, at
     * most its size. Nothing else may be written to the sink between the claim and this call.
     */
    void commit(int bytes);

    /**
     * Runs {@code fill}, which puts the bytes of the region last claimed and committed, now or
     * later on another thread. A fill reads only the array it copies and writes only its region.
     * A sink that defers fills must not read a committed region until its fills are done, and
     * says how its users wait for them.
     */
    default void fill(Runnable fill) {
        fill.run();
    }
}
