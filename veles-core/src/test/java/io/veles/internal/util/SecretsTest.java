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

    @Test
    void aWebAddressesQueryIsHiddenAndItsSignedValuesFound() {
        String url = "https://b.s3.amazonaws.com/w_3.gz?X-Amz-Credential=AKIA1%2F2026&X-Amz-Signature=abc123&n=1";
        assertThat(Secrets.redact("cannot download " + url + ": HTTP 403"))
                .isEqualTo("cannot download https://b.s3.amazonaws.com/w_3.gz?***: HTTP 403");
        assertThat(Secrets.find(url))
                .contains("AKIA1%2F2026", "AKIA1/2026", "abc123")
                .doesNotContain("1");
        // an address without a query, and a JDBC URL's, are left as they are
        assertThat(Secrets.redact("http://h/w_3.gz")).isEqualTo("http://h/w_3.gz");
        assertThat(Secrets.redact("jdbc:mysql://h/d?useSSL=true")).isEqualTo("jdbc:mysql://h/d?useSSL=true");
    }
}
