package io.veles.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from a snapshot printed on a terminal: what a terminal would act on is shown escaped. */
class PrintableTest {
    @Test
    void controlsAreEscapedAndPlainTextIsLeftAlone() {
        assertThat(Printable.escape("fc1.weights é 漢 😀")).isEqualTo("fc1.weights é 漢 😀");
        assertThat(Printable.escape("a\nb\tc\u001b[2J")).isEqualTo("a\\nb\\tc\\u001b[2J");
        assertThat(Printable.escape("x\u0085")).isEqualTo("x\\u0085");
    }

    /** A right-to-left override reordered the rest of the line that printed a unit's name. */
    @Test
    void bidirectionalControlsAreEscaped() {
        assertThat(Printable.escape("\u202Eevil")).isEqualTo("\\u202eevil");
        assertThat(Printable.escape("a\u2066b\u200fc")).isEqualTo("a\\u2066b\\u200fc");
    }

    /** Unpaired surrogates show as "?" on a terminal, so that two different names looked one. */
    @Test
    void unpairedSurrogatesAreEscapedAndPairsKept() {
        assertThat(Printable.escape("sur\uD800x")).isEqualTo("sur\\ud800x");
        assertThat(Printable.escape("sur\uDC00x")).isEqualTo("sur\\udc00x");
        assertThat(Printable.escape("end\uD83D")).isEqualTo("end\\ud83d");
        assertThat(Printable.escape("pair\uD83D\uDE00\n")).isEqualTo("pair\uD83D\uDE00\\n");
        // shortened between the two chars of a pair: the pair is left out whole, not shown half escaped
        assertThat(Printable.escapeAtMost("xx\uD83D\uDE00yy", 3)).isEqualTo("xx... (6 characters)");
    }

    @Test
    void arrayNamesLoseWhatNoFileOrUtf8CanHold() {
        assertThat(ArrayNames.safe("a/b\\c\u0000d\u202Ee\uD800f")).isEqualTo("a_b_c_d_e_f");
        assertThat(ArrayNames.safe("😀")).isEqualTo("😀");
        assertThat(ArrayNames.safe("")).isEqualTo("_");
        assertThat(ArrayNames.bounded("short")).isEqualTo("short");
        String long1 = "漢".repeat(100) + "a";
        String long2 = "漢".repeat(100) + "b";
        assertThat(ArrayNames.bounded(long1)).isNotEqualTo(ArrayNames.bounded(long2));
        assertThat(ArrayNames.bounded(long1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(ArrayNames.MAX_BYTES);
        assertThat(ArrayNames.bounded("😀".repeat(100))).doesNotContain("\uD83D~"); // no pair is split
    }
}
