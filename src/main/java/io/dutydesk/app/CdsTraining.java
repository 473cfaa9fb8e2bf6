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
 * real connection, rollback and launch load, listed from runs against the reference host), then — with a
 * display — the window until its first frame, after which it exits (launch benchmark mode). Connects to
 * nothing outside the machine, writes only under DIR.
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
        Path config = refusingEnvironment(dir, "train", "CDS training");
        PrintStream nul = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        JsonlAuditLog audit = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        try (LocalStore store = LocalStore.open(dir.resolve("dutydesk.db"))) {
            Cli cli = new Cli(new Connector(k -> java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()), store),
                    SecretPrompt.NONE, name -> null, nul, nul, audit, "cds@training", NO_ONE, store.alertHistory());
            for (List<String> verb : List.of(List.of("help"), List.of("envs", "--json"), List.of("ping", "--env", "train"),
                    List.of("ping", "--env", "train", "--json"), List.of("status", "--env", "train"),
                    List.of("rollback", "--env", "train", "--yes"), List.of("deploy", "v1", "--env", "train", "--yes", "--json"))) {
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
        String display = System.getenv("DISPLAY");
        boolean window = !(display == null || display.isEmpty() || "false".equals(System.getProperty("dutydesk.cds.window")));
        loadListed(window);
        if (!window) {
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

    /**
     * The listed classes only a window loads (JavaFX, its themes and controls, the panes): left out of the CLI's archive
     * ({@code DUTYDESK_CDS_WINDOW=false}, target/dutydesk-cli.jsa). Every start relocates the whole archive (the JDK maps it
     * at a random address): the window's 48 MB took ~40 ms of a verb's start, the CLI's 31 MB less (a cold rollback --yes
     * 749 -> 688 ms, docs/benchmarks.md).
     */
    static boolean windowOnly(String name) {
        for (String p : WINDOW_ONLY) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> WINDOW_ONLY = List.of("javafx.", "com.sun.javafx.", "com.sun.glass.", "com.sun.prism.",
            "com.sun.scenario.", "com.sun.marlin.", "com.sun.openpisces.", "com.sun.pisces.", "com.sun.webkit.", "com.sun.jfx.",
            "atlantafx.", "org.controlsfx.", "io.dutydesk.ui.");

    /** Loads (without initialising) the classes listed in cds-classes.txt — without a window, not the window's; one that is gone is skipped. */
    private static void loadListed(boolean window) throws IOException {
        ClassLoader cl = CdsTraining.class.getClassLoader();
        try (InputStream in = CdsTraining.class.getResourceAsStream("cds-classes.txt")) {
            if (in == null) {
                return;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#") || (!window && windowOnly(name))) {
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
