package io.dutydesk.bench;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.SlotsReader;
import java.time.Clock;
import java.util.Optional;
import io.dutydesk.core.config.EnvironmentsFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * P2: a rollback through {@code dutydesk rollback --yes} against the same script run by plain
 * {@code ssh}, alternating in one run (each rollback flips the live slot, so both keep working).
 * Prints both medians and the ratios (issue 16: cold CLI at most 1.5x, the open console at most 0.8x).
 *
 * <pre>
 *   src/refhost/refhost up && mvn -q -DskipTests package test-compile
 *   java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.RollbackBenchmark [rounds] [config]
 *   -Dbench.cds=target/dutydesk.jsa: the CLI with the AppCDS archive; -Dbench.jvm='-Xmx512m …': more JVM options
 * </pre>
 * Both slots must be healthy (deploy to the idle slot first if it was cleaned up).
 */
public final class RollbackBenchmark {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path config = Path.of(args.length > 1 ? args[1] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        Environment env = EnvironmentsFile.load(config).require("ref");
        Environment.Ssh ssh = env.ssh();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path audit = Files.createTempFile("dutydesk-bench-audit", ".jsonl");
        String remote = "cd " + env.deploy().workdir() + " && " + env.deploy().commands().get("rollback");
        List<String> plain = List.of("ssh", "-q", "-p", String.valueOf(ssh.port()), "-i", ssh.identity().orElseThrow().toString(),
                "-o", "UserKnownHostsFile=" + ssh.knownHosts(), "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                ssh.user() + "@" + ssh.host(), remote);
        List<String> dutydesk = new ArrayList<>(List.of(java));
        // a verb's archive: the CLI's (target/dutydesk-cli.jsa, the jar's documented command for a verb) where it was built
        String archive = "-XX:SharedArchiveFile=";
        List<String> cliOptions = LaunchBenchmark.jvmOptions().stream()
                .map(o -> o.startsWith(archive) && o.endsWith("/dutydesk.jsa")
                        && Files.exists(Path.of(o.substring(archive.length(), o.length() - ".jsa".length()) + "-cli.jsa"))
                        ? o.substring(0, o.length() - ".jsa".length()) + "-cli.jsa" : o)
                .toList();
        dutydesk.addAll(cliOptions);
        dutydesk.addAll(List.of("-jar", Path.of("target/dutydesk.jar").toAbsolutePath().toString(),
                "rollback", "--env", "ref", "--config", config.toString(), "--yes"));
        List<Long> p = new ArrayList<>();
        List<Long> d = new ArrayList<>();
        run(plain, audit);
        run(dutydesk, audit); // warm-up pair, back where we started
        for (int i = 0; i < rounds; i++) {
            p.add(run(plain, audit));
            d.add(run(dutydesk, audit));
        }
        // the console already open (the window at 3 a.m.): from the confirmation to the verified result
        List<Long> p2 = new ArrayList<>();
        List<Long> w = new ArrayList<>();
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            Clock clock = Clock.systemUTC();
            SlotsReader slots = new SlotsReader(env, h.containers(), h.shell(), clock);
            RolloutService rollout = new RolloutService(env, slots, h.outbox(), h.containers(), h.shell(), new JsonlAuditLog(audit),
                    "bench@local", clock);
            warm(rollout);
            warm(rollout);
            for (int i = 0; i < rounds; i++) {
                p2.add(run(plain, audit));
                w.add(warm(rollout));
            }
        }
        long mp = median(p);
        long md = median(d);
        System.out.println("P2 rollback: dutydesk vs the same script over plain ssh (" + rounds + " alternating rounds each); CLI JVM options " + cliOptions);
        System.out.println("  plain ssh:                          median " + mp + " ms  " + p);
        System.out.println("  dutydesk rollback --yes (cold CLI): median " + md + " ms  " + d);
        System.out.printf("  ratio cold CLI / ssh: %.2f  (goal <= 1.5)%n", (double) md / mp);
        long mp2 = median(p2);
        long mw = median(w);
        System.out.println("  plain ssh:                          median " + mp2 + " ms  " + p2);
        System.out.println("  console open, confirm -> verified:  median " + mw + " ms  " + w);
        System.out.printf("  ratio open console / ssh: %.2f  (goal <= 0.8)%n", (double) mw / mp2);
    }

    /** One rollback through an open console: ms from the confirmation to the verified result. */
    private static long warm(RolloutService rollout) {
        Plan plan = rollout.plan(Verb.ROLLBACK, Optional.empty(), false).join();
        long t0 = System.nanoTime();
        ActionResult r = rollout.run(plan, (e, l) -> { }).join();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (!r.succeeded()) {
            throw new IllegalStateException("rollback failed: " + r.message());
        }
        return ms;
    }

    private static long run(List<String> cmd, Path audit) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DUTYDESK_AUDIT_LOG", audit.toString());
        long t0 = System.nanoTime();
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        proc.waitFor(120, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (proc.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd.subList(0, 3)) + " … exited " + proc.exitValue() + ":\n" + out);
        }
        return ms;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
