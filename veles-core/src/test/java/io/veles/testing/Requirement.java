package io.veles.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from the machine (a tool, a server, root) is missing:
 * it skips, unless the environment variable naming that need is {@code 1} (as on CI), where it fails.
 * The reason goes to System.out too, so that a skip shows in the Maven log and not only in the
 * surefire XML.
 */
public final class Requirement {
    private Requirement() {
    }

    /**
     * Never returns: fails when {@code variable} (e.g. {@code VELES_REQUIRE_DB}) is 1, skips otherwise.
     * Typed like {@link Assumptions#abort(String)} so that a caller can {@code return} it.
     */
    public static <T> T skipOrFail(String variable, String reason) {
        if ("1".equals(System.getenv(variable))) {
            return Assertions.fail(reason + " (" + variable + "=1)");
        }
        System.out.println("skipped: " + reason);
        return Assumptions.abort(reason);
    }
}
