package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.pickle.State;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The payload kept by the measuring pass is written byte for byte as a second pass would write
 * it; a state too large to keep is written by a second pass, which still checks it came out as
 * measured.
 */
class GraphWriterTest {
    static final class Mixed extends Unit {
        int count = 7;
        double rate = 0.25;
        String label = "mixed";
        float[] tiny = {1f, 2f, 3f};
        float[] weights = new float[50_001]; // above the shuffle filter's threshold
        double[] justUnder = new double[511]; // 4088 bytes: just under it
        long[] justAt = new long[512]; // 4096 bytes: at it
        byte[] bytes = new byte[10_000]; // single-byte elements: never shuffled
        List<Object> values = new ArrayList<>();
        Map<String, Object> cache = new LinkedHashMap<>(16, 0.75f, true);
        Mixed neighbour;

        Mixed(Workflow workflow, String name, long seed) {
            super(workflow, name);
            Random random = new Random(seed);
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < justUnder.length; i++) {
                justUnder[i] = random.nextDouble();
                justAt[i] = random.nextLong();
            }
            justAt[511] = random.nextLong();
            random.nextBytes(bytes);
            values.add(tiny);
            values.add(weights); // shared: written once, then as a reference
            values.add("text");
            cache.put("a", 1);
            cache.put("b", List.of(2, 3));
        }

        @Override
        public void run() {}
    }

    static final class MixedWorkflow extends Workflow {
        MixedWorkflow() {
            super("mixed");
            Mixed first = new Mixed(this, "first", 1);
            Mixed second = new Mixed(this, "second", 2);
            first.neighbour = second;
            second.neighbour = first;
            second.linkFrom(first);
        }
    }

    private static byte[] payload(Workflow root, GraphWriter.Layout layout, boolean shuffle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GraphWriter.write(root, bytes, layout, shuffle);
        assertThat((long) bytes.size()).isEqualTo(layout.payloadBytes());
        return bytes.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theKeptPayloadIsWhatASecondPassWrites(boolean shuffle) throws IOException {
        MixedWorkflow root = new MixedWorkflow();
        GraphWriter.Layout kept = GraphWriter.measure(root);
        GraphWriter.Layout notKept = GraphWriter.measure(root, 0);

        assertThat(kept.payloadBytes()).isEqualTo(notKept.payloadBytes());
        assertThat(kept.units()).isEqualTo(notKept.units());
        assertThat(kept.classes()).isEqualTo(notKept.classes());
        assertThat(payload(root, kept, shuffle)).isEqualTo(payload(root, notKept, shuffle));
    }

    @Test
    void aKeptPayloadCanBeWrittenTwice() throws IOException {
        MixedWorkflow root = new MixedWorkflow();
        GraphWriter.Layout layout = GraphWriter.measure(root);
        assertThat(payload(root, layout, true)).isEqualTo(payload(root, layout, true));
    }

    /** Says something else each time it is asked: only a second pass can notice. */
    static final class Fickle extends Unit {
        int calls;

        Fickle(Workflow workflow) {
            super(workflow, "fickle");
        }

        @Override
        protected void getState(State state) {
            super.getState(state);
            calls++;
            state.put("calls", "x".repeat(10 * calls));
        }

        @Override
        public void run() {}
    }

    static final class FickleWorkflow extends Workflow {
        final Fickle fickle;

        FickleWorkflow() {
            super("fickle");
            fickle = new Fickle(this);
        }
    }

    @Test
    void aKeptPayloadAsksEachObjectForItsStateOnce() throws IOException {
        FickleWorkflow root = new FickleWorkflow();
        payload(root, GraphWriter.measure(root), false);
        assertThat(root.fickle.calls).isEqualTo(1);
    }

    @Test
    void aSecondPassStillNoticesAStateThatChanged() {
        FickleWorkflow root = new FickleWorkflow();
        GraphWriter.Layout layout = GraphWriter.measure(root, 0);
        assertThatThrownBy(() -> GraphWriter.write(root, new ByteArrayOutputStream(), layout))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(
                        "workflow state changed while the snapshot was being written (first in unit 'fickle')");
    }

    /** Arrays of 2- and 8-byte elements a few elements longer than one shuffle block. */
    static final class Wide extends Unit {
        short[] shorts = new short[ByteShuffle.elementsPerBlock(2) + 3];
        double[] doubles = new double[ByteShuffle.elementsPerBlock(8) + 5];

        Wide(Workflow workflow) {
            super(workflow, "wide");
            Random random = new Random(4);
            for (int i = 0; i < shorts.length; i++) {
                shorts[i] = (short) random.nextInt();
            }
            for (int i = 0; i < doubles.length; i++) {
                doubles[i] = random.nextGaussian();
            }
        }

        @Override
        public void run() {}
    }

    static final class WideWorkflow extends Workflow {
        WideWorkflow() {
            super("wide");
            Mixed first = new Mixed(this, "first", 1);
            new Wide(this).linkFrom(first);
        }
    }

    /**
     * An asynchronous snapshot's copy notes its large arrays instead of shuffling them; the
     * shuffle applied later to the stream gives the shuffled payload, whether the measuring pass
     * kept the payload or a second pass writes it, and wherever in the stream the payload starts.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aShuffleAppliedLaterGivesTheShuffledPayload(boolean kept) throws IOException {
        WideWorkflow root = new WideWorkflow();
        GraphWriter.Layout layout = kept ? GraphWriter.measure(root) : GraphWriter.measure(root, 0);
        byte[] shuffled = payload(root, layout, true);
        byte[] header = {'H', 'E', 'A', 'D', '!'};

        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.write(header);
        DeferredShuffle deferred = new DeferredShuffle(header.length);
        GraphWriter.write(root, copy, layout, deferred);
        // Mixed: its weights and justAt, one block each; Wide: two blocks per array
        assertThat(deferred.blocks()).isEqualTo(6);
        assertThat(copy.size()).isEqualTo(header.length + shuffled.length);

        ByteArrayOutputStream applied = new ByteArrayOutputStream();
        try (java.io.OutputStream out = deferred.applyTo(applied)) {
            out.write(copy.toByteArray());
        }
        byte[] expected = new byte[header.length + shuffled.length];
        System.arraycopy(header, 0, expected, 0, header.length);
        System.arraycopy(shuffled, 0, expected, header.length, shuffled.length);
        assertThat(applied.toByteArray()).isEqualTo(expected);
        assertThat(copy.toByteArray()).isNotEqualTo(expected);
    }
}
