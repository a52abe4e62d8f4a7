package io.veles.internal.pickle;

import io.veles.errors.SnapshotException;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A value that cannot be captured, with the path of fields that leads to it, so that the user
 * learns which field to mark transient: "cannot capture ...; at unit 'sampler' → Sampler.rng".
 */
final class CaptureException extends SnapshotException {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final Deque<String> path = new ArrayDeque<>();

    CaptureException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    /** Adds the step that led here, outermost last. */
    CaptureException at(String step) {
        path.addFirst(step);
        return this;
    }

    @Override
    public String getMessage() {
        return path.isEmpty() ? reason : reason + "; at " + String.join(" → ", path);
    }
}
