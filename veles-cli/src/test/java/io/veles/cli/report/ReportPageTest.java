package io.veles.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The page's embedded data: hostile text cannot end its script element or start markup, and reads back whole. */
class ReportPageTest {
    private static final Pattern DATA =
            Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    @Test
    void markupInTheDataIsEscapedAndReadsBackAsTheSameText() throws Exception {
        String hostile = "</script><script>alert(1)</script><!-- \u2028\u2029 & 'x' \"y\" \u00e9\u4e2d";
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("store", hostile);
        data.putArray("snapshots").addObject().put("name", hostile);
        String page = ReportPage.render(data);

        Matcher matcher = DATA.matcher(page);
        assertThat(matcher.find()).as("the data element is there, whole").isTrue();
        String embedded = matcher.group(1);
        assertThat(embedded)
                .doesNotContain("<")
                .doesNotContain(">")
                .doesNotContain("&")
                .doesNotContain("\u2028");
        assertThat(embedded.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        JsonNode back = new ObjectMapper().readTree(embedded);
        assertThat(back.get("store").asText()).isEqualTo(hostile);
        assertThat(back.get("snapshots").get(0).get("name").asText()).isEqualTo(hostile);
        assertThat(page).contains("Content-Security-Policy").contains("default-src 'none'");
    }

    @Test
    void aHistogramBinsEveryFiniteElementAndCountsTheOthersApart() {
        Histogram h = Histogram.of("s", 0, new float[] {0f, 1f, 1f, 2f, Float.NaN, Float.POSITIVE_INFINITY});
        assertThat(h.min()).isEqualTo(0.0);
        assertThat(h.max()).isEqualTo(2.0);
        assertThat(h.nonFinite()).isEqualTo(2);
        assertThat(java.util.Arrays.stream(h.counts()).sum()).isEqualTo(4);
        assertThat(h.counts()[0]).isEqualTo(1);
        assertThat(h.counts()[Histogram.BINS - 1]).isEqualTo(1);
        Histogram constant = Histogram.of("s", 0, new int[] {7, 7, 7});
        assertThat(java.util.Arrays.stream(constant.counts()).sum()).isEqualTo(3);
    }
}
