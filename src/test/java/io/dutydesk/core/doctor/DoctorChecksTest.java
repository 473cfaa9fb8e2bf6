package io.dutydesk.core.doctor;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.RemoteShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The doctor's judgements on what the server has, and the one shell script of the command checks run by a real sh. */
class DoctorChecksTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    static Environment env(String extra) {
        return EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1, user: deploy }
                """ + extra).require("ref");
    }

    static DoctorService doctor(Environment e) {
        return new DoctorService(e, null, CLOCK);
    }

    static Map<String, Check> byId(List<Check> checks) {
        Map<String, Check> m = new LinkedHashMap<>();
        checks.forEach(c -> m.put(c.id(), c));
        return m;
    }

    static final Map<String, String> COLUMNS = Map.of("id", "bigint", "event_type", "text", "payload", "jsonb", "status", "text",
            "created_at", "timestamptz", "published_at", "timestamptz");

    @Test
    void theProgramWordSkipsAssignmentsAndWrappersAndKeepsQuotedPaths() {
        assertEquals(Optional.of("./deployment/blue-green-deploy.sh"), ProgramWord.of("./deployment/blue-green-deploy.sh deploy {version}"));
        assertEquals(Optional.of("pg_dump"), ProgramWord.of("PGOPTIONS=-c\\ x FOO='a b' exec pg_dump -d x | gzip > {folder}/x.gz"));
        assertEquals(Optional.of("/opt/my tools/run.sh"), ProgramWord.of("'/opt/my tools/run.sh' backup"));
        assertEquals(Optional.of("curl"), ProgramWord.of("curl -fsS http://x/live; echo"));
        assertEquals(Optional.of("make"), ProgramWord.of("# don't\nmake deploy"));
        assertEquals(Optional.of("env"), ProgramWord.of("env"));
        assertEquals(Optional.empty(), ProgramWord.of("( cd x && ./run )"));
        assertEquals(Optional.empty(), ProgramWord.of("{ ./a; ./b; }"));
        assertEquals(Optional.empty(), ProgramWord.of("if true; then x; fi"));
        assertEquals(Optional.empty(), ProgramWord.of("$HOME/bin/deploy"));
        assertEquals("[ -f ~/'my bin/x' ] && [ -x ~/'my bin/x' ]", ProgramWord.test("~/my bin/x"));
        assertEquals("command -v 'a;b' >/dev/null 2>&1", ProgramWord.test("a;b"));
    }

    @Test
    void aMissingTableStopsTheOutboxChecksWithItsFix() {
        List<Check> c = doctor(env("")).outbox(DoctorService.result(OutboxSchema.noTable(), null));
        assertEquals(1, c.size());
        assertFalse(c.get(0).ok());
        assertTrue(c.get(0).detail().contains("no table selfology.event_outbox"), c.get(0).detail());
        assertTrue(c.get(0).fix().startsWith("outbox.table"), c.get(0).fix());
    }

    @Test
    void aWrongColumnIsNamedWithItsKeyAndTheTablesColumns() {
        Environment e = env("    outbox: { columns: { event_type: eventname } }\n");
        Map<String, Check> c = byId(doctor(e).outbox(DoctorService.result(new OutboxSchema(true, true, COLUMNS,
                Optional.of(List.of("pending", "processing", "published", "failed")), Map.of()), null)));
        Check col = c.get("outbox.columns");
        assertFalse(col.ok());
        assertTrue(col.detail().startsWith("no column eventname (outbox.columns.event_type)"), col.detail());
        assertTrue(col.detail().contains("it has created_at, event_type, id"), col.detail());
        assertTrue(c.get("outbox.statuses.failed").ok());
    }

    @Test
    void aStatusValueNoRowHasAndNoConstraintAllowsIsAProblemEitherWay() {
        Environment e = env("    outbox: { statuses: { failed: errored } }\n");
        // a CHECK constraint lists the values: errored is not one, and no row has it
        Map<String, Check> declared = byId(doctor(e).outbox(DoctorService.result(new OutboxSchema(true, true, COLUMNS,
                Optional.of(List.of("pending", "processing", "published", "failed")), Map.of("errored", false)), null)));
        Check f = declared.get("outbox.statuses.failed");
        assertFalse(f.ok());
        assertTrue(f.detail().contains("allows only pending, processing, published, failed"), f.detail());
        assertTrue(f.fix().contains("one of pending, processing, published, failed"), f.fix());
        assertTrue(declared.get("outbox.statuses.pending").ok());
        // nothing declares the values: a row having it is the only proof
        Map<String, Check> undeclared = byId(doctor(e).outbox(DoctorService.result(new OutboxSchema(true, true, COLUMNS,
                Optional.empty(), Map.of("pending", true, "processing", false, "published", true, "errored", false)), null)));
        assertFalse(undeclared.get("outbox.statuses.failed").ok());
        assertFalse(undeclared.get("outbox.statuses.processing").ok());
        assertTrue(undeclared.get("outbox.statuses.failed").fix().contains("CHECK (status IN"), undeclared.get("outbox.statuses.failed").fix());
        assertTrue(undeclared.get("outbox.statuses.pending").ok());
        // a row that has it settles it even where a constraint does not list it (a NOT VALID one)
        Map<String, Check> rows = byId(doctor(e).outbox(DoctorService.result(new OutboxSchema(true, true, COLUMNS,
                Optional.of(List.of("pending")), Map.of("processing", true, "published", true, "errored", true)), null)));
        assertTrue(rows.values().stream().allMatch(Check::ok), rows.toString());
    }

    @Test
    void anOutboxWithoutAProcessingStateIsCheckedWithoutItAndBackupsOffNeedNoBuiltInTools() {
        Environment e = env("    outbox: { statuses: { processing: ~ } }\n    backups: false\n");
        Map<String, Check> m = byId(doctor(e).outbox(DoctorService.result(new OutboxSchema(true, true, COLUMNS,
                Optional.of(List.of("pending", "published", "failed")), Map.of()), null)));
        assertTrue(m.values().stream().allMatch(Check::ok), m.toString());
        assertTrue(m.get("outbox.statuses.processing").detail().startsWith("not configured"), m.toString());
        assertFalse(doctor(e).usesBuiltins(), "backups: false runs no built-in backup job: pg_dump/psql/gzip not needed");
        assertTrue(doctor(env("")).usesBuiltins());
    }

    @Test
    void aTableTheRoleMayNotReadIsAProblemWithTheGrant() {
        Check c = doctor(env("")).outbox(DoctorService.result(new OutboxSchema(true, false, COLUMNS, Optional.empty(), Map.of()), null)).get(0);
        assertFalse(c.ok());
        assertTrue(c.fix().startsWith("GRANT SELECT ON selfology.event_outbox TO"), c.fix());
    }

    static RemoteShell.RemoteFile file(String name) {
        return new RemoteShell.RemoteFile(name, 10, Instant.parse("2026-12-01T00:00:00Z"), false);
    }

    @Test
    void aBackupPatternMatchingNothingAndAnUnreadableTimestampAreProblems() {
        Environment e = env("""
                    backups:
                      folders: [/b, /missing]
                      kinds:
                        full: { pattern: 'selfology_full_(\\d{8}_\\d{6})\\.sql\\.gz' }
                        nightly: { pattern: 'nightly-(\\d+)\\.dump' }
                        weekly: { pattern: 'weekly-(\\d{8})\\.sql', timestampFormat: yyyyMMdd_HHmmss }
                """);
        Map<String, DoctorService.Result<List<RemoteShell.RemoteFile>>> listed = new LinkedHashMap<>();
        listed.put("/b", DoctorService.result(List.of(file("selfology_full_20261201_030000.sql.gz"), file("weekly-20261129.sql")), null));
        listed.put("/missing", DoctorService.result(null, "no such file or folder"));
        Map<String, Check> c = byId(doctor(e).backupChecks(listed));
        assertTrue(c.get("backups.folder:/b").ok());
        assertFalse(c.get("backups.folder:/missing").ok());
        assertTrue(c.get("backups.kinds.full").ok(), c.get("backups.kinds.full").toString());
        Check nightly = c.get("backups.kinds.nightly");
        assertFalse(nightly.ok());
        assertTrue(nightly.detail().contains("matches no file in /b, /missing"), nightly.detail());
        Check weekly = c.get("backups.kinds.weekly");
        assertFalse(weekly.ok());
        assertTrue(weekly.detail().contains("does not read weekly-20261129.sql"), weekly.detail());
    }

    /** The command checks' one script, run by a real sh in a folder standing for the workdir. */
    @Test
    void theCommandScriptTellsExecutableMissingAndNotExecutablePrograms(@TempDir Path dir) throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("deploy.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(scripts.resolve("deploy.sh"), PosixFilePermissions.fromString("rwx------"));
        Files.writeString(scripts.resolve("plain.sh"), "#!/bin/sh\n");
        Environment e = env("""
                    deploy:
                      workdir: %s
                      commands:
                        status: ./scripts/deploy.sh status
                        deploy: ./scripts/deploy.sh deploy {version}
                        switch: ./scripts/plain.sh switch
                        rollback: no-such-program-dutydesk rollback
                        cleanup: ( ./scripts/deploy.sh cleanup )
                    backups:
                      commands:
                        backup: sh -c 'echo backup'
                        list: ./scripts/missing.sh list
                        restore: builtin
                """.formatted(dir));
        DoctorService d = doctor(e);
        Map<String, String> templates = d.commandTemplates();
        assertFalse(templates.containsKey("backups.commands.restore"), "builtin is not a command");
        String stdout = sh(d.commandScript(templates));
        Map<String, Check> c = byId(d.commandChecks(templates, Optional.of(stdout), null));
        assertTrue(c.get("deploy.workdir").ok());
        assertTrue(c.get("command:deploy.commands.status").ok());
        assertTrue(c.get("command:deploy.commands.deploy").ok());
        assertTrue(c.get("command:backups.commands.backup").ok());
        assertTrue(c.get("command:deploy.commands.cleanup").ok(), "a shell construct is not checked");
        Check plain = c.get("command:deploy.commands.switch");
        assertFalse(plain.ok());
        assertTrue(plain.detail().contains("exists but is not executable"), plain.detail());
        Check missing = c.get("command:backups.commands.list");
        assertFalse(missing.ok());
        assertTrue(missing.detail().startsWith("no file ./scripts/missing.sh in " + dir), missing.detail());
        assertTrue(missing.fix().startsWith("backups.commands.list in the environments file"), missing.fix());
        Check noProgram = c.get("command:deploy.commands.rollback");
        assertFalse(noProgram.ok());
        assertTrue(noProgram.detail().startsWith("no program no-such-program-dutydesk"), noProgram.detail());
        assertTrue(c.containsKey("backups.builtin"), "the built-in restore needs pg_dump, psql, gzip");
        // a workdir that is not there
        Environment gone = env("    deploy: { workdir: " + dir.resolve("gone") + " }\n");
        DoctorService g = doctor(gone);
        Map<String, Check> none = byId(g.commandChecks(g.commandTemplates(), Optional.of(sh(g.commandScript(g.commandTemplates()))), null));
        assertFalse(none.get("deploy.workdir").ok());
        assertEquals(1, none.size());
        // no answer at all
        assertFalse(byId(g.commandChecks(g.commandTemplates(), Optional.empty(), "timed out")).get("deploy.workdir").ok());
    }

    static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return out;
    }
}
