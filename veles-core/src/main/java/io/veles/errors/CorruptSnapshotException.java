package io.veles.errors;

/**
 * A snapshot's bytes are truncated or damaged: its checksums, lengths, trailer, signature or
 * compressed stream do not check out, or its payload contradicts its manifest. Another snapshot
 * (an earlier one) may still be good.
 */
public class CorruptSnapshotException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    public CorruptSnapshotException(String message) {
        super(message);
    }

    public CorruptSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public CorruptSnapshotException reworded(String message) {
        return new CorruptSnapshotException(message, this);
    }
}
