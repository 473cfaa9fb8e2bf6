package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code checks} and {@code checkSchedule}: the runbook's list by default, a team's own list, and clear errors. */
class ChecksConfigTest {
    static Environment load(String extra) {
        return EnvironmentsFile.parse(Path.of("c.yaml"), "environments:\n  e:\n    ssh: { host: h }\n" + extra).require("e");
    }

    static ConfigException refused(String extra) {
        return assertThrows(ConfigException.class, () -> load(extra));
    }

    @Test
    void withoutChecksTheRunbooksDailyList() {
        Environment e = load("");
        assertEquals(List.of("slots", "outbox", "alerts", "backups", "error-rate", "logs", "disk"),
                e.checks().list().stream().map(Environment.Check::id).toList());
        Environment.Check rate = e.checks().list().get(4);
        assertEquals("prometheus", rate.kind());
        assertEquals(Optional.of(0.01), rate.max());
        assertTrue(rate.percent());
        assertEquals(Map.of("backups", "~/backups/selfology", "database", "/var/lib/postgresql"), e.checks().list().get(6).paths());
        assertEquals(List.of(LocalTime.of(9, 0)), e.checks().times());
        assertEquals(LocalTime.of(18, 0), e.checks().overnightSince());
        assertEquals(LocalTime.of(12, 0), e.checks().todayFirstBefore());
        // a part switched off is not checked
        assertEquals(List.of("slots", "outbox", "error-rate", "logs", "disk"),
                load("    alertmanager: false\n    backups: false\n").checks().list().stream().map(Environment.Check::id).toList());
        assertEquals(Map.of("database", "/var/lib/postgresql"), load("    backups: false\n").checks().list().get(5).paths());
    }

    @Test
    void aSingleStacksChecksAreTitledForTheStackInTheDefaultListAndInATeamsOwn() {
        String single = "    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n";
        Environment e = load(single);
        assertEquals(List.of("slots", "outbox", "alerts", "backups", "error-rate", "logs", "disk"),
                e.checks().list().stream().map(Environment.Check::id).toList());
        assertEquals("Stack healthy, rollback ready", e.checks().list().get(0).title());
        assertEquals("Error lines in the stack's logs", e.checks().list().get(5).title());
        Environment own = load(single + "    checks:\n      slots:\n      logs: { warnAt: 2 }\n");
        assertEquals(List.of("Stack healthy, rollback ready", "Error lines in the stack's logs"),
                own.checks().list().stream().map(Environment.Check::title).toList());
        assertEquals("Live slot healthy, rollback ready", load("").checks().list().get(0).title(), "blue-green keeps its titles");
    }

    @Test
    void aTeamsOwnListInFileOrderWithACustomPromqlCheckAndTheSchedule() {
        Environment e = load("""
                    backups: { folders: [/srv/b] }
                    checks:
                      slots:
                      ai-cost: { kind: prometheus, title: AI cost per day, query: 'sum(increase(ai_cost_dollars_total[1d]))', min: 10, max: 20, unit: '$', outside: fail }
                      logs: { pattern: '(?i)error', warnAt: 5, failAt: 50, newest: 5, services: [api] }
                      disk: { warnFreePercent: 30, failFreePercent: 5 }
                      night: { kind: alerts, resolved: pass }
                      backups: { verify: false, timeoutSeconds: 60 }
                    checkSchedule: { times: ["09:00", "13:30"], overnightSince: "20:00", todayFirstBefore: "11:00", timeZone: Europe/Berlin }
                """);
        List<Environment.Check> l = e.checks().list();
        assertEquals(List.of("slots", "ai-cost", "logs", "disk", "night", "backups"), l.stream().map(Environment.Check::id).toList());
        Environment.Check cost = l.get(1);
        assertEquals("AI cost per day", cost.title());
        assertEquals(Optional.of(10.0), cost.min());
        assertEquals(Optional.of(20.0), cost.max());
        assertEquals("fail", cost.outside());
        assertEquals("$", cost.unit());
        Environment.Check logs = l.get(2);
        assertEquals(5, logs.warnAt());
        assertEquals(50, logs.failAt());
        assertEquals(List.of("api"), logs.services());
        assertTrue(logs.pattern().matcher("an Error here").find());
        assertEquals(Map.of("backups", "/srv/b", "database", "/var/lib/postgresql"), l.get(3).paths());
        assertEquals(30, l.get(3).warnFreePercent());
        assertEquals("pass", l.get(4).resolved());
        assertEquals("alerts", l.get(4).kind());
        assertEquals(false, l.get(5).verify());
        assertEquals(Duration.ofSeconds(60), l.get(5).timeout());
        assertEquals(List.of(LocalTime.of(9, 0), LocalTime.of(13, 30)), e.checks().times());
        assertEquals(LocalTime.of(20, 0), e.checks().overnightSince());
        assertEquals(LocalTime.of(11, 0), e.checks().todayFirstBefore());
        assertEquals(Optional.of(ZoneId.of("Europe/Berlin")), e.checks().zone());
    }

    @Test
    void badInputIsRefusedWithTheFileLineAndField() {
        ConfigException kind = refused("    checks:\n      nightly: { title: x }\n");
        assertEquals(5, kind.line());
        assertEquals("environments.e.checks.nightly", kind.field());
        assertTrue(kind.problem().startsWith("needs a kind"), kind.problem());
        assertTrue(refused("    checks:\n      x: { kind: smoke }\n").getMessage().contains("unknown kind 'smoke'"));
        ConfigException q = refused("    checks:\n      cost: { kind: prometheus, max: 3 }\n");
        assertTrue(q.problem().contains("needs its query"), q.getMessage());
        assertTrue(refused("    checks:\n      cost: { kind: prometheus, query: up }\n").problem().contains("needs a bound"));
        ConfigException minMax = refused("    checks:\n      cost:\n        kind: prometheus\n        query: up\n        min: 20\n        max: 10\n");
        assertEquals(8, minMax.line());
        assertEquals("environments.e.checks.cost.min", minMax.field());
        assertTrue(refused("    checks:\n      cost: { kind: prometheus, query: up, max: ten }\n").problem().contains("expected a number"));
        ConfigException wrongKey = refused("    checks:\n      slots: { query: up }\n");
        assertEquals("'query' is for checks of kind prometheus, not slots", wrongKey.problem());
        assertTrue(refused("    checks:\n      slots: { pattren: x }\n").problem().contains("did you mean 'pattern'"));
        assertTrue(refused("    checks:\n      logs: { pattern: '(' }\n").problem().contains("not a valid regular expression"));
        assertTrue(refused("    checks:\n      logs: { warnAt: 10, failAt: 5 }\n").problem().contains("must not be below warnAt"));
        assertTrue(refused("    checks:\n      disk: { warnFreePercent: 5, failFreePercent: 10 }\n").problem().contains("must not be above"));
        assertTrue(refused("    checks:\n      disk: { paths: { b: relative/dir } }\n").problem().contains("a server path"));
        assertTrue(refused("    checks:\n      alerts: { resolved: fail }\n").problem().contains("one of pass, warn"));
        assertTrue(refused("    checks: {}\n").problem().contains("lists no check"));
        assertEquals("a backups check, but this environment has backups: false",
                refused("    backups: false\n    checks: { backups: }\n").problem());
        assertEquals("an alerts check, but this environment has alertmanager: false",
                refused("    alertmanager: false\n    checks: { night: { kind: alerts } }\n").problem());
        ConfigException time = refused("    checkSchedule: { times: ['9am'] }\n");
        assertEquals("environments.e.checkSchedule.times[0]", time.field());
        assertTrue(time.problem().contains("HH:MM"), time.problem());
        assertTrue(refused("    checkSchedule: { overnightSince: '25:00' }\n").problem().contains("HH:MM"));
        assertTrue(refused("    checkSchedule: { timeZone: Mars/Olympus }\n").problem().contains("not a time zone"));
    }
}
