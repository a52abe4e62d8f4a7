package io.veles.internal.pickle;

import com.esotericsoftware.kryo.KryoException;
import io.veles.errors.SnapshotException;
import io.veles.snapshot.format.ClassDescription;
import io.veles.snapshot.format.UnitSummary;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a main workflow's state as a payload: a reference to the workflow (unit 0), then each
 * unit's fields in unit order. Units met in fields get the next number and are written in turn,
 * so the writer loops over units instead of recursing along their links.
 *
 * <p>A snapshot is written in two passes: {@link #measure} runs the serializer without writing to
 * learn the exact payload size, each unit's share and the classes met, which go into the
 * manifest ahead of the payload; {@link #write} then streams the payload and checks that it came
 * out as measured.
 */
public final class GraphWriter {
    static final int BUFFER_SIZE = 1 << 16;

    /** What the measuring pass learned: the manifest's share of the payload. */
    public record Layout(long payloadBytes, List<UnitSummary> units, List<ClassDescription> classes) {}

    private GraphWriter() {}

    /** Runs the serializer over {@code root} without writing; nothing is copied. */
    public static Layout measure(Workflow root) {
        try {
            return writeGraph(root, new SizingOutput());
        } catch (IOException e) {
            throw new UncheckedIOException("a sizing pass does no I/O", e);
        }
    }

    /**
     * Streams the payload of {@code root} to {@code sink}; it must match {@code expected}. A
     * failure of the sink (a full disk) comes out as the IOException it is.
     */
    public static void write(Workflow root, OutputStream sink, Layout expected) throws IOException {
        write(root, sink, expected, false);
    }

    /** As {@link #write(Workflow, OutputStream, Layout)}; {@code shuffle} filters large numeric arrays. */
    public static void write(Workflow root, OutputStream sink, Layout expected, boolean shuffle) throws IOException {
        SnapshotOutput output = new SnapshotOutput(sink, BUFFER_SIZE, shuffle);
        Layout actual = writeGraph(root, output);
        try {
            output.flush();
        } catch (KryoException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw e;
        }
        if (actual.payloadBytes() != expected.payloadBytes()) {
            String unit = "";
            for (int i = 0; i < Math.min(actual.units().size(), expected.units().size()); i++) {
                if (actual.units().get(i).bytes() != expected.units().get(i).bytes()) {
                    unit = " (first in unit '" + actual.units().get(i).name() + "')";
                    break;
                }
            }
            throw new SnapshotException("workflow state changed while the snapshot was being written" + unit
                    + ": a getState() override must return the same state when called twice");
        }
    }

    private static Layout writeGraph(Workflow root, SnapshotOutput output) throws IOException {
        if (root.workflow() != null) {
            throw new IllegalArgumentException(root.name() + " is not a main workflow");
        }
        PickleContext context = new PickleContext();
        // The rules a restore of this workflow applies: what they would refuse is refused now.
        SnapshotKryo session = new SnapshotKryo(context, root.restoreRules(), true);
        List<UnitSummary> summaries = new ArrayList<>();
        Unit unit = root;
        try {
            session.kryo.writeClassAndObject(output, root);
            UnitTable units = context.units();
            for (int i = 0; i < units.size(); i++) {
                unit = units.get(i);
                context.enterUnit(unit.name());
                long start = output.written();
                session.fields.writeFields(session.kryo, output, unit);
                summaries.add(new UnitSummary(i, unit.name(), unit.getClass().getName(), output.written() - start));
            }
        } catch (CaptureException e) {
            throw e.at("unit '" + unit.name() + "'");
        } catch (KryoException | IllegalStateException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException) {
                    throw (IOException) cause; // Kryo wraps the sink's failures; they are I/O, not capture
                }
            }
            throw SnapshotKryo.unwrap(e, "cannot capture unit '" + unit.name() + "'");
        }
        return new Layout(output.written(), List.copyOf(summaries), context.classesMet());
    }
}
