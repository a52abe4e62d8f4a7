package io.veles.internal.pickle;

import static io.veles.internal.pickle.HostilePayloads.LIE;
import static io.veles.internal.pickle.HostilePayloads.newCollection;
import static io.veles.internal.pickle.HostilePayloads.newObject;
import static io.veles.internal.pickle.HostilePayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import io.veles.errors.SnapshotException;
import io.veles.pickle.ClassAllowList;
import io.veles.pickle.RestoreRules;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A declared length that the rest of the payload cannot hold is refused with our message before
 * anything is allocated for it (an allocation of that size would fail or exhaust the heap).
 */
class HostileLengthTest {
    private static SnapshotKryo session() {
        return new SnapshotKryo(
                new PickleContext(),
                RestoreRules.allowing(ClassAllowList.forWorkflow(HostileLengthTest.class, List.of())));
    }

    @Test
    void collectionsMapsArraysAndStringsWithImpossibleLengthsAreRefused() {
        SnapshotKryo session = session();
        assertThatThrownBy(() -> session.kryo.readObject(newCollection(LIE), ArrayList.class))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("declares a collection of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(newCollection(LIE), LinkedHashSet.class))
                .hasMessageContaining("declares a collection of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(newObject(LIE + 1), HashMap.class))
                .hasMessageContaining("declares a map of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(newObject(LIE + 1), String[].class))
                .hasMessageContaining("declares an array of 1000000000 elements");
        assertThatThrownBy(() -> session.kryo.readObject(newObject(LIE), float[].class))
                .hasMessageContaining("declares a float array of 1000000000 elements");
        assertThatThrownBy(() ->
                        payload(o -> o.writeVarIntFlag(true, LIE + 1, true)).readString())
                .hasMessageContaining("declares a string of 1000000000 elements");
    }

    @Test
    void honestLengthsStillRead() {
        SnapshotKryo session = session();
        Output output = new Output(1024, -1);
        session.kryo.writeObject(output, new ArrayList<>(List.of("é", "plain")));
        output.writeString("ünïcödé");
        byte[] bytes = output.toBytes();
        SnapshotInput input = new SnapshotInput(new ByteArrayInputStream(bytes), 1024, bytes.length);
        List<Object> read = session.kryo.readObject(input, ArrayList.class);
        assertThat(read).containsExactly("é", "plain");
        assertThat(input.readString()).isEqualTo("ünïcödé");
    }
}
