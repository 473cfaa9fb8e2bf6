package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy / switch / rollback / cleanup against the reference host's real script, Docker and nginx. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutIT {
    private static final Duration T = Duration.ofSeconds(120);
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path tmp;

    private static String version() {
        return "v2." + (System.currentTimeMillis() / 1000 % 100000) + "." + (int) (Math.random() * 1000);
    }

    private static Path actionsDir() {
        return RefHost.serverHome().resolve(".dutydesk/actions");
    }

    private static long actionCount() throws Exception {
        if (!Files.isDirectory(actionsDir())) {
            return 0;
        }
        try (Stream<Path> s = Files.list(actionsDir())) {
            return s.filter(p -> p.toString().endsWith(".meta")).count();
        }
    }

    private JsonNode cli(int expectedExit, Path audit, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", RefHost.patientConfig(tmp).toString(), "--yes", "--json"));
        RefHost.Result r = RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString()),
                all.toArray(String[]::new));
        assertEquals(expectedExit, r.exitCode(), r.stdout() + "\n" + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    @Test
    @Order(1)
    void deploySwitchRollbackThroughTheCliWithAnAuditEntryEach() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        String before = RefHost.nginx("/question-selection/version");
        String live = RefHost.nginx("/live-upstream");
        String v = version();

        JsonNode deploy = cli(0, audit, "deploy", v);
        assertTrue(deploy.get("verified").asBoolean());
        assertEquals(live, deploy.get("liveBefore").asText());
        assertEquals(live, deploy.get("liveAfter").asText(), "deploy goes to the idle slot");
        assertEquals(before, RefHost.nginx("/question-selection/version"), "traffic unchanged by a deploy");

        JsonNode sw = cli(0, audit, "switch");
        assertEquals(live, sw.get("liveBefore").asText());
        assertFalse(live.equals(sw.get("liveAfter").asText()));
        assertEquals(v, RefHost.nginx("/question-selection/version"), "nginx serves the new version");
        assertTrue(sw.get("elapsedMs").asLong() > 0);

        JsonNode rb = cli(0, audit, "rollback");
        assertEquals(live, rb.get("liveAfter").asText());
        assertEquals(before, RefHost.nginx("/question-selection/version"), "nginx serves the old version again");

        List<AuditEntry> raw = new JsonlAuditLog(audit).recent(10).join();
        assertEquals(List.of("started", "succeeded", "started", "succeeded", "started", "succeeded"),
                raw.stream().map(AuditEntry::result).toList(), "each action: started before, completed after");
        List<AuditEntry> entries = io.dutydesk.core.audit.AuditRows.fold(raw, id -> false);
        assertEquals(List.of("deploy", "switch", "rollback"), entries.stream().map(AuditEntry::action).toList());
        for (AuditEntry e : entries) {
            assertEquals("succeeded", e.result());
            assertEquals(0, e.exitCode());
            assertEquals(64, e.outputSha256().length());
            assertEquals("ref", e.environment());
            assertTrue(e.actor().contains("@"));
            assertFalse(e.end().isBefore(e.start()));
        }
        assertEquals(List.of(v), entries.get(0).args());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(audit)), "the audit log is the user's alone");
    }

    /**
     * Issue 16, the cold CLI: {@code dutydesk rollback --yes} makes exactly one exec on the server — it takes the lock,
     * reads the live slot and the slots' containers (docker on the server) inside it, waits for the console's plan
     * ("go"), runs the script and reads the state after it (the verification) — and asks no other backend (no
     * Docker API, PostgreSQL, Redis, Prometheus or Alertmanager call). Counted on the real SSH adapter (a proxy around
     * the opened environment); twice, so the live slot ends where it started.
     */
    @Test
    @Order(1)
    void theCliRollbackIsOneExecPlannedInsideTheLockAndAsksNoOtherBackend() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        String live = RefHost.nginx("/live-upstream");
        for (int round = 0; round < 2; round++) {
            List<String> execs = Collections.synchronizedList(new ArrayList<>());
            List<String> otherCalls = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger ahead = new java.util.concurrent.atomic.AtomicInteger();
            io.dutydesk.core.ports.EnvironmentConnector counting = (env, hostKeys, secrets) -> {
                io.dutydesk.core.ports.EnvironmentHandle real = new Connector().open(env, hostKeys, secrets);
                return proxy(io.dutydesk.core.ports.EnvironmentHandle.class, real, (m, a) -> {
                    Object port = invoke(m, real, a);
                    return switch (m.getName()) {
                        case "shell" -> proxy(io.dutydesk.core.ports.RemoteShell.class, port, (sm, sa) -> {
                            if (sm.getName().equals("exec")) {
                                execs.add((String) sa[0]);
                            } else if (sm.getName().equals("connectAhead")) {
                                ahead.incrementAndGet(); // the handshake started as the environment opens: no command
                            } else {
                                otherCalls.add("shell." + sm.getName());
                            }
                            return invoke(sm, port, sa);
                        });
                        case "containers", "outbox", "backlog", "stream", "metrics", "alerts", "alertSeries", "outboxSchema" ->
                                port == null ? null : proxy(m.getReturnType(), port, (pm, pa) -> {
                                    otherCalls.add(m.getName() + "." + pm.getName());
                                    return invoke(pm, port, pa);
                                });
                        default -> port;
                    };
                });
            };
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = new io.dutydesk.cli.Cli(counting, SecretPrompt.NONE, k -> null, new java.io.PrintStream(out, true),
                    new java.io.PrintStream(err, true), new JsonlAuditLog(audit), "it@local", io.dutydesk.cli.Confirmer.TERMINAL)
                    .run(List.of("rollback", "--env", "ref", "--config", RefHost.patientConfig(tmp).toString(), "--yes", "--json"));
            assertEquals(0, code, out + "\n" + err);
            JsonNode rb = new ObjectMapper().readTree(out.toString());
            assertTrue(rb.get("verified").asBoolean(), out.toString());
            String expected = round == 0 ? (live.equals("blue") ? "green" : "blue") : live;
            assertEquals(expected, rb.get("liveAfter").asText());
            assertEquals(expected, RefHost.nginx("/live-upstream"), "nginx follows the rollback");
            assertEquals(1, execs.size(), "one exec to plan inside the lock, run and verify: " + execs);
            assertTrue(execs.get(0).indexOf("flock") < execs.get(0).indexOf(io.dutydesk.core.rollout.ActionScripts.STATE_BEGIN)
                    && execs.get(0).indexOf("flock") >= 0, "the state is read once the lock is held: " + execs.get(0));
            assertTrue(out.toString().isEmpty() || !out.toString().contains("@@DD-"), "the state's lines are not the action's output");
            assertEquals(List.of(), otherCalls, "no other backend asked by a rollback --yes");
            assertEquals(1, ahead.get(), "the SSH handshake started once, as the environment opened");
        }
    }

    private interface Call {
        Object call(java.lang.reflect.Method m, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Call call) {
        // every call goes to the real object (its own overrides of default methods included): each counted once
        return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> call.call(m, a));
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    @Order(2)
    void aVersionWithShellMetacharactersIsRefusedAndNothingRuns() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        Path pwned = Path.of("/tmp/pwned");
        Files.deleteIfExists(pwned);
        long actions = actionCount();
        RefHost.Result r = RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString()),
                "deploy", "1.0;touch /tmp/pwned", "--env", "ref", "--config", RefHost.config().toString(), "--yes");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("refused version '1.0;touch /tmp/pwned'"), r.stderr());
        Thread.sleep(500);
        assertFalse(Files.exists(pwned), "nothing ran");
        assertEquals(actions, actionCount(), "no action started on the server");
        AuditEntry refused = new JsonlAuditLog(audit).recent(1).join().get(0);
        assertEquals("refused", refused.result());
        assertEquals(List.of("1.0;touch /tmp/pwned"), refused.args());
    }

    private record Console(Connector.Opened handle, RolloutService rollout, SlotsReader slots) implements AutoCloseable {
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
        return new Console(h, new RolloutService(env, slots, h.outbox(), h.containers(), h.shell(),
                new JsonlAuditLog(tmp.resolve(name + "-audit.jsonl")), "it-" + name + "@test", CLOCK), slots);
    }

    @Test
    @Order(3)
    void anUnhealthyIdleSlotBlocksRollbackWithTheReason() throws Exception {
        try (Console c = console("a")) {
            SlotsSnapshot s = c.slots().read().join();
            if (!s.idle().allReady()) {
                c.rollout().run(c.rollout().plan(Verb.DEPLOY, Optional.of(version()), false).join(), (e, l) -> { }).join();
                s = c.slots().read().join();
            }
            String idle = s.idle().name();
            Path flag = RefHost.serverHome().resolve("ctl/selfology-analysis-worker-" + idle + "/unhealthy");
            Files.createDirectories(flag.getParent());
            Files.writeString(flag, "");
            try {
                Eventually.await("docker marks it unhealthy", Duration.ofSeconds(30),
                        () -> !c.slots().read().join().rollbackReady());
                String before = RefHost.nginx("/live-upstream");
                Plan plan = c.rollout().plan(Verb.ROLLBACK, Optional.empty(), false).join();
                assertFalse(plan.runnable());
                assertTrue(plan.blocked().get(0).contains("selfology-analysis-worker-" + idle + ": unhealthy"), plan.blocked().toString());
                CompletionException e = assertThrows(CompletionException.class, () -> c.rollout().run(plan, (x, l) -> { }).join());
                RolloutException re = assertInstanceOf(RolloutException.class, Errors.unwrap(e));
                assertEquals(RolloutException.Kind.BLOCKED, re.kind());
                assertEquals(before, RefHost.nginx("/live-upstream"), "traffic did not move");
                assertTrue(plan.facts().get(0).startsWith(idle + " 3/4 healthy"), plan.facts().toString());
            } finally {
                Files.deleteIfExists(flag);
            }
            Eventually.await("healthy again", Duration.ofSeconds(30), () -> c.slots().read().join().rollbackReady());
        }
    }

    @Test
    @Order(4)
    void aConnectionCutMidDeployDoesNotStopItNorRunItTwice() throws Exception {
        long actions = actionCount();
        String v = version();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (Console c = console("cut")) {
            String live = c.slots().read().join().liveSlot();
            Plan plan = c.rollout().plan(Verb.DEPLOY, Optional.of(v), false).join();
            AtomicBoolean cut = new AtomicBoolean();
            List<String> statuses = Collections.synchronizedList(new ArrayList<>());
            ActionResult r = c.rollout().run(plan, (stderr, line) -> {
                lines.add(line);
                if (line.contains("Starting services in") && cut.compareAndSet(false, true)) {
                    CompletableFuture.runAsync(() -> c.handle().ssh().disconnect()); // as the network would
                }
            }, statuses::add).join();
            assertTrue(statuses.stream().anyMatch(x -> x.startsWith("running on the server, re-attaching")),
                    "the console says it re-attaches, not that it failed: " + statuses);
            assertTrue(cut.get(), "the connection was cut during the deploy");
            assertTrue(r.succeeded(), r.message());
            assertEquals(live, r.liveAfter());
            assertTrue(lines.stream().anyMatch(l -> l.contains("completed successfully")), "the end was seen after reconnecting");
            assertEquals(1, lines.stream().filter(l -> l.contains("Starting Blue-Green deployment")).count(), "no line twice");
            String serverLog = Files.readString(actionsDir().resolve(r.actionId() + ".log"));
            assertEquals(1, serverLog.lines().filter(l -> l.contains("Starting Blue-Green deployment")).count(), "ran once");
            assertEquals(actions + 1, actionCount(), "one action on the server");
            assertTrue(c.slots().read().join().idle().services().stream()
                    .allMatch(x -> x.container().orElseThrow().version().equals(v)));
        }
    }

    @Test
    @Order(5)
    void aSecondConsoleIsRefusedWhileAnActionRunsAndSeesIt() throws Exception {
        try (Console a = console("a"); Console b = console("b")) {
            Plan deploy = a.rollout().plan(Verb.DEPLOY, Optional.of(version()), false).join();
            CompletableFuture<Boolean> started = new CompletableFuture<>();
            CompletableFuture<ActionResult> running = a.rollout().run(deploy, (e, l) -> started.complete(true));
            started.join();
            RolloutService.RunningAction seen = b.rollout().current().join().orElseThrow();
            assertTrue(seen.id().contains("-deploy-"), seen.toString());
            assertTrue(seen.meta().contains("it-a@test"), seen.meta());
            Plan sw = b.rollout().plan(Verb.SWITCH, Optional.empty(), true).join();
            CompletionException e = assertThrows(CompletionException.class, () -> b.rollout().run(sw, (x, l) -> { }).join());
            RolloutException re = assertInstanceOf(RolloutException.class, Errors.unwrap(e));
            assertEquals(RolloutException.Kind.BUSY, re.kind());
            assertTrue(re.getMessage().contains("another action is running on this host"), re.getMessage());
            assertTrue(re.getMessage().contains("deploy"), re.getMessage());
            assertTrue(running.join().succeeded());
            assertTrue(b.rollout().current().join().isEmpty(), "the lock is freed at the end");
        }
    }

    @Test
    @Order(6)
    void cleanupRemovesTheIdleSlotAndThenRollbackIsRefused() throws Exception {
        try (Console c = console("clean")) {
            Plan plan = c.rollout().plan(Verb.CLEANUP, Optional.empty(), false).join();
            assertEquals(Optional.of(c.slots().read().join().idle().name()), plan.typedConfirmation());
            assertTrue(plan.risk().contains("no rollback"));
            assertTrue(c.rollout().run(plan, (e, l) -> { }).join().succeeded());
            SlotsSnapshot s = c.slots().read().join();
            assertTrue(s.idle().empty());
            assertFalse(s.rollbackReady());
            assertFalse(c.rollout().plan(Verb.ROLLBACK, Optional.empty(), false).join().runnable());
            // leave a rollback target for whatever runs next
            assertTrue(c.rollout().run(c.rollout().plan(Verb.DEPLOY, Optional.of("v1.0.1"), false).join(), (e, l) -> { })
                    .join().succeeded());
        }
    }

    @Test
    @Order(7)
    void aWindowOpenedDuringAnotherConsolesDeployAttachesAndShowsHowItEnded() throws Exception {
        try (Console cli = console("cli"); Console window = console("window")) {
            Plan deploy = cli.rollout().plan(Verb.DEPLOY, Optional.of(version()), false).join();
            CompletableFuture<Boolean> started = new CompletableFuture<>();
            CompletableFuture<ActionResult> running = cli.rollout().run(deploy, (e, l) -> started.complete(true));
            started.join();

            var scheduler = java.util.concurrent.Executors.newScheduledThreadPool(1);
            // the view-model's changes run on one thread, this one, as on the FX thread (Runnable::run let the re-attach's
            // thread change the action log while this thread read it: ConcurrentModificationException in a CI run)
            io.dutydesk.testing.UiQueue ui = new io.dutydesk.testing.UiQueue();
            try (var vm = new io.dutydesk.ui.slots.SlotsViewModel(ui, scheduler, CLOCK)) {
                Environment env = io.dutydesk.core.config.EnvironmentsFile.load(RefHost.patientConfig(tmp)).require("ref");
                vm.attach(new io.dutydesk.ui.slots.SlotsContext(env, window.slots(), window.rollout(),
                        window.handle().containers(), new JsonlAuditLog(tmp.resolve("w.jsonl"))));
                ui.await("the window re-attached to the running deploy", Duration.ofSeconds(20),
                        () -> vm.actionLog().stream().anyMatch(l -> l.contains("attached to an action already running")));
                ui.await("the deploy followed to its end", Duration.ofSeconds(90),
                        () -> !vm.actionRunningProperty().get() && !vm.actionStatusProperty().get().startsWith("Running"));
                assertTrue(vm.actionStatusProperty().get().contains("ended with exit 0"), vm.actionStatusProperty().get()
                        + " log: " + vm.actionLog());
                assertTrue(vm.actionLog().stream().anyMatch(l -> l.contains("completed successfully")), "the output was followed");
            } finally {
                scheduler.shutdownNow();
            }
            assertTrue(running.join().succeeded());
        }
    }
}
