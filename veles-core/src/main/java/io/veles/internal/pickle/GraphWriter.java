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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a main workflow's state as a payload: a reference to the workflow (unit 0), then each
 * unit's fields in unit order. Units met in fields get the next number and are written in turn,
 * so the writer loops over units instead of recursing along their links.
 *
 * <p>The manifest ahead of the payload needs the exact payload size, each unit's share and the
 * classes met: {@link #measure} runs the serializer to learn them, keeping the payload it
 * produces (all but large numeric arrays, which are encoded from the live arrays when written),
 * and {@link #write} then copies it out. A state whose kept bytes would pass
 * {@link #RECORD_LIMIT} is not kept: {@link #write} serializes it again and checks that it came
 * out as measured.
 */
public final class GraphWriter {
    static final int BUFFER_SIZE = 1 << 16;

    /**
     * Most bytes of payload (large arrays aside) that the measuring pass keeps for the write; the
     * system property {@code veles.snapshot.recordLimitMb} changes it (0: always two passes).
     */
    static final long RECORD_LIMIT = Long.getLong("veles.snapshot.recordLimitMb", 64) << 20;

    /**
     * What the measuring pass learned: the manifest's share of the payload, and the payload itself
     * when it was kept.
     */
    public static final class Layout {
        private final long payloadBytes;
        private final List<UnitSummary> units;
        private final List<ClassDescription> classes;
        private final Map<String, Boolean> arrayElementsFinal;
        private final Map<String, Map<String, String>> genericFields;
        private final RecordedPayload recorded;

        Layout(
                long payloadBytes,
                List<UnitSummary> units,
                List<ClassDescription> classes,
                Map<String, Boolean> arrayElementsFinal,
                Map<String, Map<String, String>> genericFields,
                RecordedPayload recorded) {
            this.payloadBytes = payloadBytes;
            this.units = units;
            this.classes = classes;
            this.arrayElementsFinal = arrayElementsFinal;
            this.genericFields = genericFields;
            this.recorded = recorded;
        }

        /**
         * The written classes' fields whose declared types have type arguments, with those types:
         * for the manifest's {@code genericFields}. Empty when there are none.
         */
        public Map<String, Map<String, String>> genericFields() {
            return genericFields;
        }

        public long payloadBytes() {
            return payloadBytes;
        }

        public List<UnitSummary> units() {
            return units;
        }

        public List<ClassDescription> classes() {
            return classes;
        }

        /**
         * The element classes of the object arrays written (the code's own, not the JDK's), each
         * with whether it was final, which decided whether each element was written with its
         * class: for the manifest's {@code arrayElementsFinal}. Empty when no such array was written.
         */
        public Map<String, Boolean> arrayElementsFinal() {
            return arrayElementsFinal;
        }
    }

    /** The objects a unit is expected to hold, to size the table of written objects up front. */
    private static final int OBJECTS_PER_UNIT = 8;

    private GraphWriter() {}

    /** Runs the serializer over {@code root}, keeping the payload but its large arrays (up to {@link #RECORD_LIMIT}). */
    public static Layout measure(Workflow root) {
        return measure(root, RECORD_LIMIT);
    }

    /** As {@link #measure(Workflow)}, keeping at most {@code recordLimit} bytes. */
    static Layout measure(Workflow root, long recordLimit) {
        RecordingOutput output = new RecordingOutput(recordLimit);
        try {
            Layout layout = writeGraph(root, output);
            return new Layout(
                    layout.payloadBytes,
                    layout.units,
                    layout.classes,
                    layout.arrayElementsFinal,
                    layout.genericFields,
                    output.finish());
        } catch (IOException e) {
            throw new UncheckedIOException("a measuring pass does no I/O", e);
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
        write(root, new SnapshotOutput(sink, BUFFER_SIZE, shuffle), expected);
    }

    /**
     * As {@link #write(Workflow, OutputStream, Layout, boolean)} with the shuffle filter, but
     * large numeric arrays are written as they are and noted in {@code deferred}, whose
     * {@link DeferredShuffle#applyTo} shuffles them later.
     */
    public static void write(Workflow root, OutputStream sink, Layout expected, DeferredShuffle deferred)
            throws IOException {
        write(root, new SnapshotOutput(sink, BUFFER_SIZE, true, deferred), expected);
    }

    private static void write(Workflow root, SnapshotOutput output, Layout expected) throws IOException {
        if (expected.recorded != null) {
            try {
                expected.recorded.writeTo(output);
                output.flush();
            } catch (KryoException e) {
                throw sinkFailure(e);
            }
            if (output.written() != expected.payloadBytes()) {
                throw new IllegalStateException(
                        "recorded payload wrote " + output.written() + " bytes, measured " + expected.payloadBytes());
            }
            return;
        }
        Layout actual = writeGraph(root, output);
        try {
            output.flush();
        } catch (KryoException e) {
            throw sinkFailure(e);
        }
        if (actual.payloadBytes() != expected.payloadBytes()
                || !actual.arrayElementsFinal().equals(expected.arrayElementsFinal())) {
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

    /** The sink's IOException that Kryo wrapped, or the KryoException itself. */
    private static IOException sinkFailure(KryoException e) {
        if (e.getCause() instanceof IOException) {
            return (IOException) e.getCause();
        }
        throw e;
    }

    private static Layout writeGraph(Workflow root, SnapshotOutput output) throws IOException {
        if (root.workflow() != null) {
            throw new IllegalArgumentException(root.name() + " is not a main workflow");
        }
        PickleContext context = new PickleContext();
        // The rules a restore of this workflow applies: what they would refuse is refused now.
        SnapshotKryo session = new SnapshotKryo(context, root.restoreRules(), true);
        List<UnitSummary> summaries = new ArrayList<>();
        // Each unit holds at least six objects of its own (its name, links and gates).
        int unitCount = root.allUnits().size() + 1;
        ((SnapshotKryo.UnitsByNumber) session.kryo.getReferenceResolver()).expectWritten(OBJECTS_PER_UNIT * unitCount);
        context.units().expect(unitCount);
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
        } catch (RuntimeException e) {
            // Kryo's own failures, and whatever a getState hook or a field's class throws (a
            // NullPointerException, a ConcurrentModificationException from a list another thread
            // changes): all one SnapshotException naming the unit, which a run can survive.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException) {
                    throw (IOException) cause; // Kryo wraps the sink's failures; they are I/O, not capture
                }
            }
            throw SnapshotKryo.unwrap(e, "cannot capture unit '" + unit.name() + "'");
        }
        // what a restore would refuse to hash is refused now: a snapshot that saves restores
        WrittenHashWork hashWork = ((SnapshotKryo.UnitsByNumber) session.kryo.getReferenceResolver()).hashWork();
        if (hashWork != null) { // null only while a test forges a snapshot
            hashWork.check(output.written());
        }
        return new Layout(
                output.written(),
                List.copyOf(summaries),
                context.classesMet(),
                Collections.unmodifiableMap(
                        new TreeMap<>(context.arrayElements().written())), // sorted: a stable manifest
                Collections.unmodifiableMap(context.genericFieldsMet()),
                null);
    }
}
