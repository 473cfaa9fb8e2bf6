package io.dutydesk.bench;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.adapters.store.SqliteVerificationResults;
import io.dutydesk.app.Connector;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Listing a backup folder of 10,000 files: the console (SFTP listing, classification, retention, RPO,
 * free space, stored verifications) against the floor, {@code ls -l} of the same folder over plain ssh,
 * in the same run. Both cold (a new SSH connection each time) and, for the console, warm (the window's
 * poll on its open connection). The folder is created on the reference host only for this run, then removed.
 *
 * <pre>
 *   src/refhost/refhost up && mvn -q -DskipTests package test-compile
 *   java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.BackupListBenchmark [rounds] [files] [config]
 * </pre>
 */
public final class BackupListBenchmark {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path config = Path.of(args.length > 2 ? args[2] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        Environment ref = EnvironmentsFile.load(config).require("ref");
        Path folder = config.getParent().resolve("srv/bench-backups-" + files);
        create(folder, files);
        Environment env = new Environment(ref.name(), ref.description(), ref.ssh(), ref.docker(), ref.postgres(), ref.redis(),
                ref.prometheus(), ref.alertmanager(), ref.backups().withFolders(List.of(folder.toString())), ref.deploy(), ref.slots(),
                ref.outbox(), ref.thresholds(), ref.poll());
        Environment.Ssh ssh = env.ssh();
        List<String> plain = List.of("ssh", "-q", "-p", String.valueOf(ssh.port()), "-i", ssh.identity().orElseThrow().toString(),
                "-o", "UserKnownHostsFile=" + ssh.knownHosts(), "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                ssh.user() + "@" + ssh.host(), "ls -l " + folder);
        Path storeFile = Files.createTempFile("dutydesk-bench", ".db");
        try (SqliteStore store = SqliteStore.open(storeFile)) {
            SqliteVerificationResults results = new SqliteVerificationResults(store);
            JsonlAuditLog audit = new JsonlAuditLog(Files.createTempFile("dutydesk-bench-audit", ".jsonl"));
            List<Long> floor = new ArrayList<>();
            List<Long> cold = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            int listed = 0;
            run(plain);
            try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                BackupsService s = new BackupsService(env, h.shell(), results, audit, "bench", Clock.systemUTC(), ForkJoinPool.commonPool());
                listed = s.list().join().backups().size(); // warm-up
                for (int i = 0; i < rounds; i++) {
                    long t = System.nanoTime();
                    BackupListing l = s.list().join();
                    warm.add(System.nanoTime() - t);
                    listed = l.backups().size();
                }
            }
            for (int i = 0; i < rounds; i++) {
                floor.add(run(plain));
                long t = System.nanoTime();
                try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                    new BackupsService(env, h.shell(), results, audit, "bench", Clock.systemUTC(), ForkJoinPool.commonPool()).list().join();
                }
                cold.add(System.nanoTime() - t);
            }
            if (listed != files) {
                throw new IllegalStateException("listed " + listed + " of " + files + " files");
            }
            long f = median(floor);
            long c = median(cold);
            long w = median(warm);
            System.out.printf("backup listing, %d files, median of %d:%n", files, rounds);
            System.out.printf("  floor: ssh ls -l (new connection)      %7.1f ms%n", f / 1e6);
            System.out.printf("  console, new connection (CLI)         %7.1f ms   ratio %.2f%n", c / 1e6, (double) c / f);
            System.out.printf("  console, open connection (window poll) %6.1f ms   ratio %.2f%n", w / 1e6, (double) w / f);
        } finally {
            Files.deleteIfExists(storeFile);
            remove(folder);
        }
    }

    static void create(Path folder, int n) throws Exception {
        Files.createDirectories(folder);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
        Instant t = Instant.now();
        String[] kinds = {"full", "incr", "premigration", "predeploy"};
        for (int i = 0; i < n; i++) {
            Path p = folder.resolve("selfology_" + kinds[i % 4] + "_" + f.format(t.minusSeconds(600L * i)) + ".sql.gz");
            if (!Files.exists(p)) {
                Files.write(p, new byte[i % 512]);
            }
        }
    }

    static void remove(Path folder) throws Exception {
        try (var s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(folder);
    }

    static long run(List<String> cmd) throws Exception {
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return System.nanoTime() - t;
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
