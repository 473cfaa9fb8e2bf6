package io.dutydesk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dutydesk check}: the JSON shape, and usage refused (exit 2) before anything connects. */
class CheckCliTest {
    @TempDir
    Path dir;

    @Test
    void theJsonShape() throws Exception {
        CheckRun r = new CheckRun(1, "ref", Instant.parse("2026-03-10T08:00:00Z"), "alice", List.of(
                new CheckResult("outbox", "Outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 150 ≥ 100, oldest 40 s", List.of(),
                        "outbox", Optional.of(CheckStatus.PASS), Duration.ZERO),
                new CheckResult("ai-cost", "AI cost", CheckSource.PROMETHEUS, CheckStatus.UNKNOWN, "prometheus not read: down", List.of("x"),
                        "metrics", Optional.empty(), Duration.ZERO)), Optional.of(Instant.parse("2026-03-09T08:00:00Z")));
        JsonNode j = new ObjectMapper().readTree(Json.write(CheckCommand.json(r)));
        assertEquals("ref", j.get("env").asText());
        assertEquals("2026-03-10T08:00:00Z", j.get("at").asText());
        assertEquals("unknown", j.get("checks").get(1).get("status").asText());
        JsonNode c = j.get("checks").get(0);
        assertEquals(List.of("id", "title", "source", "status", "evidence", "changed", "previous", "pane", "details"),
                iterable(c.fieldNames()));
        assertEquals("outbox", c.get("id").asText());
        assertEquals("outbox", c.get("source").asText());
        assertEquals("warn", c.get("status").asText());
        assertEquals("pending 150 ≥ 100, oldest 40 s", c.get("evidence").asText());
        assertTrue(c.get("changed").asBoolean());
        assertEquals("prometheus", j.get("checks").get(1).get("source").asText());
        assertTrue(j.get("checks").get(1).get("previous").isNull());
        assertEquals("warn", j.get("status").asText(), "the worst of warn and unknown");
    }

    /**
     * A report that cannot be written (here a folder in its place: the write succeeds, the rename fails, as a full disk
     * fails the write): the previous one is left as it was and nothing of the attempt stays beside it.
     */
    @Test
    void aReportThatCannotBeWrittenLeavesThePreviousOneAndNoPartFile() throws Exception {
        Path f = dir.resolve("r.html");
        Files.createDirectories(f.resolve("previous"));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> CheckCommand.write(f, "<html>new</html>"));
        assertTrue(Files.isDirectory(f.resolve("previous")));
        try (var l = Files.list(dir)) {
            assertEquals(List.of("r.html"), l.map(p -> p.getFileName().toString()).toList(), "no .part left");
        }
        // written: the whole text, 0600
        Path g = dir.resolve("g.md");
        CheckCommand.write(g, "# report\n");
        assertEquals("# report\n", Files.readString(g));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(g)));
    }

    /** The results are printed before the report is written: a report that fails loses nothing, says why, exits 1. */
    @Test
    void aFailedReportStillPrintsTheResultsAndExits1() throws Exception {
        Path f = dir.resolve("r.html");
        Files.createDirectories(f.resolve("previous"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CheckCommand c = new CheckCommand(new PrintStream(out, true), new PrintStream(err, true), MemoryAuditLog.create(), "alice",
                null, null, java.time.Clock.systemUTC());
        int code = c.run(List.of(), true, new CheckCommand.Options(Optional.of(f), Optional.empty(), List.of()), true, e -> {
            throw new AssertionError("no environment to open");
        });
        assertEquals(Cli.DOWN, code);
        assertEquals("[ ]", out.toString().strip(), "the JSON printed before the report was tried: " + out);
        assertTrue(err.toString().contains("the report " + f + " could not be written ("), err.toString());
        assertTrue(err.toString().contains("the previous report is left as it was"), err.toString());
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    int run(String... args) throws Exception {
        Path config = dir.resolve("e.yaml");
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: 127.0.0.1, port: 1 }\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.addAll(List.of("--config", config.toString()));
        Cli cli = new Cli((e, h, s) -> {
            throw new AssertionError("usage is refused before connecting");
        }, io.dutydesk.core.ports.SecretPrompt.NONE, n -> null,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), MemoryAuditLog.create(), "alice", Confirmer.TERMINAL);
        int code = cli.run(argv);
        this.err = err.toString();
        return code;
    }

    String err;

    @Test
    void usageIsRefusedWithExit2BeforeConnecting() throws Exception {
        assertEquals(Cli.USAGE, run("check"));
        assertTrue(err.contains("check needs --env NAME"), err);
        assertEquals(Cli.USAGE, run("check", "--env", "ref", "--report", "out.txt"));
        assertTrue(err.contains("--report FILE.md (Markdown) or FILE.html"), err);
        assertEquals(Cli.USAGE, run("check", "--env", "ref", "--push", "ftp://x"));
        assertEquals(Cli.USAGE, run("check", "--env", "ref", "--push"));
        assertEquals(Cli.USAGE, run("check", "--env", "ref", "extra"));
        assertEquals(Cli.USAGE, run("check", "--env", "nope"));
        assertTrue(err.contains("unknown environment 'nope'"), err);
        assertEquals(Cli.USAGE, run("outbox", "--env", "ref", "--report", "a.md"));
        assertTrue(err.contains("--report and --push are for check"), err);
    }

    /** A report that cannot be put in place leaves nothing behind (a full disk left an empty ".r.html.part" next to it). */
    @Test
    void aReportThatCannotBeWrittenLeavesNoPartFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path target = dir.resolve("r.html");
        java.nio.file.Files.createDirectories(target.resolve("in-the-way")); // a non-empty folder where the report goes: the move fails
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> CheckCommand.write(target, "<html/>"));
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(List.of("r.html"), files.map(f -> f.getFileName().toString()).toList());
        }
        CheckCommand.write(dir.resolve("ok.md"), "# ok\n");
        assertEquals("# ok\n", java.nio.file.Files.readString(dir.resolve("ok.md")));
    }
}
