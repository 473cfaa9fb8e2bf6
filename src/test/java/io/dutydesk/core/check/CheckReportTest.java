package io.dutydesk.core.check;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report as a browser (jsoup) and an XML parser read it: every check with its evidence, escaped; passing ones folded. */
class CheckReportTest {
    static final Instant AT = Instant.parse("2026-03-10T08:00:00Z");
    static final String HOSTILE = "<script>alert('x')</script> & \"q\" | `code` *b*";

    static CheckRun run() {
        return new CheckRun(7, "prod<1>", AT, "alice & bob", List.of(
                new CheckResult("slots", "Live slot", CheckSource.SLOTS, CheckStatus.PASS, "live blue 4/4 healthy", List.of(), "slots",
                        Optional.of(CheckStatus.PASS), Duration.ZERO),
                new CheckResult("outbox", "Outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 150 ≥ 100, oldest 40 s", List.of(),
                        "outbox", Optional.of(CheckStatus.PASS), Duration.ZERO),
                new CheckResult("logs", "Error lines", CheckSource.LOGS, CheckStatus.FAIL, HOSTILE, List.of("api: ERROR " + HOSTILE, "api: \u0007bell"),
                        "slots", Optional.empty(), Duration.ZERO),
                new CheckResult("error-rate", "Error rate < 1 %", CheckSource.PROMETHEUS, CheckStatus.UNKNOWN,
                        "prometheus not read: connection refused", List.of(), "metrics", Optional.of(CheckStatus.PASS), Duration.ZERO)),
                Optional.of(AT.minus(Duration.ofDays(1))));
    }

    @Test
    void theHtmlPageHasEveryCheckEscapedTheChangesAndThePassingOnesFolded() throws Exception {
        String html = CheckReport.html(List.of(run()), ZoneOffset.UTC);
        assertFalse(html.contains("<script>"), "nothing from a server is markup");
        Document d = Jsoup.parse(html);
        assertEquals(0, d.select("script").size());
        assertEquals("Morning check: prod<1> — FAIL", d.selectFirst("h1").text());
        assertTrue(d.selectFirst("p.meta").text().startsWith("2026-03-10 08:00 Z, run by alice & bob — 1 pass, 1 warn, 1 fail, 1 unknown;"),
                d.selectFirst("p.meta").text());
        assertEquals(List.of("Outbox: PASS → WARN", "Error rate < 1 %: PASS → UNKNOWN"), d.select("ul.changed li").eachText());
        assertEquals(List.of("outbox", "logs", "error-rate", "slots"), d.select("tr.check").eachAttr("data-id"));
        Element logs = d.selectFirst("tr.check[data-id=logs]");
        assertEquals("fail", logs.attr("data-status"));
        assertTrue(logs.selectFirst("td.evidence").text().startsWith(HOSTILE), logs.text());
        assertTrue(logs.selectFirst("pre").text().contains("api: ERROR " + HOSTILE));
        Element passing = d.selectFirst("details.passing");
        assertEquals("1 check passed", passing.selectFirst("summary").text());
        assertEquals(List.of("slots"), passing.select("tr.check").eachAttr("data-id"), "only passing checks are folded");
        assertEquals("true", d.selectFirst("tr.check[data-id=outbox]").attr("data-changed"));
        // well-formed XHTML: any XML parser reads it
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        org.w3c.dom.Document x = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals(4, x.getElementsByTagName("tr").getLength() - 2, "two header rows, four checks");
    }

    @Test
    void theMarkdownHasEveryCheckAndTheChangesWithServerTextEscaped() {
        String md = CheckReport.markdown(List.of(run()), ZoneOffset.UTC);
        assertTrue(md.startsWith("## Morning check: prod\\<1\\> — FAIL\n\n2026-03-10 08:00 Z, run by alice & bob — 1 pass, 1 warn, 1 fail, 1 unknown; "
                + "compared with the run of 2026-03-09 08:00 Z\n"), md);
        assertTrue(md.contains("**Changed since the previous run:** Outbox PASS → WARN, Error rate \\< 1 % PASS → UNKNOWN\n"), md);
        assertTrue(md.contains("| WARN (changed) | Outbox | pending 150 ≥ 100, oldest 40 s |\n"), md);
        assertTrue(md.contains("| FAIL | Error lines | \\<script\\>alert('x')\\</script\\> & \"q\" \\| \\`code\\` \\*b\\* |\n"), md);
        assertTrue(md.contains("| PASS | Live slot | live blue 4/4 healthy |\n"), md);
        assertEquals(4, md.lines().filter(l -> l.startsWith("| ")).count() - 1, "four checks below the header");
    }
}
