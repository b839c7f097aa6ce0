package io.sparkmdn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The report page: every figure by file name with its caption, the metrics table, what was left out. */
class HtmlReportTest {

    /** The {@code src} of every {@code img} in a page. */
    static List<String> imageSources(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void pageReferencesEveryFigureInOrderWithItsCaption() {
        BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        Report report = new Report(List.of(new Figure("a.png", "First", "caption one", image),
                new Figure("b-2.png", "Second", "caption <two> & more", image)), ReportFixtures.metrics(),
                List.of("model: /m"), List.of("PIT histogram: no metrics"));
        String html = HtmlReport.render(report, "My run");
        assertEquals(List.of("a.png", "b-2.png"), imageSources(html));
        assertTrue(html.contains("<title>My run</title>"));
        assertTrue(html.contains("width=\"20\" height=\"10\""));
        assertTrue(html.contains("caption &lt;two&gt; &amp; more"), "captions are escaped");
        assertTrue(html.contains("<li>model: /m</li>"));
        assertTrue(html.contains("<li>PIT histogram: no metrics</li>"));
        assertTrue(html.contains("<td>NLL, MDN (nats/point)</td><td class=\"v\">-1.6100</td>"), html);
        assertTrue(html.contains("<td>rows scored</td><td class=\"v\">50,000</td>"), html);
        assertFalse(html.contains("pit_histogram"), "the histogram is a figure, not a table row");
        assertFalse(html.contains("<script") || html.contains("http"), "self-contained: nothing fetched");
    }

    @Test
    void pageWithoutMetricsOrOmissionsHasNeitherSection() {
        String html = HtmlReport.render(new Report(List.of(), null, List.of(), List.of()), "t");
        assertFalse(html.contains("<h2>Metrics</h2>"));
        assertFalse(html.contains("Left out"));
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void escapeHandlesTheFiveSpecialCharacters() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", HtmlReport.escape("<a href=\"x\">&'"));
    }
}
