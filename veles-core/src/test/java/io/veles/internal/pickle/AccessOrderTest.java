package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A linked map's access order is told apart, and the map left untouched: read from its flag, and
 * probed (small maps on a copy, large ones through Java serialization) where Unsafe is missing.
 */
class AccessOrderTest {
    /** Both ways of telling, each checked on every case. */
    private static void assertTold(LinkedHashMap<?, ?> map, boolean accessOrder) {
        assertThat(BoundedContainers.LinkedMaps.isAccessOrdered(map))
                .as("flag read")
                .isEqualTo(accessOrder);
        assertThat(BoundedContainers.LinkedMaps.probeAccessOrder(map))
                .as("probed")
                .isEqualTo(accessOrder);
    }

    private static LinkedHashMap<Integer, String> map(int size, boolean accessOrder) {
        LinkedHashMap<Integer, String> map = new LinkedHashMap<>(16, 0.75f, accessOrder);
        for (int i = 0; i < size; i++) {
            map.put(i, "v" + i);
        }
        return map;
    }

    @Test
    void theFlagIsReadOnThisJdkNotProbed() {
        assertThat(BoundedContainers.LinkedMaps.readsTheFlag()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 64, 65, 1000})
    void accessOrderIsToldAtEverySize(int size) {
        for (boolean accessOrder : new boolean[] {false, true}) {
            LinkedHashMap<Integer, String> map = map(size, accessOrder);
            List<Integer> before = List.copyOf(map.keySet());
            assertTold(map, accessOrder);
            assertThat(List.copyOf(map.keySet())).isEqualTo(before);
        }
    }

    /** A key whose hash reaches the map again: re-hashing it would recurse until the stack overflows. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aKeyThatReachesTheMapIsNeverHashed(boolean accessOrder) {
        LinkedHashMap<Object, String> map = new LinkedHashMap<>(16, 0.75f, accessOrder);
        List<Object> key = new ArrayList<>();
        map.put(key, "v");
        key.add(map); // the key's hashCode now runs through the map: a fuzzer's graph
        assertTold(map, accessOrder);
    }

    /** Keys with Object's hashCode and equals (units, say) are told apart too, the map left as it was. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void identityKeysAreToldApart(boolean accessOrder) {
        LinkedHashMap<Object, String> map = new LinkedHashMap<>(16, 0.75f, accessOrder);
        for (int i = 0; i < 3; i++) {
            map.put(new Object(), "v" + i);
        }
        List<Object> before = List.copyOf(map.keySet());
        assertTold(map, accessOrder);
        assertThat(List.copyOf(map.keySet())).isEqualTo(before);
    }

    /** An application's key class: its hashCode is not ours to run while writing a snapshot. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void applicationKeysAreNeverHashed(boolean accessOrder) {
        int[] hashes = {0};
        Object key = new Object() {
            @Override
            public int hashCode() {
                hashes[0]++;
                return 1;
            }
        };
        LinkedHashMap<Object, String> map = new LinkedHashMap<>(16, 0.75f, accessOrder);
        map.put(key, "v");
        hashes[0] = 0;
        assertTold(map, accessOrder);
        assertThat(hashes[0]).isZero();
    }
}
