package io.veles.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What progress shows for small work and slow rates (the CLI tests show it on real terminals). */
class ProgressBarsTest {
    @Test
    void workOnLessThanAMebibyteShowsNothingAtAll() {
        assertThat(ProgressBars.terminal().start("reading wine_1.gz", 6 << 10)).isSameAs(ProgressReporter.Task.NONE);
        assertThat(ProgressBars.logLines().start("reading wine_1.gz", 0)).isSameAs(ProgressReporter.Task.NONE);
        ProgressReporter.Task large = ProgressBars.logLines().start("reading big.gz", ProgressBars.MIN_BYTES);
        assertThat(large).isNotSameAs(ProgressReporter.Task.NONE);
        large.close();
    }

    @Test
    void aSlowRateIsNeverShownAsZero() {
        ProgressBars.RateFormat rate = new ProgressBars.RateFormat();
        assertThat(rate.format(155.54)).isEqualTo("155.5");
        assertThat(rate.format(0.12)).isEqualTo("0.1");
        assertThat(rate.format(0.04)).isEqualTo("0.04");
        assertThat(rate.format(0.0003)).isEqualTo("0.0003");
    }
}
