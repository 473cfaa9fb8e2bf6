package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.app.Connector;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.outbox.MemoryOutboxHistory;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.RefHost;
import io.dutydesk.ui.outbox.OutboxContext;
import io.dutydesk.ui.outbox.OutboxViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dutydesk outbox} and the Outbox pane's view-model against the reference host, through SSH only:
 * exact numbers after inserts on the host, Redis down alone, the read-only role, passwords from the
 * server's dotenv file, and another team's table without the index.
 */
class OutboxIT {
    static final Duration T = Duration.ofSeconds(90);
    static final String IT_STREAM = "dutydesk:it:events";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Path srv() {
        return RefHost.serverHome();
    }

    static String secret(String name) throws Exception {
        return Files.readString(srv().resolve("secrets").resolve(name)).strip();
    }

    /** SQL on the host as the table's owner (the "application"), not through the console. */
    static String psql(String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-qtA", "-h", "127.0.0.1", "-p", "24432", "-U", "selfology", "-d", "selfology",
                "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", secret("pg_password"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    static String redis(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-p", "24379"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("REDISCLI_AUTH", secret("redis_password"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /**
     * The reference host's environments file with some lines replaced, and a patient per-call timeout:
     * the shared host runs on 2 loaded cores, and these tests check what is read, not how fast.
     */
    boolean ageRule;

    Path config(String... replacements) throws Exception {
        String text = Files.readString(RefHost.config());
        String desc = "    description: Local reference host (Selfology runbook replica)\n";
        assertTrue(text.contains(desc));
        // the reference host's seeded pending events are never published: by their age alone the backlog
        // would read critical once the host is older than 30 min; these tests judge the count (the age
        // rule has its own test with the defaults)
        text = text.replace(desc, desc + "    poll: { timeoutSeconds: 20 }\n"
                + (ageRule ? "" : "    thresholds: { outboxOldestWarnSeconds: 900000000, outboxOldestCriticalSeconds: 900000000 }\n"));
        for (int i = 0; i < replacements.length; i += 2) {
            assertTrue(text.contains(replacements[i]), "the ref config has " + replacements[i]);
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        Path f = tmp.resolve("environments-" + Integer.toHexString(text.hashCode()) + ".yaml");
        Files.writeString(f, text);
        return f;
    }

    static final String PG_PASSWORD_LINE = "password: { file: " + RefHost.serverHome() + "/secrets/pg_password }";
    static final String REDIS_PASSWORD_LINE = "password: { file: " + RefHost.serverHome() + "/secrets/redis_password }";

    /** The IT's own stream (the shared one stays as the other tests expect it): 5 entries, one group, 2 read. */
    Path itStreamConfig() throws Exception {
        redis("DEL", IT_STREAM);
        redis("XGROUP", "CREATE", IT_STREAM, "it-workers", "$", "MKSTREAM");
        for (int i = 0; i < 5; i++) {
            redis("XADD", IT_STREAM, "*", "event_type", "it.event", "n", String.valueOf(i));
        }
        redis("XREADGROUP", "GROUP", "it-workers", "it-1", "COUNT", "2", "STREAMS", IT_STREAM, ">");
        return config("stream: selfology:events\n      groups: [analysis-workers, profile-updaters]",
                "stream: '" + IT_STREAM + "'\n      groups: [it-workers]");
    }

    static JsonNode outbox(Path config, int expectedExit) throws Exception {
        RefHost.Result r = RefHost.dutydesk(T, "outbox", "--env", "ref", "--json", "--config", config.toString());
        assertEquals(expectedExit, r.exitCode(), r.stdout() + r.stderr());
        return JSON.readTree(r.stdout());
    }

    static JsonNode group(JsonNode j, String name) {
        for (JsonNode g : j.get("stream").get("groups")) {
            if (g.get("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name + " in " + j);
    }

    @Test
    void insertsOnTheHostChangeTheNumbersExactlyInTheCliAndThePane() throws Exception {
        Path cfg = itStreamConfig();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        ExecutorService fxLike = Executors.newSingleThreadExecutor();
        Environment env = EnvironmentsFile.load(cfg).require("ref");
        env = env.withOutbox(new Environment.Outbox(env.outbox().table(), env.outbox().columns(), env.outbox().statuses(),
                Duration.ofSeconds(1), env.outbox().prometheusQuery(), env.outbox().relayService()), env.redis());
        OutboxViewModel vm = new OutboxViewModel(fxLike, scheduler, Clock.systemDefaultZone());
        try (EnvironmentHandle h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            JsonNode before = outbox(cfg, 0);
            long pending = before.get("pending").asLong();
            assertTrue(before.get("indexOk").asBoolean(), before.toString());
            assertEquals(5, before.get("stream").get("length").asLong());
            assertEquals(2, group(before, "it-workers").get("pending").asLong());
            assertEquals(3, group(before, "it-workers").get("lag").asLong());
            assertTrue(before.get("publishedEstimate").asLong() > 10_000, before.toString());
            assertFalse(before.has("errors"));

            SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), Clock.systemDefaultZone());
            Environment e = env;
            on(fxLike, () -> {
                vm.attach(new OutboxContext(new OutboxService(e, h.backlog(), h.stream(), Clock.systemDefaultZone()), reader,
                        new RolloutService(e, reader, h.outbox(), h.containers(), h.shell(), MemoryAuditLog.create(), "it@test",
                                Clock.systemDefaultZone()), new MemoryOutboxHistory(), Optional.of(h.metrics())));
                return null;
            });
            await("the pane's first numbers", T, () -> on(fxLike, () -> vm.backlogProperty().get() != null
                    && vm.streamProperty().get() != null && vm.backlogProperty().get().pending() == pending));
            assertEquals("selfology-outbox-relay-" + RefHost.nginx("/live-upstream").replaceAll("^(\\w+).*", "$1").strip(),
                    awaitValue(fxLike, () -> vm.relayProperty().get() == null ? null : vm.relayProperty().get().container()));

            psql("INSERT INTO selfology.event_outbox (event_type, status, created_at) SELECT 'it.outbox.inserted', 'pending', "
                    + "now() - interval '10 days' FROM generate_series(1, 7)");
            for (int i = 0; i < 4; i++) {
                redis("XADD", IT_STREAM, "*", "event_type", "it.event.more");
            }
            JsonNode after = outbox(cfg, 0);
            assertEquals(pending + 7, after.get("pending").asLong(), after.toString());
            ageRule = true; // the same backlog judged with the default age limits: ten days old is "act now"
            JsonNode judged = outbox(config("stream: selfology:events\n      groups: [analysis-workers, profile-updaters]",
                    "stream: '" + IT_STREAM + "'\n      groups: [it-workers]"), 1);
            ageRule = false;
            assertEquals("critical", judged.get("state").asText(), judged.toString());
            assertTrue(judged.get("reason").asText().startsWith("act now: oldest pending 10 d"), judged.toString());
            assertEquals(before.get("processing").asLong(), after.get("processing").asLong());
            assertEquals(before.get("failed").asLong(), after.get("failed").asLong());
            assertEquals("it.outbox.inserted", after.get("oldest").get(0).get("type").asText(), "the 10-day-old ones come first");
            assertTrue(after.get("oldestPendingAgeSeconds").asLong() >= 864_000, after.toString());
            assertEquals(9, after.get("stream").get("length").asLong());
            assertEquals(7, group(after, "it-workers").get("lag").asLong());
            assertEquals(2, group(after, "it-workers").get("pending").asLong());

            await("the pane follows", T, () -> on(fxLike, () -> vm.backlogProperty().get().pending() == pending + 7
                    && vm.streamProperty().get().length() == 9));
            assertEquals(pending + 7, on(fxLike, () -> (long) vm.history().get(vm.history().size() - 1).pending()));
        } finally {
            psql("DELETE FROM selfology.event_outbox WHERE event_type = 'it.outbox.inserted'");
            redis("DEL", IT_STREAM);
            on(fxLike, () -> {
                vm.close();
                return null;
            });
            scheduler.shutdownNow();
            fxLike.shutdownNow();
        }
    }

    @Test
    void redisDownLeavesTheOutboxLiveAndBothComeBack() throws Exception {
        Path cfg = config();
        RefHost.stop("redis");
        try {
            JsonNode j = outbox(cfg, 1);
            assertTrue(j.get("errors").get("redis").asText().contains("Redis 127.0.0.1:24379"), j.toString());
            assertFalse(j.get("errors").has("postgres"));
            assertTrue(j.get("stream").isNull());
            assertTrue(j.get("pending").isNumber(), "the outbox part stays live: " + j);
        } finally {
            RefHost.start("redis");
        }
        JsonNode back = outbox(cfg, 0);
        assertFalse(back.has("errors"), back.toString());
        assertTrue(back.get("stream").get("length").asLong() > 0);
        assertTrue(back.get("pending").isNumber());
    }

    @Test
    void theReadOnlyRoleWithPasswordsFromTheServersDotenvFileIsEnough() throws Exception {
        String dotenv = "~/selfology/.env.production";
        Path cfg = config("user: selfology\n      " + PG_PASSWORD_LINE,
                "user: dutydesk_ro\n      password: { file: " + dotenv + ", key: DB_READONLY_PASSWORD }",
                REDIS_PASSWORD_LINE, "password: { file: " + dotenv + ", key: REDIS_PASSWORD }");
        RefHost.Result ping = RefHost.dutydesk(T, "ping", "--env", "ref", "--json", "--config", cfg.toString());
        assertEquals(0, ping.exitCode(), ping.stdout() + ping.stderr());
        JsonNode j = outbox(cfg, 0);
        assertTrue(j.get("pending").isNumber() && j.get("stream").get("length").asLong() > 0, j.toString());
        // the role can write nothing: had the console sent a write, the poll would have failed
        assertEquals("on", psqlAs("dutydesk_ro", secret("pg_ro_password"), "SHOW default_transaction_read_only"));

        Path owner = config(PG_PASSWORD_LINE, "password: { file: " + dotenv + ", key: DB_PASSWORD }");
        assertEquals(2, outbox(owner, 0).get("stream").get("groups").size(), "the owner's password from the same file");

        Path missing = config(PG_PASSWORD_LINE, "password: { file: " + dotenv + ", key: DB_PASSWORD_TYPO }");
        JsonNode m = outbox(missing, 1);
        String error = m.get("errors").get("postgres").asText();
        assertTrue(error.contains("DB_PASSWORD_TYPO") && error.contains(".env.production"), error);
        assertFalse(error.contains(secret("pg_password")) || error.contains(secret("redis_password")), "never the file's content");
    }

    static String psqlAs(String user, String password, String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-qtA", "-h", "127.0.0.1", "-p", "24432", "-U", user, "-d", "selfology",
                "-c", sql).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void anotherTeamsTableNeedsOnlyConfigurationAndItsMissingIndexIsAdvised() throws Exception {
        Path cfg = config("liveSlotPattern: '^(\\w+)'", "liveSlotPattern: '^(\\w+)'\n    outbox:\n      table: public.outbox_events\n"
                + "      columns: { status: state, created_at: inserted_at, event_type: kind }\n"
                + "      statuses: { pending: NEW, processing: SENDING, published: SENT, failed: DEAD }");
        JsonNode j = outbox(cfg, 0);
        assertEquals(3, j.get("pending").asLong(), j.toString());
        assertEquals(1, j.get("processing").asLong());
        assertEquals(1, j.get("failed").asLong());
        assertEquals(40, j.get("publishedEstimate").asLong(), "from pg_stats after ANALYZE");
        assertEquals("habit.logged", j.get("oldest").get(0).get("type").asText());
        assertTrue(j.get("oldest").get(0).get("ageSeconds").asLong() >= 90);
        assertFalse(j.get("indexOk").asBoolean());
        assertEquals("CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_events_open_state_idx ON public.outbox_events (state, inserted_at) "
                + "WHERE state IN ('NEW', 'SENDING', 'DEAD');", j.get("recommendedIndex").asText());
    }

    static <T> T on(ExecutorService ui, Callable<T> c) {
        try {
            return ui.submit(c).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static <T> T awaitValue(ExecutorService ui, Callable<T> c) {
        await("a value", T, () -> on(ui, c) != null);
        return on(ui, c);
    }
}
