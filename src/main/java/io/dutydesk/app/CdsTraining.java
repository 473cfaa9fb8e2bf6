package io.dutydesk.app;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.cli.Cli;
import io.dutydesk.cli.Confirmer;
import io.dutydesk.core.ports.SecretPrompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The training run of the AppCDS archive ({@code packaging/cds-archive.sh}, run at package time under
 * {@code -XX:ArchiveClassesAtExit}): loads the classes the CLI and the window load, so that the archive
 * holds them. With {@code -Ddutydesk.cds.train=DIR} (a scratch folder, which it fills), {@link Main} runs this
 * instead of its arguments: the CLI's verbs in-process against an environment whose SSH port refuses
 * (configuration, JSON, JSch, the audit log, the local store), the classes of {@code cds-classes.txt} (those a
 * real connection, rollback, ping and launch load, listed from runs against the reference host), then — with a
 * display — the window until its first frame, after which it exits (launch benchmark mode). Connects to
 * nothing outside the machine, writes only under DIR.
 *
 * <p>With {@code -Ddutydesk.cds.window=false} it trains the action verbs' archive (target/dutydesk-cli.jsa): their verbs
 * only, and the classes of {@code cds-classes-cli.txt} (what rollback, switch, lock and unlock load against the reference
 * host) — not the read verbs' Docker, Redis and HTTP clients. Every start relocates its whole archive (the JDK maps it
 * at a random address: ~0.7 ms a MB here), so a rollback's archive holds a rollback's classes: 16 MB instead of the
 * 31 MB that held every verb's (docs/benchmarks.md: the 11th sitting). The other verbs run with
 * the window's archive, which holds everything.
 */
final class CdsTraining {
    private CdsTraining() {}

    private static final Confirmer NO_ONE = new Confirmer() {
        @Override
        public boolean confirm(io.dutydesk.core.rollout.Plan plan, PrintStream out) {
            return false;
        }

        @Override
        public boolean interactive() {
            return false;
        }
    };

    static void run(Path dir) throws IOException {
        Files.createDirectories(dir);
        boolean window = !"false".equals(System.getProperty("dutydesk.cds.window"));
        Path config = refusingEnvironment(dir, "train", "CDS training");
        PrintStream nul = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        JsonlAuditLog audit = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        try (LocalStore store = LocalStore.open(dir.resolve("dutydesk.db"))) {
            Cli cli = new Cli(new Connector(k -> java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()), store),
                    SecretPrompt.NONE, name -> null, nul, nul, audit, "cds@training", NO_ONE, store.alertHistory());
            for (List<String> verb : window ? ALL_VERBS : ACTION_VERBS) {
                List<String> args = new java.util.ArrayList<>(verb);
                args.addAll(List.of("--config", config.toString()));
                try {
                    cli.run(args);
                } catch (RuntimeException expected) {
                    // nothing answers: the failure paths are part of what is loaded
                }
            }
        }
        io.dutydesk.adapters.ssh.CryptoWarmup.run(); // the handshake's curve code, as a verb's warm-up runs it
        loadListed(window ? "cds-classes.txt" : "cds-classes-cli.txt");
        String display = System.getenv("DISPLAY");
        if (!window || display == null || display.isEmpty()) {
            System.exit(0); // the archive is written at exit
        }
        System.setProperty("dutydesk.benchmark", "launch"); // exits once the first frame is rendered
        ClassWarmup.start();
        DutydeskApp.launch(config, Optional.of("train"));
        System.exit(0);
    }

    /**
     * Writes {@code dir/environments.yaml} with one environment {@code name} whose SSH port refuses at once (port 9 on
     * loopback, discard: nothing runs there on such a machine), a key that is not one and empty known hosts: a verb
     * reads the file, opens the audit log and fails to connect. Also a test's.
     */
    static Path refusingEnvironment(Path dir, String name, String description) throws IOException {
        Path config = dir.resolve("environments.yaml");
        Path key = dir.resolve("id_ed25519");
        Files.writeString(key, "not a key\n");
        Files.writeString(dir.resolve("known_hosts"), "");
        Files.writeString(config, """
                environments:
                  %s:
                    description: %s
                    ssh:
                      host: 127.0.0.1
                      port: 9
                      user: nobody
                      identity: %s
                      knownHosts: %s
                      agent: false
                      connectTimeoutSeconds: 2
                    deploy:
                      workdir: /srv/app
                """.formatted(name, description, key, dir.resolve("known_hosts")));
        return config;
    }

    /** The verbs the window's archive is trained on (every verb's pre-connection path and its failure to connect). */
    private static final List<List<String>> ALL_VERBS = List.of(List.of("help"), List.of("envs", "--json"), List.of("ping", "--env", "train"),
            List.of("ping", "--env", "train", "--json"), List.of("status", "--env", "train"),
            List.of("rollback", "--env", "train", "--yes"), List.of("deploy", "v1", "--env", "train", "--yes", "--json"));

    /** The action verbs' archive's (dutydesk-cli.jsa): what a rollback, a deploy or a switch runs before it connects. */
    private static final List<List<String>> ACTION_VERBS = List.of(List.of("rollback", "--env", "train", "--yes"),
            List.of("rollback", "--env", "train", "--yes", "--json"), List.of("switch", "--env", "train", "--yes"),
            List.of("deploy", "v1", "--env", "train", "--yes", "--json"));

    /** Loads (without initialising) the classes a resource of this package lists; one that is gone is skipped. */
    static void loadListed(String resource) throws IOException {
        ClassLoader cl = CdsTraining.class.getClassLoader();
        try (InputStream in = CdsTraining.class.getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try {
                    Class.forName(name, false, cl);
                } catch (Throwable gone) {
                    // a class a library update removed costs nothing but its place in the archive
                }
            }
        }
    }
}
