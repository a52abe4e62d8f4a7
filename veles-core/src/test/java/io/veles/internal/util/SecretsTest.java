package io.veles.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Passwords in ODBC strings and URLs are found and hidden, however long the text around them. */
class SecretsTest {
    @Test
    void bracedAndPlainPasswordsAreFoundAndHidden() {
        String odbc = "DRIVER={MySQL};SERVER=h;DATABASE=d;UID=u;PWD={s3cr;et}}x}";
        assertThat(Secrets.find(odbc)).contains("s3cr;et}x");
        assertThat(Secrets.redact(odbc)).isEqualTo("DRIVER={MySQL};SERVER=h;DATABASE=d;UID=u;PWD=***");
        assertThat(Secrets.redact("jdbc:postgresql://me:hunter2@h/d")).isEqualTo("jdbc:postgresql://me:***@h/d");
        assertThat(Secrets.redact("PASSWORD=plain;UID=u")).isEqualTo("PASSWORD=***;UID=u");
    }

    /** Every argument is searched before anything else runs: a value of any length must not overflow the stack. */
    @Test
    void aVeryLongBracedValueIsReadWithoutRecursion() {
        for (String body : new String[] {"a".repeat(300_000), "}}".repeat(300_000), "x}}y".repeat(100_000)}) {
            String odbc = "DRIVER={SQLite3};DATABASE=x.db;PWD={" + body;
            assertThat(Secrets.find(odbc)).isNotEmpty();
            assertThat(Secrets.redact(odbc)).isEqualTo("DRIVER={SQLite3};DATABASE=x.db;PWD=***");
        }
    }
}
