package io.dutydesk.it;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The defects of issue 6 (actions), each against the reference host's real sshd, script and nginx:
 * two consoles rolling back at once, a plan made stale by another console, the lock race, a
 * killed CLI action; and of issue 14: a target that turned unhealthy after planning, a degraded
 * live slot in {@code status}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActionSafetyIT {
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path tmp;

    private record Console(Connector.Opened handle, RolloutService rollout, SlotsReader slots, Path audit)
            implements AutoCloseable {
        @Override
        public void close() {
            handle.close();
        }
    }

    private Console console(String name) {
        // per-call timeouts for a loaded build machine (the first Docker read of a cold JVM can be slow)
        Environment env = io.dutydesk.core.config.EnvironmentsFile.load(RefHost.patientConfig(tmp)).require("ref");
        Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE);
        SlotsReader slots = new SlotsReader(env, h.containers(), h.shell(), CLOCK);
        Path audit = tmp.resolve(name + "-audit.jsonl");
        return new Console(h, new RolloutService(env, slots, h.outbox(), h.containers(), h.shell(),
                new JsonlAuditLog(audit), "it-" + name + "@test", CLOCK), slots, audit);
    }

    private static String version() {
        return "v3." + (System.currentTimeMillis() / 1000 % 100000) + "." + (int) (Math.random() * 1000);
    }

    /** The idle slot healthy (deployed if it was cleaned up), so that switch and rollback may run. */
    private static void rollbackReady(Console c) {
        if (!c.slots().read().join().rollbackReady()) {
            assertTrue(c.rollout().run(c.rollout().plan(Verb.DEPLOY, Optional.of(version()), false).join(), (e, l) -> { })
                    .join().succeeded());
        }
        Eventually.await("rollback ready", Duration.ofSeconds(60), () -> c.slots().read().join().rollbackReady());
    }

    private static void lockFree(Console c) {
        Eventually.await("no action holds the server lock", Duration.ofSeconds(120),
                () -> c.rollout().current().join().isEmpty());
    }

    private static Throwable outcome(CompletableFuture<ActionResult> f) {
        try {
            ActionResult r = f.join();
            assertTrue(r.succeeded(), r.message());
            return null;
        } catch (CompletionException e) {
            return Errors.unwrap(e);
        }
    }

    @Test
    @Order(1)
    void twoConsolesRollingBackAtTheSameMomentFlipTrafficExactlyOnce() throws Exception {
        try (Console a = console("a"); Console b = console("b")) {
            lockFree(a);
            rollbackReady(a);
            String live0 = RefHost.nginx("/live-upstream").strip();
            // both engineers open the confirmation on the same state...
            Plan pa = a.rollout().plan(Verb.ROLLBACK, Optional.empty(), false).join();
            Plan pb = b.rollout().plan(Verb.ROLLBACK, Optional.empty(), false).join();
            assertEquals(live0, pa.liveBefore());
            assertEquals(live0, pb.liveBefore());
            // ...and confirm at the same moment
            CompletableFuture<ActionResult> fa = a.rollout().run(pa, (e, l) -> { });
            CompletableFuture<ActionResult> fb = b.rollout().run(pb, (e, l) -> { });
            Throwable ea = outcome(fa);
            Throwable eb = outcome(fb);
            assertTrue(ea == null ^ eb == null, "exactly one runs: " + ea + " / " + eb);
            // the one that was refused tries again as soon as the lock is free: its plan is stale now
            Console loser = ea == null ? b : a;
            Plan stale = ea == null ? pb : pa;
            lockFree(loser);
            CompletionException again = assertThrows(CompletionException.class,
                    () -> loser.rollout().run(stale, (e, l) -> { }).join());
            RolloutException re = assertInstanceOf(RolloutException.class, Errors.unwrap(again));
            assertTrue(re.getMessage().contains("state changed since you confirmed: live is now " + pa.target()),
                    re.getMessage());
            assertEquals(pa.target(), RefHost.nginx("/live-upstream").strip(), "traffic moved exactly once");
        }
    }

    @Test
    @Order(2)
    void aPlanMadeStaleBySwitchFromAnotherConsoleIsRefusedOnTheServerAndNothingRuns() throws Exception {
        try (Console a = console("stale-a"); Console b = console("stale-b")) {
            lockFree(a);
            rollbackReady(a);
            String live0 = RefHost.nginx("/live-upstream").strip();
            Plan stale = a.rollout().plan(Verb.SWITCH, Optional.empty(), false).join();
            assertEquals(live0, stale.liveBefore());
            // meanwhile another console switches
            assertTrue(b.rollout().run(b.rollout().plan(Verb.SWITCH, Optional.empty(), false).join(), (e, l) -> { })
                    .join().succeeded());
            String live1 = RefHost.nginx("/live-upstream").strip();
            assertNotEquals(live0, live1);
            List<String> lines = new ArrayList<>();
            CompletionException e = assertThrows(CompletionException.class,
                    () -> a.rollout().run(stale, (x, l) -> lines.add(l)).join());
            RolloutException re = assertInstanceOf(RolloutException.class, Errors.unwrap(e));
            assertTrue(re.getMessage().contains("state changed since you confirmed: live is now " + live1
                    + "; nothing was run"), re.getMessage());
            assertEquals(live1, RefHost.nginx("/live-upstream").strip(), "traffic did not move");
            assertFalse(lines.stream().anyMatch(l -> l.contains("Switching") || l.contains("switch")), lines.toString());
            List<AuditEntry> audit = new JsonlAuditLog(a.audit()).recent(10).join();
            assertEquals("refused", audit.get(audit.size() - 1).result(), audit.toString());
        }
    }

    @Test
    @Order(3)
    void manySimultaneousStartsOverTheRealSshdOneWins() throws Exception {
        Environment env = RefHost.ref();
        int consoles = 3;
        int perConsole = 4;
        List<Console> cs = new ArrayList<>();
        try {
            for (int i = 0; i < consoles; i++) {
                cs.add(console("race" + i));
            }
            lockFree(cs.get(0));
            for (Console c : cs) {
                c.handle().shell().exec("true", Duration.ofSeconds(30), RemoteShell.OutputListener.NONE).join(); // connected
            }
            CountDownLatch go = new CountDownLatch(1);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(consoles * perConsole); // all at once, truly
            List<CompletableFuture<RemoteShell.ExecResult>> starts = new ArrayList<>();
            int n = 0;
            for (Console c : cs) {
                for (int j = 0; j < perConsole; j++) {
                    String id = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                            .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()) + "-race-" + String.format("%08x", n++);
                    String script = ActionScripts.start(env.deploy().stateDir(), id,
                            ActionScripts.job(env.deploy().workdir(), "sleep 3", Optional.empty(), Duration.ofSeconds(60)),
                            "{\"id\":\"" + id + "\",\"action\":\"race\"}");
                    starts.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return c.handle().shell().exec(script, Duration.ofSeconds(60), RemoteShell.OutputListener.NONE).join();
                    }, pool));
                }
            }
            go.countDown();
            int won = 0;
            int busy = 0;
            for (var f : starts) {
                String out = f.get(90, TimeUnit.SECONDS).stdout();
                if (out.contains(ActionScripts.STARTED)) {
                    won++;
                } else if (out.contains(ActionScripts.BUSY)) {
                    busy++;
                }
            }
            assertEquals(1, won, "exactly one start wins the lock (busy: " + busy + ")");
            assertEquals(consoles * perConsole - 1, busy);
            pool.shutdown();
            lockFree(cs.get(0));
        } finally {
            cs.forEach(Console::close);
        }
    }

    @Test
    @Order(4)
    void aKilledCliActionLeavesAStartedEntryCompletedLater() throws Exception {
        Path audit = tmp.resolve("cli-audit.jsonl");
        try (Console c = console("killer")) {
            lockFree(c);
            for (boolean forcibly : new boolean[] {false, true}) {
                // the CLI as RefHost.dutydesk starts it (client compiler, the build's class-data archive): the same console, sooner
                List<String> cmd = new ArrayList<>(RefHost.javaJar(List.of()));
                cmd.addAll(List.of("deploy", version(), "--env", "ref", "--config", RefHost.patientConfig(tmp).toString(), "--yes"));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("cli-" + forcibly + ".out").toFile());
                pb.environment().put("DUTYDESK_AUDIT_LOG", audit.toString());
                Process p = pb.start();
                try {
                    Eventually.await(() -> "the deploy runs on the server; " + out(tmp.resolve("cli-" + forcibly + ".out")),
                            Duration.ofSeconds(60),
                            () -> c.rollout().current().join().map(x -> x.id().contains("-deploy-")).orElse(false));
                } finally {
                    if (forcibly) {
                        p.destroyForcibly(); // SIGKILL: no chance to write anything
                    } else {
                        p.destroy(); // SIGTERM: the shutdown hook completes the entry
                    }
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                }
                List<AuditEntry> entries = raw(audit);
                AuditEntry started = entries.get(entries.size() - (forcibly ? 1 : 2));
                assertEquals("started", started.result(), entries.toString());
                assertTrue(started.actionId() != null && started.actionId().contains("-deploy-"), started.toString());
                if (!forcibly) {
                    AuditEntry end = entries.get(entries.size() - 1);
                    assertEquals(started.actionId(), end.actionId());
                    assertEquals("interrupted", end.result(), end.toString());
                }
                lockFree(c); // the deploy goes on on the server and ends
            }
            // the next CLI command reads the server's exit files and completes what was left open
            RefHost.Result r = RefHost.dutydesk(Duration.ofSeconds(120), List.of(),
                    java.util.Map.of("DUTYDESK_AUDIT_LOG", audit.toString()),
                    "audit", "--env", "ref", "--config", RefHost.patientConfig(tmp).toString(), "--json");
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            List<AuditEntry> entries = raw(audit);
            List<String> ids = entries.stream().filter(x -> "started".equals(x.result())).map(AuditEntry::actionId).toList();
            assertEquals(2, ids.size(), entries.toString());
            for (String id : ids) {
                AuditEntry last = entries.stream().filter(x -> id.equals(x.actionId())).reduce((x, y) -> y).orElseThrow();
                assertEquals("ended", last.result(), "completed from the server's exit file: " + last);
                assertEquals(0, last.exitCode());
            }
            assertEquals(2, new ObjectMapperHolder().rows(r.stdout()), "one row per action: " + r.stdout());
        }
    }

    @Test
    @Order(5)
    void aTargetThatTurnedUnhealthyAfterPlanningIsRefusedInsideTheLockAtTheClickAndNothingRuns() throws Exception {
        try (Console c = console("target")) {
            lockFree(c);
            rollbackReady(c);
            String live0 = RefHost.nginx("/live-upstream").strip();
            Plan plan = c.rollout().plan(Verb.ROLLBACK, Optional.empty(), false).join();
            assertTrue(plan.blocked().isEmpty(), plan.blocked().toString());
            String target = plan.target();
            assertTrue(plan.facts().get(0).equals(target + " 4/4 healthy"), plan.facts().toString());
            // while the confirmation is open, the target turns unhealthy
            Path flag = RefHost.serverHome().resolve("ctl/selfology-analysis-worker-" + target + "/unhealthy");
            Files.createDirectories(flag.getParent());
            Files.writeString(flag, "");
            try {
                Eventually.await("docker marks it unhealthy", Duration.ofSeconds(60),
                        () -> !c.slots().read().join().rollbackReady());
                String why = "state changed since you confirmed: the " + target + " slot is now unhealthy (selfology-analysis-worker-"
                        + target + ": unhealthy); nothing was run";
                long actions = actionCount();

                // the click: the server checks what the plan was confirmed on inside the lock, and refuses before the command
                List<String> lines = new ArrayList<>();
                CompletionException server = assertThrows(CompletionException.class,
                        () -> c.rollout().run(plan, (x, l) -> lines.add(l), s -> { }).join());
                assertEquals(actions + 1, actionCount(), "one job on the server, refused inside the lock");
                RolloutException sre = assertInstanceOf(RolloutException.class, Errors.unwrap(server));
                assertEquals(RolloutException.Kind.STALE, sre.kind());
                assertEquals(why, sre.getMessage(), "the server's words, as the console says them");
                assertEquals(live0, RefHost.nginx("/live-upstream").strip(), "traffic did not move");
                AuditEntry refusedOnServer = last(c.audit());
                assertEquals("refused", refusedOnServer.result());
                assertTrue(refusedOnServer.actionId() != null && refusedOnServer.actionId().contains("-rollback-"),
                        raw(c.audit()) + " lines: " + lines);
                assertEquals("refused", Files.readString(actionsDir().resolve(refusedOnServer.actionId() + ".exit")).strip(),
                        "the server's exit file: refused, the command not run");
                String serverLog = Files.readString(actionsDir().resolve(refusedOnServer.actionId() + ".log"));
                assertEquals(1, serverLog.lines().count(), "only the refusal in the job's log: " + serverLog);
            } finally {
                Files.deleteIfExists(flag);
            }
            Eventually.await("healthy again", Duration.ofSeconds(60), () -> c.slots().read().join().rollbackReady());
        }
    }

    @Test
    @Order(6)
    void statusExitsOneWhileALiveContainerIsStopped() throws Exception {
        try (Console c = console("status")) {
            lockFree(c);
            String live = c.slots().read().join().liveSlot();
            String name = "selfology-analysis-worker-" + live;
            RefHost.Result ok = RefHost.dutydesk(Duration.ofSeconds(60), "status", "--env", "ref", "--config",
                    RefHost.patientConfig(tmp).toString());
            assertEquals(0, ok.exitCode(), ok.toString());
            RefHost.run(Duration.ofSeconds(60), "docker", "stop", "-t", "1", name);
            try {
                RefHost.Result degraded = RefHost.dutydesk(Duration.ofSeconds(60), "status", "--env", "ref", "--config",
                        RefHost.patientConfig(tmp).toString(), "--json");
                assertEquals(1, degraded.exitCode(), degraded.toString());
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(degraded.stdout());
                assertFalse(json.get("liveHealthy").asBoolean());
                assertEquals(name + ": exited", json.get("liveProblems").get(0).asText());
                java.time.Instant.parse(json.get("takenAt").asText());
            } finally {
                RefHost.run(Duration.ofSeconds(60), "docker", "start", name);
            }
            Eventually.await("the live slot healthy again", Duration.ofSeconds(60),
                    () -> c.slots().read().join().live().allReady());
        }
    }

    private static Path actionsDir() {
        return RefHost.serverHome().resolve(".dutydesk/actions");
    }

    private static long actionCount() throws Exception {
        if (!Files.isDirectory(actionsDir())) {
            return 0;
        }
        try (java.util.stream.Stream<Path> s = Files.list(actionsDir())) {
            return s.filter(p -> p.toString().endsWith(".meta")).count();
        }
    }

    private static AuditEntry last(Path audit) throws Exception {
        List<AuditEntry> all = raw(audit);
        return all.get(all.size() - 1);
    }

    private static String out(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Every line of the JSONL file, unmerged. */
    private static List<AuditEntry> raw(Path audit) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().registerModule(
                new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        List<AuditEntry> out = new ArrayList<>();
        for (String l : Files.readAllLines(audit)) {
            if (!l.isBlank()) {
                out.add(json.readValue(l, AuditEntry.class));
            }
        }
        return out;
    }

    private static final class ObjectMapperHolder {
        int rows(String json) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("actions").size();
        }
    }
}
