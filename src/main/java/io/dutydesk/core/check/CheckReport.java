package io.dutydesk.core.check;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A run as a report: Markdown (for the team's chat or log) and a printable HTML page (every check with its evidence,
 * the changes since the previous run first; passing checks folded in {@code <details>}). Everything that comes from a
 * server or the file is escaped: the HTML page is XHTML (well-formed XML) so any XML parser reads it.
 */
public final class CheckReport {
    private CheckReport() {}

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    /** "2026-12-03 09:00 CET". */
    public static String when(java.time.Instant t, ZoneId zone) {
        return WHEN.format(t.atZone(zone));
    }

    static String mark(CheckStatus s) {
        return switch (s) {
            case PASS -> "PASS";
            case WARN -> "WARN";
            case FAIL -> "FAIL";
            case UNKNOWN -> "UNKNOWN";
        };
    }

    /** One or more runs (one per environment) as Markdown. */
    public static String markdown(List<CheckRun> runs, ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        for (CheckRun r : runs) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("## Morning check: ").append(md(r.env())).append(" — ").append(mark(r.worst())).append("\n\n");
            sb.append(when(r.at(), zone)).append(", run by ").append(md(r.actor())).append(" — ").append(r.summary())
                    .append("; " + r.comparedWith(p -> when(p, zone)))
                    .append("\n\n");
            List<CheckResult> changed = r.changed();
            if (!changed.isEmpty()) {
                sb.append("**Changed since the previous run:** ");
                sb.append(String.join(", ", changed.stream().map(c -> md(c.title()) + " "
                        + c.previous().map(CheckReport::mark).orElse("?") + " → " + mark(c.status())).toList()));
                sb.append("\n\n");
            }
            sb.append("| status | check | evidence |\n|---|---|---|\n");
            for (CheckResult c : r.checks()) {
                sb.append("| ").append(mark(c.status())).append(c.changed() ? " (changed)" : "").append(" | ")
                        .append(cell(c.title())).append(" | ").append(cell(c.evidence())).append(" |\n");
            }
            for (CheckResult c : r.checks()) {
                if (!c.details().isEmpty() && c.status() != CheckStatus.PASS) {
                    sb.append("\n").append(md(c.title())).append(":\n\n```\n");
                    for (String d : c.details()) {
                        sb.append(d.replace("```", "'''")).append('\n');
                    }
                    sb.append("```\n");
                }
            }
        }
        return sb.toString();
    }

    /** A table cell: pipes escaped, one line. */
    static String cell(String s) {
        return md(s).replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
    }

    /** Markdown's active characters in text from servers escaped (no link, no emphasis, no HTML). */
    static String md(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if ("\\`*_[]<>#".indexOf(ch) >= 0) {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /** One or more runs as one printable XHTML page. */
    public static String html(List<CheckRun> runs, ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>Morning check — ").append(esc(String.join(", ", runs.stream().map(CheckRun::env).toList())))
                .append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
                .append(".pass{color:#1a7f37}.warn{color:#9a6700}.fail{color:#cf222e}.unknown{color:#6e7781}")
                .append(".status{font-weight:bold;white-space:nowrap}pre{white-space:pre-wrap;margin:4px 0}")
                .append("@media print{details{display:block}details>summary{list-style:none}}\n")
                .append("</style>\n</head>\n<body>\n");
        for (CheckRun r : runs) {
            sb.append("<section class=\"run\" data-env=\"").append(esc(r.env())).append("\" data-status=\"").append(r.worst().id())
                    .append("\">\n<h1>Morning check: ").append(esc(r.env())).append(" — <span class=\"status ")
                    .append(r.worst().id()).append("\">").append(mark(r.worst())).append("</span></h1>\n");
            sb.append("<p class=\"meta\">").append(esc(when(r.at(), zone))).append(", run by <span class=\"actor\">")
                    .append(esc(r.actor())).append("</span> — ").append(esc(r.summary()))
                    .append(esc("; " + r.comparedWith(p -> when(p, zone))))
                    .append("</p>\n");
            List<CheckResult> changed = r.changed();
            if (!changed.isEmpty()) {
                sb.append("<h2>Changed since the previous run</h2>\n<ul class=\"changed\">\n");
                for (CheckResult c : changed) {
                    sb.append("<li>").append(esc(c.title())).append(": ").append(c.previous().map(CheckReport::mark).orElse("?"))
                            .append(" → <span class=\"status ").append(c.status().id()).append("\">").append(mark(c.status()))
                            .append("</span></li>\n");
                }
                sb.append("</ul>\n");
            }
            List<CheckResult> attention = r.checks().stream().filter(c -> c.status() != CheckStatus.PASS).toList();
            List<CheckResult> passing = r.checks().stream().filter(c -> c.status() == CheckStatus.PASS).toList();
            if (!attention.isEmpty()) {
                table(sb, attention);
            }
            if (!passing.isEmpty()) {
                sb.append("<details class=\"passing\"><summary>").append(passing.size()).append(passing.size() == 1 ? " check" : " checks")
                        .append(" passed</summary>\n");
                table(sb, passing);
                sb.append("</details>\n");
            }
            sb.append("</section>\n");
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    private static void table(StringBuilder sb, List<CheckResult> checks) {
        sb.append("<table>\n<tr><th>status</th><th>check</th><th>evidence</th><th>pane</th></tr>\n");
        for (CheckResult c : checks) {
            sb.append("<tr class=\"check\" data-id=\"").append(esc(c.id())).append("\" data-status=\"").append(c.status().id())
                    .append("\" data-changed=\"").append(c.changed()).append("\"><td class=\"status ").append(c.status().id()).append("\">")
                    .append(mark(c.status())).append(c.changed() ? " (changed)" : "").append("</td><td>").append(esc(c.title()))
                    .append("</td><td class=\"evidence\">").append(esc(c.evidence()));
            if (!c.details().isEmpty() && c.status() != CheckStatus.PASS) {
                sb.append("<pre>");
                for (String d : c.details()) {
                    sb.append(esc(d)).append('\n');
                }
                sb.append("</pre>");
            }
            sb.append("</td><td>").append(esc(c.pane())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** XML/HTML escaping, control characters (not allowed in XML) replaced. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch < 0x20 && ch != '\n' && ch != '\t' || ch == 0x7f ? '?' : ch);
            }
        }
        return b.toString();
    }

    /**
     * Saves a report: the file replaced whole (a reader never sees half a report), readable by the user alone, written
     * beside it and on the disk (fsync) before it replaces the previous one; a failure (a full disk) leaves the previous
     * report as it was and removes what it wrote. The CLI's {@code --report} and the Today pane's "Save as HTML…".
     */
    public static void save(java.nio.file.Path f, String text) throws java.io.IOException {
        java.nio.file.Path abs = f.toAbsolutePath();
        java.nio.file.Path tmp = abs.resolveSibling("." + abs.getFileName() + ".part");
        java.nio.file.Files.deleteIfExists(tmp); // a killed run's
        try {
            java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            java.nio.file.Files.createFile(tmp);
        }
        try {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true); // on disk before it replaces the previous report
            }
            java.nio.file.Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException | RuntimeException e) {
            try {
                java.nio.file.Files.deleteIfExists(tmp);
            } catch (java.io.IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }
}
