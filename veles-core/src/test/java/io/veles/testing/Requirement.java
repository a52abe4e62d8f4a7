package io.veles.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from the machine (a tool, a server, root) is missing:
 * it skips, unless the environment variable naming that need is {@code 1} (as on CI), where it fails.
 * {@link SkipReasons} prints the reason of a skip on the Maven console.
 */
public final class Requirement {
    private Requirement() {}

    /**
     * Never returns: fails when {@code variable} (e.g. {@code VELES_REQUIRE_DB}) is 1, skips otherwise.
     * Typed like {@link Assumptions#abort(String)} so that a caller can {@code return} it.
     */
    public static <T> T skipOrFail(String variable, String reason) {
        if ("1".equals(System.getenv(variable))) {
            return Assertions.fail(reason + " (" + variable + "=1)");
        }
        return Assumptions.abort(reason);
    }
}
