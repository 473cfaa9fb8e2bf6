package io.dutydesk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.ConfigException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.Probes;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.Verb;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code dutydesk <verb> --env NAME [--json]}: the same core as the window, without JavaFX.
 * Exit codes: 0 all well, 1 something is down or failed, 2 usage or configuration error.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int DOWN = 1;
    public static final int USAGE = 2;

    /** Every verb's connection, and the completion of the open audit entries it starts. */
    private final Connections connections;
    private final Function<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final RolloutCommands rollout;
    private final SingleCommands single;
    private final AuditLog audit;
    private final BackupCommands backups;
    private final MaintenanceCommands maintenance;
    private final AlertsCommands alerts;
    private final io.dutydesk.core.ports.AlertHistory alertHistory;
    private final String actor;
    private io.dutydesk.core.ports.CheckHistory checkHistory = io.dutydesk.core.ports.CheckHistory.NONE;

    public Cli(EnvironmentConnector connector, SecretPrompt secrets, Function<String, String> env, PrintStream out,
               PrintStream err, AuditLog audit, String actor, Confirmer confirmer) {
        this(connector, secrets, env, out, err, audit, actor, confirmer, NO_HISTORY);
    }

    /** No local store (tests of other verbs): the alert history fails with a clear message. */
    private static final io.dutydesk.core.ports.AlertHistory NO_HISTORY = new io.dutydesk.core.ports.AlertHistory() {
        private <T> java.util.concurrent.CompletableFuture<T> none() {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no local store"));
        }

        @Override
        public java.util.concurrent.CompletableFuture<Optional<java.time.Instant>> lastPoll(String env) {
            return none();
        }

        @Override
        public java.util.concurrent.CompletableFuture<java.util.Map<String, io.dutydesk.core.alerts.Tracked>> open(String env) {
            return none();
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<io.dutydesk.core.alerts.Transition>> observe(
                io.dutydesk.core.alerts.AlertsFeed feed) {
            return none();
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> record(String env, List<io.dutydesk.core.alerts.Transition> ts) {
            return none();
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<io.dutydesk.core.alerts.Transition>> since(String env,
                                                                                                   java.time.Instant since) {
            return none();
        }
    };

    /** @param alertHistory the alert history in the local store (the app passes the SQLite one) */
    public Cli(EnvironmentConnector connector, SecretPrompt secrets, Function<String, String> env, PrintStream out,
               PrintStream err, AuditLog audit, String actor, Confirmer confirmer,
               io.dutydesk.core.ports.AlertHistory alertHistory) {
        this.connections = new Connections(connector, secrets, audit, actor, err);
        this.env = env;
        this.out = out;
        this.err = err;
        this.rollout = new RolloutCommands(out, err, audit, actor, confirmer);
        this.single = new SingleCommands(out, err, audit, actor, confirmer);
        this.audit = audit;
        this.backups = new BackupCommands(out, err, audit, actor, confirmer);
        this.maintenance = new MaintenanceCommands(out, err, audit, actor, confirmer);
        this.alerts = new AlertsCommands(out, err, audit, actor, alertHistory);
        this.alertHistory = alertHistory;
        this.actor = actor;
    }

    /** Where {@code check} keeps its runs (the app passes the local store's); without it runs are compared with none. */
    public Cli checkHistory(io.dutydesk.core.ports.CheckHistory h) {
        this.checkHistory = h;
        return this;
    }

    public static boolean isVerb(String s) {
        return List.of("envs", "ping", "status", "outbox", "deploy", "switch", "rollback", "cleanup", "query", "audit", "help",
                "health-check", "logs",
                "backups", "backup-now", "verify", "download", "restore", "remove-part", "doctor", "check", "lock", "unlock",
                "history").contains(s)
                || AlertsCommands.VERBS.contains(s);
    }

    /** A command line parsed: its arguments and the options of the verbs that have their own. */
    record Parsed(Args args, QueryCommand.Options queryOptions, AlertsCommands.Options alertOptions,
                          CheckCommand.Options checkOptions) {}

    /** Parses and checks a command line ({@link Args.UsageException} when it is not one). */
    static Parsed parse(List<String> argv) {
        List<String> rest = new java.util.ArrayList<>(argv);
        QueryCommand.Options queryOptions = QueryCommand.extract(rest);
        AlertsCommands.Options alertOptions = AlertsCommands.Options.extract(rest);
        CheckCommand.Options checkOptions = CheckCommand.Options.extract(alertOptions.rest());
        Args args = Args.parse(checkOptions.rest());
        if (checkOptions.any() && !"check".equals(args.verb())) {
            throw new Args.UsageException("--report and --push are for check");
        }
        if (!"query".equals(args.verb()) && !rest.equals(argv)) {
            throw new Args.UsageException("--range, --step, --csv and --saved belong to 'query'");
        }
        if (alertOptions.any() && !AlertsCommands.VERBS.contains(args.verb())) {
            throw new Args.UsageException("--filter, --since, --match, --duration and --comment are for alerts, silence, unsilence");
        }
        return new Parsed(args, queryOptions, alertOptions, checkOptions);
    }

    /**
     * The environments file a run read ahead ({@link #preload}) — what it holds, or why it could not be read — and the
     * environment its verb connects to, when the verb gets that far.
     */
    public record Preloaded(java.nio.file.Path file, EnvironmentsFile environments, RuntimeException failure,
                            Optional<Environment> environment) {
        /** The file as the run's own read would have found it: its content, or its read's failure again. */
        EnvironmentsFile load() {
            if (failure != null) {
                throw failure;
            }
            return environments;
        }
    }

    /**
     * Reads the environments file of a command line whose verb connects to an environment ahead ({@link #connectsAhead}),
     * before anything else of the run is built, and names that environment when the run would connect to it: the app
     * starts its SSH handshake at once and builds the rest meanwhile. Empty for any other command line and for one the run
     * refuses as a usage error; no environment when the file, the environment or the verb's own checks refuse the run
     * before it connects ({@link #refusedBeforeConnecting}: a refused verb logs in nowhere, as before).
     *
     * <p>The file is read once per run ({@link #preloaded}): its content or its failure is what the run reads — a file that
     * can be read only once (a pipe: {@code --config <(sops -d envs.yaml)}, {@code /dev/stdin}) is not read again empty.
     */
    public static Optional<Preloaded> preload(List<String> argv, Function<String, String> env) {
        Parsed parsed;
        try {
            parsed = parse(argv);
        } catch (RuntimeException usage) { // the run reports it
            return Optional.empty();
        }
        Args args = parsed.args();
        if (args.verb() == null || !isVerb(args.verb()) || !connectsAhead(args.verb()) || args.env().isEmpty()) {
            return Optional.empty();
        }
        java.nio.file.Path file = args.config().orElseGet(() -> EnvironmentsFile.defaultLocation(env));
        EnvironmentsFile f;
        try {
            f = EnvironmentsFile.load(file);
        } catch (RuntimeException e) { // the run reports it, as its own read would have
            return Optional.of(new Preloaded(file, null, e, Optional.empty()));
        }
        Optional<Environment> target;
        try {
            Environment e = f.require(args.env().get());
            target = refusedBeforeConnecting(parsed, e) ? Optional.empty() : Optional.of(e);
        } catch (RuntimeException notThere) { // an unknown environment (or "all"): the run says so, or reads each itself
            target = Optional.empty();
        }
        return Optional.of(new Preloaded(file, f, null, target));
    }

    /**
     * Whether the run of {@code p} on {@code e} stops before it connects: a verb's own checks of its arguments, the ones
     * {@link #run} makes before opening the environment (the same methods), refuse it.
     */
    static boolean refusedBeforeConnecting(Parsed p, Environment e) {
        Args args = p.args();
        try {
            switch (args.verb()) {
                case "logs" -> logsArgs(args);
                case "deploy", "switch", "rollback", "cleanup" -> {
                    Verb verb = Verb.parse(args.verb());
                    Optional<String> version = actionArgs(args, verb);
                    if (e.deploy().single()) {
                        if (singleRefusal(args, e, verb, version) != null) {
                            return true;
                        }
                        if (verb == Verb.DEPLOY) {
                            RolloutCommands.validate(e, verb, version);
                        }
                    } else {
                        RolloutCommands.validate(e, verb, version);
                    }
                }
                case "query" -> QueryCommand.expression(args, p.queryOptions(), e);
                case "doctor" -> doctorArgs(args);
                case "check" -> checkArgs(args);
                case "lock", "unlock", "history" -> MaintenanceCommands.validate(args);
                case "alerts", "silence", "unsilence" -> AlertsCommands.validate(args.verb(), p.alertOptions(), args);
                default -> {
                    // no check of its own before it connects
                }
            }
            return false;
        } catch (RuntimeException refused) {
            return true;
        }
    }

    private Optional<Preloaded> preloaded = Optional.empty();

    /** The environments file this run read ahead ({@link #preload}): used for that file instead of reading it again. */
    public Cli preloaded(Optional<Preloaded> p) {
        this.preloaded = p;
        return this;
    }

    public int run(List<String> argv) {
        Args args;
        try {
            Parsed parsed = parse(argv);
            args = parsed.args();
            QueryCommand.Options queryOptions = parsed.queryOptions();
            AlertsCommands.Options alertOptions = parsed.alertOptions();
            CheckCommand.Options checkOptions = parsed.checkOptions();
            if (args.verb() == null || args.verb().equals("help")) {
                usage(args.verb() == null ? err : out);
                return args.verb() == null ? USAGE : OK;
            }
            return switch (args.verb()) {
                case "envs" -> envs(args);
                case "ping" -> ping(args);
                case "status" -> withEnvironment(args, (e, h) -> e.deploy().single() ? single.status(e, h, args.json())
                        : rollout.status(e, h, args.json()));
                case "health-check" -> withEnvironment(args, (e, h) -> single.healthCheck(e, h, args.json()));
                case "logs" -> {
                    logsArgs(args);
                    yield withEnvironment(args, (e, h) -> single.logs(e, h, args.positional().get(0)));
                }
                case "outbox" -> withEnvironment(args, (e, h) -> new OutboxCommand(out).run(e, h, args.json()));
                case "deploy", "switch", "rollback", "cleanup" -> action(args);
                case "query" -> {
                    Environment qe = load(args).require(args.requireEnv());
                    String expr = QueryCommand.expression(args, queryOptions, qe);
                    yield withEnvironment(args, (e, h) -> new QueryCommand(out, err, audit).run(e, h, expr, queryOptions, args.json()));
                }
                case "backups" -> withEnvironment(args, (e, h) -> backups.list(e, h, args));
                case "backup-now" -> withEnvironment(args, (e, h) -> backups.backupNow(e, h, args));
                case "verify" -> withEnvironment(args, (e, h) -> backups.verify(e, h, args));
                case "download" -> withEnvironment(args, (e, h) -> backups.download(e, h, args));
                case "restore" -> withEnvironment(args, (e, h) -> backups.restore(e, h, args));
                case "remove-part" -> withEnvironment(args, (e, h) -> backups.removePart(e, h, args));
                case "doctor" -> {
                    doctorArgs(args);
                    yield withEnvironment(args, (e, h) -> new DoctorCommand(out, Clock.systemUTC()).run(e, h, args.json()));
                }
                case "check" -> check(args, checkOptions);
                case "audit" -> withEnvironment(args, (e, h) -> rollout.audit(e, h, args.json(), 200));
                case "lock", "unlock", "history" -> {
                    MaintenanceCommands.validate(args); // before connecting
                    yield withEnvironment(args, (e, h) -> maintenance.run(e, h, args));
                }
                case "alerts", "silence", "unsilence" -> {
                    AlertsCommands.validate(args.verb(), alertOptions, args); // before connecting
                    yield withEnvironment(args, (e, h) -> alerts.run(args.verb(), alertOptions, args, e, h));
                }
                default -> throw new Args.UsageException("unknown verb '" + args.verb() + "'");
            };
        } catch (Args.UsageException e) {
            err.println("dutydesk: " + e.getMessage());
            usage(err);
            return USAGE;
        } catch (ConfigException e) {
            err.println("dutydesk: " + e.getMessage());
            return USAGE;
        } catch (RolloutException e) {
            err.println("dutydesk: " + e.getMessage());
            return USAGE;
        }
    }

    private static void logsArgs(Args args) {
        if (args.positional().size() != 1) {
            throw new Args.UsageException("logs needs one SERVICE, e.g. dutydesk logs app --env NAME");
        }
    }

    private static void doctorArgs(Args args) {
        if (!args.positional().isEmpty() || args.yes() || args.force() || args.to().isPresent() || args.scratch()) {
            throw new Args.UsageException("doctor takes only --env NAME [--json]");
        }
    }

    private static void checkArgs(Args args) {
        if (!args.positional().isEmpty() || args.yes() || args.force() || args.to().isPresent() || args.scratch()) {
            throw new Args.UsageException("check takes only --env NAME|all [--json] [--report FILE.md|FILE.html] [--push URL]");
        }
    }

    private int check(Args args, CheckCommand.Options o) {
        checkArgs(args);
        EnvironmentsFile f = load(args);
        String name = args.requireEnv();
        boolean all = name.equals("all") && !f.environments().containsKey("all");
        List<Environment> envs = all ? List.copyOf(f.environments().values()) : List.of(f.require(name));
        return new CheckCommand(out, err, audit, actor, alertHistory, checkHistory, Clock.systemDefaultZone())
                .run(envs, all, o, args.json(), e -> {
                    EnvironmentHandle h = connections.open(e);
                    connections.reconciled();
                    return h;
                });
    }

    /** An action's arguments checked (before its environment is read); its version argument, if any. */
    private static Optional<String> actionArgs(Args args, Verb verb) {
        Optional<String> version = args.positional().isEmpty() ? Optional.empty() : Optional.of(args.positional().get(0));
        if (args.positional().size() > 1) {
            throw new Args.UsageException(verb.id() + " takes at most one argument");
        }
        if ((args.to().isPresent() || args.type().isPresent()) && verb != Verb.ROLLBACK) {
            throw new Args.UsageException("--to VERSION and --type TYPE belong to 'rollback'");
        }
        if (args.to().isPresent() && args.type().isPresent()) {
            throw new Args.UsageException("rollback takes --to VERSION or --type TYPE, not both");
        }
        if (args.message().isPresent()) {
            throw new Args.UsageException("--message belongs to 'lock'");
        }
        return version;
    }

    private int action(Args args) {
        Verb verb = Verb.parse(args.verb());
        Optional<String> version = actionArgs(args, verb);
        Environment e = load(args).require(args.requireEnv());
        if (e.deploy().single()) {
            return singleAction(args, e, verb, version);
        }
        rollout.validateOrAudit(e, verb, version); // before connecting: nothing runs on a refused version
        Optional<String> to = args.to().map(java.nio.file.Path::toString);
        // the action waits for the open entries' completion itself, once its plan's read is under way
        return withEnvironment(e, false, (en, h) -> rollout.action(en, h, verb, version, to, args.type(), args, args.force(),
                connections::reconciled));
    }

    /** Why a single stack refuses this action before connecting (audited by the run), or null. */
    private static String singleRefusal(Args args, Environment e, Verb verb, Optional<String> version) {
        return switch (verb) {
            case SWITCH, CLEANUP -> verb.id() + " has no meaning on " + e.name() + ": a single stack (deploy.model: single) has no idle slot";
            case ROLLBACK -> version.isPresent() ? "rollback on a single stack goes to a backup or an earlier release: give it with --to FILE|VERSION, not as an argument"
                    : args.type().isPresent() && e.deploy().rollbackTypes().isEmpty() ? e.name() + " declares no rollback types (deploy.rollbackTypes)"
                    : args.to().isEmpty() && args.type().isEmpty() ? "rollback on a single stack needs what to go back to: --to FILE (see dutydesk backups --env "
                    + e.name() + ") or --to VERSION (see dutydesk history --env " + e.name() + ")" : null;
            case DEPLOY -> null;
        };
    }

    /** deploy VERSION / rollback --to BACKUP on a single stack; switch and cleanup refused (audited) before connecting. */
    private int singleAction(Args args, Environment e, Verb verb, Optional<String> version) {
        String why = singleRefusal(args, e, verb, version);
        if (why != null) {
            rollout.auditRefused(e, verb, version, why);
            throw new Args.UsageException(why + "; nothing was run");
        }
        if (verb == Verb.DEPLOY) {
            rollout.validateOrAudit(e, verb, version); // a refused version: nothing runs, before connecting
        }
        return withEnvironment(e, false, (en, h) -> single.action(en, h, verb, version, args, connections::reconciled));
    }

    private interface EnvWork {
        int run(Environment e, EnvironmentHandle h);
    }

    private int withEnvironment(Args args, EnvWork work) {
        return withEnvironment(load(args).require(args.requireEnv()), true, connectsAhead(args.verb()), work);
    }

    /** The verbs of the local files: their environment is opened without an SSH handshake started ahead. */
    private static final java.util.Set<String> LOCAL_VERBS = java.util.Set.of("envs", "help", "audit");

    /**
     * Whether {@code verb} starts the SSH handshake as it opens its environment: every verb that asks the server, not
     * those of the local files ({@code audit} asks the server only when an entry is open).
     */
    public static boolean connectsAhead(String verb) {
        return !LOCAL_VERBS.contains(verb);
    }

    /** With an environment already read (the environments file parsed once per run). */
    private int withEnvironment(Environment e, EnvWork work) {
        return withEnvironment(e, true, work);
    }

    /** {@code reconciledFirst}: the open entries' completion waited for before {@code work}; else {@code work} waits for it. */
    private int withEnvironment(Environment e, boolean reconciledFirst, EnvWork work) {
        return withEnvironment(e, reconciledFirst, true, work);
    }

    private int withEnvironment(Environment e, boolean reconciledFirst, boolean ahead, EnvWork work) {
        try (EnvironmentHandle h = connections.open(e, ahead)) {
            if (reconciledFirst) {
                connections.reconciled();
            }
            return work.run(e, h);
        }
    }

    private void usage(PrintStream p) {
        p.println("""
                usage: dutydesk [--config FILE] [--env NAME]          open the console window
                       dutydesk envs [--json]                         list the environments
                       dutydesk ping --env NAME [--json]              check every backend over SSH
                       dutydesk status --env NAME [--json]            live slot, both slots' containers, rollback readiness
                                                              (exit 1 when the live slot is degraded)
                       dutydesk outbox --env NAME [--json]            outbox backlog and the stream's consumer groups
                       dutydesk deploy VERSION --env NAME [--yes] [--json]   deploy to the idle slot
                       dutydesk switch|rollback|cleanup --env NAME [--yes] [--force] [--json]
                       dutydesk rollback --env NAME --to VERSION [--yes] [--json]   an earlier release whose image is on
                                                              the host: deployed to the idle slot, checked, switched
                       dutydesk rollback --env NAME --type TYPE [--yes] [--json]   a rollback type the environment declares
                       dutydesk rollback --env NAME --to BACKUP --yes [--json]   single stack: restore BACKUP and its version
                       dutydesk health-check --env NAME [--json]      the team's health check per service (exit 1: not all healthy)
                       dutydesk logs SERVICE --env NAME               the team's view of a service's log (deploy.commands.logs)
                       dutydesk lock --env NAME --message TEXT [--json]   maintenance lock: every action refused until unlock
                       dutydesk unlock --env NAME [--yes] [--json]    release it (someone else's: type the environment's name)
                       dutydesk history --env NAME [--json]           releases deployed here, when, by whom, still on the host
                       dutydesk query --env NAME 'EXPR' [--range 1h] [--step 15s] [--json|--csv]
                                                              PromQL (instant without --range); or --saved NAME
                       dutydesk backups --env NAME [--json]           backups by kind, age, retention, verification; RPO
                       dutydesk backup-now --env NAME [--json]        run the configured backup command on the server
                       dutydesk verify NAME --env NAME [--json]       verify a backup on the server (exit 0 ok, 1 bad)
                       dutydesk download NAME --to DIR --env NAME [--json]   resumable, checksum checked
                       dutydesk restore NAME --env NAME [--yes] [--scratch] [--force] [--json]   verified first (a failing
                                                                      backup only with --force), safety backup first; --scratch:
                                                                      into a scratch database, row counts against live
                       dutydesk remove-part NAME --env NAME [--yes]   remove a leftover .part file of a killed job (only the SSH
                                                                      user's own: other users' writers cannot be seen)
                       dutydesk doctor --env NAME [--json]            check what the configuration names against the server
                                                              (exit 1 when any check finds a problem, each with its fix)
                       dutydesk check --env NAME|all [--json] [--report FILE.md|FILE.html] [--push URL]
                                                              the morning checklist, kept and compared with the last run
                                                              (exit 1 when any check warns, fails or cannot tell)
                       dutydesk audit --env NAME [--json]             the last actions, one row each (open ones completed from the server)
                       dutydesk alerts --env NAME [--json] [--filter MATCHERS]   Alertmanager's alerts (exit 1 if any active)
                       dutydesk alerts --env NAME --since 12h [--json]  the alert history (fired, resolved, silenced)
                       dutydesk silence --env NAME --match k=v [--match ...] --duration 2h --comment TEXT [--json]
                       dutydesk unsilence --env NAME ID                  expire a silence
                       dutydesk --version
                options: --config FILE (default $DUTYDESK_CONFIG, else $XDG_CONFIG_HOME/dutydesk/environments.yaml)
                         --metrics-port N (window and verbs): own metrics at http://127.0.0.1:N/metrics (0: a free port)
                exit codes: 0 ok (an action: verified on the server), 1 something down or failed, 2 usage,
                configuration error or refused input""");
    }

    private EnvironmentsFile load(Args args) {
        java.nio.file.Path file = args.config().orElseGet(() -> EnvironmentsFile.defaultLocation(env));
        if (preloaded.isPresent() && preloaded.get().file().equals(file)) { // read once per run (a pipe can be read only once)
            return preloaded.get().load();
        }
        return EnvironmentsFile.load(file);
    }

    private int envs(Args args) throws ConfigException {
        EnvironmentsFile f = load(args);
        if (args.json()) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("file", f.file().toString());
            ArrayNode arr = root.putArray("environments");
            for (Environment e : f.environments().values()) {
                ObjectNode o = arr.addObject();
                o.put("name", e.name());
                o.put("description", e.description());
                o.put("ssh", e.ssh().display());
            }
            print(root);
        } else {
            for (Environment e : f.environments().values()) {
                out.printf("%-16s %-32s %s%n", e.name(), e.ssh().display(), e.description());
            }
        }
        return OK;
    }

    private int ping(Args args) {
        EnvironmentsFile f = load(args);
        Environment e = f.require(args.requireEnv());
        List<BackendStatus> statuses;
        try (EnvironmentHandle h = connections.open(e)) {
            connections.reconciled();
            Duration timeout = e.poll().timeout().plus(e.ssh().connectTimeout());
            // the latencies printed are a second request's: a network round trip, not the first use's set-up
            statuses = new java.util.ArrayList<>(Probes.pingWarm(h.probes().stream().filter(p -> e.configured(p.backend())).toList(),
                    timeout, Clock.systemUTC()).join());
        }
        e.notConfigured().forEach(b -> statuses.add(BackendStatus.notConfigured(b))); // switched off in the file: not pinged
        statuses.sort(java.util.Comparator.comparing(BackendStatus::backend));
        boolean allOk = statuses.stream().allMatch(s -> s.ok() || s.state() == BackendStatus.State.NOT_CONFIGURED);
        if (args.json()) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", e.name());
            ArrayNode arr = root.putArray("backends");
            for (BackendStatus s : statuses) {
                ObjectNode o = arr.addObject();
                o.put("name", s.backend().id());
                o.put("ok", s.ok());
                o.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT)); // ok, down, misconfigured
                o.put("latencyMs", s.latencyMs());
                if (s.error() == null) {
                    o.putNull("error");
                } else {
                    o.put("error", s.error());
                }
            }
            print(root);
        } else {
            out.println(e.name() + "  " + e.ssh().display());
            for (BackendStatus s : statuses) {
                out.printf("  %-13s %-5s %6d ms  %s%n", s.backend().id(), s.ok() ? "ok"
                        : s.state() == BackendStatus.State.NOT_CONFIGURED ? "not configured" : s.state().name(), s.latencyMs(),
                        s.error() == null ? "" : s.error());
            }
        }
        return allOk ? OK : DOWN;
    }

    private void print(Object node) {
        try {
            out.println(Json.MAPPER.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }


    /**
     * The audit log could not be written around {@code what}. Before it: nothing was run ("dutydesk: backup-now: nothing
     * was run: the audit log FILE could not be written (No space left on device)"), exit 1. After it ran (a verification,
     * a download, a removal): its outcome stands — a warning, and the exit code of the outcome, not of the audit.
     */
    static int auditFailure(io.dutydesk.core.audit.AuditWriteException a, String what, Args args, PrintStream out, PrintStream err) {
        err.println("dutydesk: " + (a.ran() ? "warning: " : "") + what + ": " + a.getMessage());
        if (args.json()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("ran", a.ran());
            o.put("ok", a.ran() && a.succeeded());
            if (a.ran()) {
                o.put("auditWarning", a.getMessage());
            } else {
                o.put("refused", true);
                o.put("error", a.getMessage());
            }
            out.println(Json.write(o));
        }
        return a.ran() && a.succeeded() ? OK : DOWN;
    }

    /**
     * The warning for an action that ran whose completion could not be written: the exit code follows the action's
     * outcome (a script must not run a successful deploy or backup again), the gap in the log is said on stderr.
     */
    static String auditWarning(String action, String warning, io.dutydesk.core.config.Environment env) {
        return "dutydesk: warning: " + action + " " + warning + "; its started entry is in the log, and 'dutydesk audit --env "
                + env.name() + "' completes it from the server's exit file once the log can be written";
    }
}
