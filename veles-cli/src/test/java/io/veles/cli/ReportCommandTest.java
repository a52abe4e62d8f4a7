package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.app.HostileNamesWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * snapshot report on a real run, opened in headless chromium: the page draws every chart with
 * data, logs nothing (a blocked request would be logged), keeps hostile names as text, and looks
 * like something in a screenshot.
 */
@Tag("slow")
class ReportCommandTest {
    private static final Pattern DATA =
            Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STATUS = Pattern.compile("<pre id=\"report-status\"[^>]*>(.*?)</pre>", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void train() throws Exception {
        VelesProcess wine = VelesProcess.run(dir, "run", "wine", "decision.max_epochs=6", "--snapshot-dir", "snaps");
        assertThat(wine.exitCode()).as(wine.stderr()).isZero();
        VelesProcess pin = VelesProcess.run(dir, "snapshot", "pin", "snaps/wine_2_3.77.gz");
        assertThat(pin.exitCode()).as(pin.stderr()).isZero();
    }

    private static JsonNode data(Path page) throws Exception {
        Matcher matcher = DATA.matcher(Files.readString(page));
        assertThat(matcher.find()).isTrue();
        return JSON.readTree(matcher.group(1));
    }

    /** What the page's script reported: each chart's data points, and the errors it caught. */
    private static JsonNode status(String dom) throws Exception {
        Matcher matcher = STATUS.matcher(dom);
        assertThat(matcher.find()).as("the page has its status element").isTrue();
        String text = matcher.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        assertThat(text).as("the page's script ran to its end").isNotBlank();
        return JSON.readTree(text);
    }

    @Test
    void thePageLoadsOfflineAndDrawsEveryChartWithDataAndLogsNothing() throws Exception {
        VelesProcess report = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "run.html");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        assertThat(report.stdout()).startsWith("wrote run.html").contains("6 snapshots");
        Path page = dir.resolve("run.html");

        JsonNode data = data(page);
        assertThat(data.get("snapshots")).hasSize(6);
        JsonNode first = data.get("snapshots").get(0);
        assertThat(first.get("verify").asText()).isEqualTo("ok");
        assertThat(first.get("kept").isNull())
                .as("--keep-last 5 --keep-best 3 deletes the first of six")
                .isTrue();
        assertThat(data.get("snapshots").get(1).get("pinned").asBoolean()).isTrue();
        assertThat(data.get("snapshots").get(5).get("current").asBoolean()).isTrue();
        assertThat(data.get("compare").get("differences").size()).isPositive();
        assertThat(data.get("fields").get(0).get("name").asText())
                .as("weights come first")
                .isEqualTo("fc1.weights");
        assertThat(data.get("fields").get(0).get("histograms")).hasSize(3);
        assertThat(data.get("fields").get(0).get("changes")).hasSize(5);

        HeadlessChromium.Output loaded = HeadlessChromium.require().dumpDom(page);
        assertThat(loaded.consoleLines())
                .as("no console message: no error, no blocked request")
                .isEmpty();
        JsonNode status = status(loaded.stdout());
        assertThat(status.get("errors")).as(status.toString()).isEmpty();
        assertThat(status.get("done").asBoolean()).isTrue();
        Set<String> ids = new HashSet<>();
        status.get("charts").fieldNames().forEachRemaining(ids::add);
        assertThat(ids)
                .contains(
                        "sizes",
                        "metric",
                        "epoch",
                        "interval",
                        "codec",
                        "units-newest",
                        "units-run",
                        "hist-0-0",
                        "hist-0-1",
                        "hist-0-2",
                        "change-0");
        status.get("charts")
                .fields()
                .forEachRemaining(chart -> assertThat(chart.getValue().asInt())
                        .as("data points of chart " + chart.getKey())
                        .isPositive());
        assertThat(loaded.stdout()).contains("data-chart=\"sizes\"").contains("<svg");
    }

    @Test
    void aScreenshotOfThePageShowsItsCharts() throws Exception {
        VelesProcess report = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "shot.html");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        Path png = dir.resolve("report.png");
        HeadlessChromium.require().screenshot(dir.resolve("shot.html"), png, 1280, 1600);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(1600);
        long notWhite = 0;
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colors.add(rgb);
                if (rgb != 0xffffff) {
                    notWhite++;
                }
            }
        }
        // the page's background is a light grey, the cards white, the charts colored
        assertThat(notWhite).as("pixels not white").isGreaterThan(image.getWidth() * (long) image.getHeight() / 10);
        assertThat(colors.size())
                .as("distinct colors: charts, not a blank page")
                .isGreaterThan(200);
    }

    /** Metrics a few units of the last place apart (1e20 and its neighbours): the axes still end. */
    @Test
    void metricsCloserThanTheAxisStepStillDrawAPage() throws Exception {
        VelesProcess run = VelesProcess.run(
                dir, "run", com.example.app.HugeMetricWorkflow.class.getName(), "--snapshot-dir", "huge");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        VelesProcess report = VelesProcess.run(dir, "snapshot", "report", "huge", "-o", "huge.html");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        HeadlessChromium.Output loaded = HeadlessChromium.require().dumpDom(dir.resolve("huge.html"));
        assertThat(loaded.consoleLines()).isEmpty();
        JsonNode status = status(loaded.stdout());
        assertThat(status.get("errors")).isEmpty();
    }

    @Test
    void hostileUnitNamesStayTextInThePage() throws Exception {
        VelesProcess run =
                VelesProcess.run(dir, "run", HostileNamesWorkflow.class.getName(), "--snapshot-dir", "hostile");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        VelesProcess report = VelesProcess.run(dir, "snapshot", "report", "hostile", "-o", "hostile.html");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        Path page = dir.resolve("hostile.html");
        String html = Files.readString(page);
        assertThat(html).doesNotContain("<img src=x").doesNotContain("document.title='pwned'</script>");
        assertThat(data(page).get("units").get("names").toString()).contains("document.title");

        HeadlessChromium.Output loaded = HeadlessChromium.require().dumpDom(page);
        assertThat(loaded.consoleLines()).isEmpty();
        assertThat(loaded.stdout())
                .as("the page kept its own title")
                .doesNotContain("<title>pwned</title>")
                .contains("<title>veles report: hostile</title>")
                .as("the name is shown, as text")
                .contains("&lt;img src=x onerror=")
                .doesNotContain("<img src=\"x\"");
        JsonNode status = status(loaded.stdout());
        assertThat(status.get("errors")).isEmpty();
        assertThat(status.get("charts").get("hist-0-0").asInt()).isPositive();
    }

    @Test
    void twoHundredSnapshotsMakeAPageUnderTwoMegabytesWithinASmallHeap() throws Exception {
        VelesProcess wine = VelesProcess.run(
                dir,
                "run",
                "wine",
                "decision.max_epochs=200",
                "decision.fail_iterations=1000",
                "--snapshot-dir",
                "long");
        assertThat(wine.exitCode()).as(wine.stderr()).isZero();
        VelesProcess report = VelesProcess.run(
                dir,
                List.of("-Xmx512m"),
                "snapshot",
                "report",
                "long",
                "-o",
                "long.html",
                "--compare",
                "wine_2_3.77",
                "wine_3_0.00");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        Path page = dir.resolve("long.html");
        assertThat(Files.size(page)).isLessThan(2L << 20);
        JsonNode data = data(page);
        assertThat(data.get("snapshots")).hasSize(200);
        assertThat(data.get("compare").get("a").asText()).endsWith("wine_2_3.77.gz");
        assertThat(data.get("compare").get("b").asText()).endsWith("wine_3_0.00.gz");

        HeadlessChromium.Output loaded = HeadlessChromium.require().dumpDom(page);
        assertThat(loaded.consoleLines()).isEmpty();
        JsonNode status = status(loaded.stdout());
        assertThat(status.get("errors")).isEmpty();
        assertThat(status.get("charts").get("sizes").asInt()).isEqualTo(400);
    }

    /** Snapshots larger together than the heap: read one at a time, the report still fits. */
    @Test
    void snapshotsLargerTogetherThanTheHeapAreReadOneAtATime() throws Exception {
        VelesProcess walk = VelesProcess.run(
                dir, "run", "walk", "walk.walkers=3000000", "walk.iterations=6", "--snapshot-dir", "big");
        assertThat(walk.exitCode()).as(walk.stderr()).isZero();
        VelesProcess report = VelesProcess.run(dir, List.of("-Xmx128m"), "snapshot", "report", "big", "-o", "big.html");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        JsonNode data = data(dir.resolve("big.html"));
        long state = 0;
        for (JsonNode snapshot : data.get("snapshots")) {
            state += snapshot.get("state").asLong();
            assertThat(snapshot.get("verify").asText()).isEqualTo("ok");
        }
        assertThat(state).as("the states together outgrow the heap").isGreaterThan(128L << 20);
        assertThat(data.get("notes")).isEmpty();
        assertThat(data.get("fields").toString()).contains("integrator.positions");
    }

    @Test
    void aDamagedSnapshotIsShownAsFailingAndTheOthersStillReport() throws Exception {
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Files.copy(dir.resolve("snaps/wine_1_77.36.gz"), damaged.resolve("wine_1_77.36.gz"));
        Files.copy(dir.resolve("snaps/wine_2_3.77.gz"), damaged.resolve("wine_2_3.77.gz"));
        byte[] whole = Files.readAllBytes(dir.resolve("snaps/wine_3_0.00.gz"));
        Files.write(damaged.resolve("wine_3_0.00.gz"), Arrays.copyOf(whole, whole.length - 40));
        VelesProcess report = VelesProcess.run(
                dir, "snapshot", "report", "damaged", "-o", "damaged.html", "--compare", "wine_1_77.36", "wine_2_3.77");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        assertThat(report.stderr()).contains("1 snapshot does not verify");
        JsonNode data = data(dir.resolve("damaged.html"));
        assertThat(data.get("snapshots")).hasSize(3);
        assertThat(data.get("snapshots").get(0).get("verify").asText()).isEqualTo("ok");
        assertThat(data.get("snapshots").get(2).get("verify").asText()).contains("wine_3_0.00.gz");
        assertThat(data.get("fields").get(0).get("histograms"))
                .as("first and middle; the newest is unreadable")
                .hasSize(2);
        VelesProcess compared = VelesProcess.run(
                dir,
                "snapshot",
                "report",
                "damaged",
                "-o",
                "compared.html",
                "--compare",
                "wine_1_77.36",
                "wine_3_0.00");
        assertThat(compared.exitCode()).as("the page is written").isZero();
        assertThat(compared.stderr())
                .as("a failed comparison is said, not only shown in the page")
                .containsPattern("veles: the comparison of \\S*wine_1_77.36.gz and \\S*wine_3_0.00.gz failed: \\S.*");

        HeadlessChromium.Output loaded = HeadlessChromium.require().dumpDom(dir.resolve("damaged.html"));
        assertThat(loaded.consoleLines()).isEmpty();
        assertThat(status(loaded.stdout()).get("errors")).isEmpty();
        assertThat(loaded.stdout()).contains("FAILED: ");
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        VelesProcess missing = VelesProcess.run(dir, "snapshot", "report", "no-such-dir", "-o", "missing.html");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr().strip().lines()).singleElement().asString().startsWith("veles: error: ");
        assertThat(dir.resolve("missing.html")).doesNotExist();

        Files.createDirectories(dir.resolve("empty"));
        VelesProcess empty = VelesProcess.run(dir, "snapshot", "report", "empty", "-o", "empty.html");
        assertThat(empty.exitCode()).isNotZero();
        assertThat(empty.stderr().strip()).startsWith("veles: error: ").contains("holds no snapshot");
        assertThat(dir.resolve("empty.html")).doesNotExist();

        VelesProcess mistyped = VelesProcess.run(
                dir, "snapshot", "report", "snaps", "-o", "mistyped.html", "--compare", "wine_2_3.77", "wine_99");
        assertThat(mistyped.exitCode()).isNotZero();
        assertThat(mistyped.stderr().strip().lines()).singleElement().asString().contains("--compare wine_99");
        assertThat(dir.resolve("mistyped.html")).doesNotExist();

        VelesProcess toDirectory = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "empty");
        assertThat(toDirectory.exitCode()).isNotZero();
        assertThat(toDirectory.stderr().strip().lines())
                .singleElement()
                .asString()
                .contains("is a directory");
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenItIsAReportOrWithForce() throws Exception {
        Path notes = dir.resolve("notes.html");
        Files.writeString(notes, "<!DOCTYPE html><title>my notes</title>");
        VelesProcess refused = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "notes.html");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr().strip().lines())
                .singleElement()
                .asString()
                .startsWith("veles: error: ")
                .contains("notes.html exists and is not a snapshot report")
                .contains("--force");
        assertThat(notes).hasContent("<!DOCTYPE html><title>my notes</title>");

        Path target = dir.resolve("target.txt");
        Files.writeString(target, "kept");
        Files.createSymbolicLink(dir.resolve("link.html"), target);
        VelesProcess link = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "link.html");
        assertThat(link.exitCode())
                .as("a link is never taken for a page of ours")
                .isNotZero();
        assertThat(target).hasContent("kept");

        VelesProcess first = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "again.html");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        Files.setLastModifiedTime(dir.resolve("again.html"), java.nio.file.attribute.FileTime.fromMillis(0));
        VelesProcess again = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "again.html");
        assertThat(again.exitCode())
                .as("a page of ours is replaced: " + again.stderr())
                .isZero();
        assertThat(Files.getLastModifiedTime(dir.resolve("again.html")).toMillis())
                .isPositive();

        VelesProcess forced = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", "notes.html", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(data(notes).get("snapshots")).hasSize(6);

        Path snapshot = dir.resolve("snaps/wine_5_1.89.gz");
        byte[] bytes = Files.readAllBytes(snapshot);
        for (String kept : new String[] {"snaps/wine_5_1.89.gz", "snaps/wine_current.gz"}) {
            VelesProcess overSnapshot = VelesProcess.run(dir, "snapshot", "report", "snaps", "-o", kept, "--force");
            assertThat(overSnapshot.exitCode())
                    .as("a snapshot or its link is never replaced, even with --force")
                    .isNotZero();
            assertThat(overSnapshot.stderr().strip().lines())
                    .singleElement()
                    .asString()
                    .contains("not replaced, even with --force");
        }
        assertThat(Files.readAllBytes(snapshot)).isEqualTo(bytes);
        assertThat(Files.isSymbolicLink(dir.resolve("snaps/wine_current.gz"))).isTrue();
    }
}
