package io.veles.testing;

import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.workflow.Workflow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Snapshots to and from memory, for tests. */
public final class RoundTrip {
    private RoundTrip() {}

    public static byte[] write(Workflow workflow, Codec codec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Manifest manifest = Manifest.builder().name("test").build();
            SnapshotWriter.write(workflow, manifest, codec, -1, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] write(Workflow workflow) {
        return write(workflow, Codec.NONE);
    }

    public static <W extends Workflow> W restore(byte[] snapshot, Class<W> type) {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "test snapshot")) {
            return Snapshots.restore(reader, type, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <W extends Workflow> W copy(W workflow) {
        return (W) restore(write(workflow), workflow.getClass());
    }
}
