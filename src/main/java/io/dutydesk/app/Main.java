package io.dutydesk.app;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.adapters.keyring.SecretToolKeyring;
import io.dutydesk.cli.Cli;
import io.dutydesk.cli.Confirmer;
import io.dutydesk.cli.ConsoleSecretPrompt;
import io.dutydesk.core.config.EnvironmentsFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Entry point, deliberately not a JavaFX Application: a CLI verb runs without loading JavaFX;
 * without a verb the window opens.
 */
public final class Main {
    private Main() {}

    public static void main(String[] argv) {
        io.dutydesk.core.Phase.mark("main");
        List<String> args = List.of(argv);
        String training = System.getProperty("dutydesk.cds.train");
        if (training != null) { // packaging/cds-archive.sh: the archive's training run, not a user's
            try {
                CdsTraining.run(Path.of(training));
            } catch (java.io.IOException e) {
                System.err.println("dutydesk: CDS training: " + e);
                System.exit(1);
            }
            return;
        }
        if (args.contains("--version") || args.contains("-V")) {
            System.out.println("dutydesk " + Version.get());
            return;
        }
        try { // --metrics-port N: the window's and every verb's own metrics on 127.0.0.1 (off by default)
            MetricsOption.Parsed metrics = MetricsOption.extract(args);
            args = metrics.rest();
            if (metrics.port().isPresent()) {
                System.err.println("dutydesk: metrics at " + MetricsOption.start(metrics.port().getAsInt()).url());
            }
        } catch (MetricsOption.BadOption e) {
            System.err.println("dutydesk: " + e.getMessage());
            System.exit(Cli.USAGE);
        }
        Optional<String> verb = firstWord(args);
        if (verb.isPresent() || args.contains("--help") || args.contains("-h")) {
            List<String> cliArgs = verb.isPresent() ? args : List.of("help");
            io.dutydesk.core.rollout.ConsoleProcess.declare(io.dutydesk.core.rollout.ConsoleProcess.CLI); // named by the jobs it starts
            if (startsHandshake(cliArgs)) { // its handshake's curve code run once on a spare core while it reads its configuration
                io.dutydesk.adapters.ssh.CryptoWarmup.startIfSpareCore();
            }
            int code;
            // the environment a verb connects to is read first and its SSH handshake started at once: the rest of the run
            // (the audit log, the verbs) is built while the server answers
            Optional<Cli.Preloaded> preloaded = Cli.preload(cliArgs, System::getenv);
            io.dutydesk.core.Phase.mark("environment-read");
            try (LocalStore store = LocalStore.openDefault(); // opened on first use only, once
                 Connector connector = new Connector(new SecretToolKeyring(), store)) {
                io.dutydesk.core.Phase.mark("connector-built");
                preloaded.flatMap(Cli.Preloaded::environment).ifPresent(connector::prepare);
                code = new Cli(connector, new ConsoleSecretPrompt(), System::getenv,
                        System.out, System.err, new JsonlAuditLog(JsonlAuditLog.defaultFile(System::getenv)), Actor.local(),
                        Confirmer.TERMINAL, store.alertHistory()).checkHistory(store.checkHistory()).preloaded(preloaded).run(cliArgs);
            }
            io.dutydesk.core.Phase.mark("exit");
            System.exit(code);
        }
        Path config = null;
        Optional<String> env = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--config") || a.equals("-c")) && i + 1 < args.size()) {
                config = Path.of(args.get(++i));
            } else if ((a.equals("--env") || a.equals("-e")) && i + 1 < args.size()) {
                env = Optional.of(args.get(++i));
            } else {
                System.err.println("dutydesk: unknown option " + a + " (see dutydesk --help)");
                System.exit(Cli.USAGE);
            }
        }
        if (!"false".equals(System.getProperty("dutydesk.warmup"))) {
            ClassWarmup.start();
        }
        io.dutydesk.core.rollout.ConsoleProcess.declare(io.dutydesk.core.rollout.ConsoleProcess.WINDOW);
        DutydeskApp.launch(config != null ? config : EnvironmentsFile.defaultLocation(System::getenv), env);
    }

    /** The first argument that is neither an option nor an option's value. */
    /**
     * Whether a CLI run starts an SSH handshake as it opens its environment: a verb with an environment ({@code --env NAME},
     * {@code --env=NAME}, {@code -e NAME}) that {@link Cli#connectsAhead} says does.
     */
    static boolean startsHandshake(List<String> args) {
        Optional<String> verb = firstWord(args);
        if (verb.isEmpty() || !Cli.connectsAhead(verb.get())) {
            return false;
        }
        return args.stream().anyMatch(a -> a.equals("--env") || a.equals("-e") || a.startsWith("--env="));
    }

    static Optional<String> firstWord(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") || a.equals("-c") || a.equals("--env") || a.equals("-e")) {
                i++;
            } else if (!a.startsWith("-")) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
