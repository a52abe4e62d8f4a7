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

    /**
     * A class name of "http://" two million characters long, read from a snapshot and quoted in
     * an error line: the required '?' sent the search back over the run from each address in it,
     * about 10^11 steps before the line was printed. Each address is now consumed once.
     */
    @Test
    void aLongRunOfAddressesWithoutAQueryIsScannedOnce() {
        String addresses = "http://".repeat(300_000);
        String redacted = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(10), () -> Secrets.redact("snapshot names class " + addresses));
        assertThat(redacted).isEqualTo("snapshot names class " + addresses);
        assertThat(Secrets.find(addresses + "?token=t0k")).contains("t0k");
        assertThat(Secrets.redact("see http://h/a?sig=1#frag and http://h/b: gone"))
                .isEqualTo("see http://h/a?***#frag and http://h/b: gone");
    }

    /** One pass over white space; the same text as the regex it replaced, on every mix of spaces and breaks. */
    @Test
    void joiningLinesIsLinearAndAsTheRegexDid() {
        String spaces = " ".repeat(2_000_000) + "x";
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(10), () -> Messages.joinLines(spaces)))
                .isSameAs(spaces);
        java.util.Random random = new java.util.Random(17);
        char[] alphabet = {' ', '\t', '\n', '\r', '\f', '\u000B', '\u0085', '\u2028', 'a', 'b'};
        for (int round = 0; round < 20_000; round++) {
            char[] text = new char[random.nextInt(12)];
            for (int i = 0; i < text.length; i++) {
                text[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String given = new String(text);
            assertThat(Messages.joinLines(given))
                    .as("%s", given.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(given.replaceAll("\\s*\\R\\s*", " "));
        }
    }
}
