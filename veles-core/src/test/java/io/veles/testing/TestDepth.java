package io.veles.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How deep the slow tests go. By default they repeat their kills, stops and restarts fewer times,
 * so that {@code mvn -B verify} stays short; with {@code VELES_BIG_TESTS=1} (as on CI) they run
 * every repetition, and the big tests run too. Every assertion runs in both modes.
 */
public final class TestDepth {
    public static final String VARIABLE = "VELES_BIG_TESTS";

    /** Messages already printed: a parameterized test asks once per case but says it once. */
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private TestDepth() {}

    /** Whether the thorough (CI) mode is on: {@code VELES_BIG_TESTS=1}. */
    public static boolean thorough() {
        return "1".equals(System.getenv(VARIABLE));
    }

    /**
     * {@code thorough} in the thorough mode, else {@code quick}; a reduced run says so once, as in
     * "KillTest: 8 of 20 kills; VELES_BIG_TESTS=1 runs all 20".
     */
    public static int repetitions(String test, String what, int quick, int thorough) {
        if (thorough()) {
            return thorough;
        }
        String message = test + ": " + quick + " of " + thorough + " " + what + "; " + VARIABLE
                + "=1 (as on CI) runs all " + thorough;
        if (SAID.add(message)) {
            System.out.println(message);
        }
        return quick;
    }
}
