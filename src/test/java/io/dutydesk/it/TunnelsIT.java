package io.dutydesk.it;

import io.dutydesk.app.Connector;
import io.dutydesk.core.Errors;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment's tunnels as the window uses them: nothing unauthenticated on the workstation; back within one poll. */
class TunnelsIT {

    /** The reference environment with a probe timeout for a loaded machine: these tests are about reaching, not speed. */
    private static io.dutydesk.core.config.Environment ref() {
        var e = RefHost.ref();
        return e.withPoll(new io.dutydesk.core.config.Environment.Poll(e.poll().interval(), e.poll().maxBackoff(),
                Duration.ofSeconds(20)));
    }

    /** Every probe once, together (as one poll round does); name -> null if ok, else its error. */
    private static Map<String, String> pollOnce(List<BackendProbe> probes) {
        Map<String, CompletableFuture<Void>> running = new LinkedHashMap<>();
        for (BackendProbe p : probes) {
            running.put(p.backend().id(), p.ping().orTimeout(30, TimeUnit.SECONDS));
        }
        Map<String, String> out = new LinkedHashMap<>();
        running.forEach((name, f) -> {
            try {
                f.join();
                out.put(name, null);
            } catch (RuntimeException e) {
                out.put(name, Errors.describe(e));
            }
        });
        return out;
    }

    private static void assertAllOk(Map<String, String> r) {
        r.forEach((name, error) -> assertEquals(null, error, name + " is not ok: " + error));
    }

    /** TCP ports this process listens on (from /proc/net/tcp{,6} and our own socket inodes). */
    static List<Integer> ownListeningPorts() throws Exception {
        Set<String> ours = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ours.add(target.substring(8, target.length() - 1));
                    }
                } catch (Exception gone) {
                    // closed meanwhile
                }
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // read once: the table changes as sockets come and go
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.strip().split("\\s+");
                if (f[3].equals("0A") && ours.contains(f[9])) { // LISTEN, owned by this process
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** The reference environment with its Redis replaced by the reference host's second one, which has no password. */
    private static io.dutydesk.core.config.Environment withPasswordlessRedis() {
        var e = ref();
        var r = e.redis();
        return new io.dutydesk.core.config.Environment(e.name(), e.description(), e.ssh(), e.docker(), e.postgres(),
                new io.dutydesk.core.config.Environment.Redis(r.host(), RefHost.REDIS_OPEN_PORT, java.util.Optional.empty(),
                        new io.dutydesk.core.config.SecretRef.None(), r.stream(), List.of("analysis-workers")),
                e.prometheus(), e.alertmanager(), e.backups(), e.deploy(), e.slots(), e.outbox(), e.thresholds(), e.poll(),
                e.metrics(), e.alerts());
    }

    /**
     * Every backend used for real (PostgreSQL's outbox poll, the Redis stream, a Redis with no password
     * at all, Docker, Prometheus, Alertmanager): no TCP listener of this process appears. Whatever a
     * service's own authentication, no other process on the workstation can reach it through the console.
     */
    @Test
    void noBackendOpensAListenerOnTheWorkstation() throws Exception {
        List<Integer> before = ownListeningPorts();
        try (Connector.Opened env = new Connector().open(ref(), HostKeyPrompt.REFUSE, SecretPrompt.NONE);
             Connector.Opened open = new Connector().open(withPasswordlessRedis(), HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            assertAllOk(pollOnce(env.probes()));
            env.backlog().backlog().join(); // the outbox poll's queries, not only a ping
            env.stream().stream().join();
            env.containers().containers().join();
            // a Redis without a password works through the console, like any other
            probe(open, io.dutydesk.core.Backend.REDIS).ping().orTimeout(30, TimeUnit.SECONDS).join();
            var stream = open.stream().stream().orTimeout(30, TimeUnit.SECONDS).join();
            assertTrue(stream.length() >= 5, "the password-less Redis's stream: " + stream);
            assertEquals(List.of("analysis-workers"), stream.groups().stream().map(g -> g.name()).toList());

            List<Integer> opened = new ArrayList<>(ownListeningPorts());
            opened.removeAll(before);
            assertEquals(List.of(), opened, "TCP listeners this process opened while using every backend");
            Path folder = env.ssh().socketFolderIfAny().orElseThrow();
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        }
    }

    /** A followed log (a long-lived connection through the unix socket) streams while pings go on. */
    @Test
    void aFollowedLogStreamsThroughTheUnixSocketWhilePingsGoOn() throws Exception {
        try (Connector.Opened env = new Connector().open(ref(), HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            String name = env.containers().containers().join().stream()
                    .filter(c -> c.name().contains("session-management") && c.state().equals("running"))
                    .findFirst().orElseThrow().name();
            List<String> followed = java.util.Collections.synchronizedList(new ArrayList<>());
            var stream = env.containers().logs(name, 0, true, (stderr, line) -> followed.add(line)).join();
            try {
                io.dutydesk.testing.Eventually.await(() -> "followed: " + followed, Duration.ofSeconds(30),
                        () -> followed.stream().anyMatch(l -> l.contains("GET /health")));
                assertAllOk(pollOnce(env.probes()));
                int seen = followed.size();
                io.dutydesk.testing.Eventually.await(() -> "still following: " + followed, Duration.ofSeconds(30),
                        () -> followed.size() > seen);
            } finally {
                stream.close();
            }
        }
    }

    /** SSH stopped and started on the server: the first poll after it is back finds every backend ok. */
    @Test
    void everyBackendIsOkWithinOnePollAfterSshComesBack() throws Exception {
        try (Connector.Opened env = new Connector().open(ref(), HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            assertAllOk(pollOnce(env.probes()));
            env.containers().containers().join(); // pooled connections that the cut will kill
            RefHost.stop("ssh");
            try {
                Map<String, String> down = pollOnce(env.probes());
                down.forEach((name, error) -> assertTrue(error != null, name + " ok without SSH"));
                pollOnce(env.probes()); // the pollers keep trying while it is down
            } finally {
                RefHost.start("ssh");
            }
            io.dutydesk.testing.Eventually.await("sshd listens again", Duration.ofSeconds(30), () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", RefHost.SSH_PORT), 1000);
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            // "within one poll": the pollers tick every poll interval, and a failed connection attempt is shared
            // with the calls of the next 0.5 s (one outage, one attempt per tick, not one per backend), so the
            // promise is that every backend is ok by the next tick, not at the very instant sshd listens
            Duration onePoll = ref().poll().interval();
            long sshBack = System.nanoTime();
            var last = new java.util.concurrent.atomic.AtomicReference<Map<String, String>>();
            io.dutydesk.testing.Eventually.await(() -> "every backend ok within one poll (" + onePoll + ") of SSH: " + last.get(),
                    onePoll, () -> {
                        last.set(pollOnce(env.probes()));
                        return last.get().values().stream().allMatch(java.util.Objects::isNull);
                    });
            assertTrue(Duration.ofNanos(System.nanoTime() - sshBack).compareTo(onePoll) <= 0);
            env.containers().containers().join();
        }
    }

    private static io.dutydesk.core.config.Environment withRedisPassword(io.dutydesk.core.config.SecretRef pw) {
        var e = ref();
        var r = e.redis();
        return new io.dutydesk.core.config.Environment(e.name(), e.description(), e.ssh(), e.docker(), e.postgres(),
                new io.dutydesk.core.config.Environment.Redis(r.host(), r.port(), r.user(), pw, r.stream(), r.groups()),
                e.prometheus(), e.alertmanager(), e.backups(), e.deploy(), e.slots(), e.outbox(), e.thresholds(), e.poll(), e.metrics(), e.alerts());
    }

    private static BackendProbe probe(Connector.Opened env, io.dutydesk.core.Backend b) {
        return env.probes().stream().filter(p -> p.backend() == b).findFirst().orElseThrow();
    }

    /** A wrong password is forgotten when Redis refuses it, and asked for again on the next poll. */
    @Test
    void aWrongPasswordIsForgottenAndAskedAgain() throws Exception {
        String right = Files.readString(RefHost.dir().resolve("srv/secrets/redis_password")).strip();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        SecretPrompt prompt = (envName, label) -> CompletableFuture.completedFuture(java.util.Optional.of(
                (asked.incrementAndGet() == 1 ? "wrong-" + right : right).toCharArray()));
        try (Connector.Opened env = new Connector().open(withRedisPassword(new io.dutydesk.core.config.SecretRef.Prompt("Redis password")),
                HostKeyPrompt.REFUSE, prompt)) {
            BackendProbe redis = probe(env, io.dutydesk.core.Backend.REDIS);
            String error = Errors.describe(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> redis.ping().join()));
            assertFalse(error.contains(right), "the password is never in a message");
            redis.ping().join();
            assertEquals(2, asked.get(), "asked again after the refusal, not again after success");
            redis.ping().join();
            assertEquals(2, asked.get());
        }
    }

    /** The same for PostgreSQL: a refused password (SQLSTATE 28P01) is forgotten and asked again. */
    @Test
    void aWrongPostgresPasswordIsForgottenAndAskedAgain() throws Exception {
        String right = Files.readString(RefHost.dir().resolve("srv/secrets/pg_password")).strip();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        SecretPrompt prompt = (envName, label) -> CompletableFuture.completedFuture(java.util.Optional.of(
                (asked.incrementAndGet() == 1 ? "wrong-" + right : right).toCharArray()));
        var e = ref();
        var pg = e.postgres();
        var env = new io.dutydesk.core.config.Environment(e.name(), e.description(), e.ssh(), e.docker(),
                new io.dutydesk.core.config.Environment.Postgres(pg.host(), pg.port(), pg.database(), pg.user(),
                        new io.dutydesk.core.config.SecretRef.Prompt("PostgreSQL password")),
                e.redis(), e.prometheus(), e.alertmanager(), e.backups(), e.deploy(), e.slots(), e.outbox(), e.thresholds(), e.poll());
        try (Connector.Opened opened = new Connector().open(env, HostKeyPrompt.REFUSE, prompt)) {
            BackendProbe postgres = probe(opened, io.dutydesk.core.Backend.POSTGRES);
            String error = Errors.describe(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> postgres.ping().join()));
            assertFalse(error.contains(right), "the password is never in a message");
            postgres.ping().join();
            assertEquals(2, asked.get(), "asked again after the refusal");
        }
    }

    /** A password question still open when the environment closes (a switch) is cancelled: its dialog closes. */
    @Test
    void closingTheEnvironmentCancelsItsOpenPasswordQuestion() throws Exception {
        CompletableFuture<java.util.Optional<char[]>> question = new CompletableFuture<>();
        Connector.Opened env = new Connector().open(withRedisPassword(new io.dutydesk.core.config.SecretRef.Prompt("Redis password")),
                HostKeyPrompt.REFUSE, (n, l) -> question);
        CompletableFuture<Void> ping = probe(env, io.dutydesk.core.Backend.REDIS).ping();
        io.dutydesk.testing.Eventually.await("asked", Duration.ofSeconds(60), () -> question.isDone() || ping.isDone()
                || !question.isDone() && question.getNumberOfDependents() > 0);
        env.close();
        assertTrue(question.isCancelled(), "the open question is cancelled");
    }

    private static boolean sshOk(RefHost.Result r) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
        for (var b : json.get("backends")) {
            if (b.get("name").asText().equals("ssh")) {
                return b.get("ok").asBoolean();
            }
        }
        throw new AssertionError("no ssh in " + r.stdout());
    }

    /** ssh-agent's keys are tried even when the environment names an identity file (here one the server does not know). */
    @Test
    void theAgentIsTriedEvenWithAnIdentityFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RefHost.run(Duration.ofSeconds(20), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("unknown").toString());
        Path sock = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        try {
            io.dutydesk.testing.Eventually.await("the agent listens", Duration.ofSeconds(20), () -> Files.exists(sock));
            ProcessBuilder add = new ProcessBuilder("ssh-add", RefHost.ref().ssh().identity().orElseThrow().toString())
                    .redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process p = add.start();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
            String config = Files.readString(RefHost.config()).replace(RefHost.ref().ssh().identity().orElseThrow().toString(),
                    dir.resolve("unknown").toString());
            Path envs = dir.resolve("envs.yaml");
            Files.writeString(envs, config);
            RefHost.Result r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), Map.of("SSH_AUTH_SOCK", sock.toString()),
                    "ping", "--env", "ref", "--json", "--config", envs.toString());
            assertTrue(sshOk(r), "through the agent's key: " + r.stdout() + r.stderr());
            RefHost.Result without = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), Map.of("SSH_AUTH_SOCK", dir.resolve("none").toString()),
                    "ping", "--env", "ref", "--json", "--config", envs.toString());
            assertFalse(sshOk(without), "the unknown key alone is refused: " + without.stdout());
            assertTrue(without.stdout().contains("authentication failed"), without.stdout());
        } finally {
            agent.destroy();
        }
    }
}
