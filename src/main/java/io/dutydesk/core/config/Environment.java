package io.dutydesk.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One environment of the environments file. Everything that is a team's convention (names,
 * commands, labels, tables, patterns) lives here, with defaults from the Selfology runbook.
 */
public record Environment(
        String name,
        String description,
        Ssh ssh,
        Docker docker,
        Postgres postgres,
        Redis redis,
        Http prometheus,
        Http alertmanager,
        Backups backups,
        Deploy deploy,
        Slots slots,
        Outbox outbox,
        Thresholds thresholds,
        Poll poll,
        Metrics metrics,
        Alerts alerts,
        Checks checks) {

    /** Without a {@code checks} / {@code checkSchedule} section: the runbook's morning checklist ({@link Checks#defaults}). */
    public Environment(String name, String description, Ssh ssh, Docker docker, Postgres postgres, Redis redis, Http prometheus,
                       Http alertmanager, Backups backups, Deploy deploy, Slots slots, Outbox outbox, Thresholds thresholds,
                       Poll poll, Metrics metrics, Alerts alerts) {
        this(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, backups, deploy, slots, outbox,
                thresholds, poll, metrics, alerts, Checks.defaults(alertmanager.configured(), backups.configured(), backups.folders(),
                        deploy.single()));
    }

    /** Without {@code metrics} and {@code alerts} sections: the runbook's saved queries, the default alert conventions. */
    public Environment(String name, String description, Ssh ssh, Docker docker, Postgres postgres, Redis redis, Http prometheus,
                       Http alertmanager, Backups backups, Deploy deploy, Slots slots, Outbox outbox, Thresholds thresholds,
                       Poll poll) {
        this(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, backups, deploy, slots, outbox,
                thresholds, poll, Metrics.DEFAULT, Alerts.DEFAULT);
    }

    /** Without a {@code metrics} section: the runbook's saved queries. */
    public Environment(String name, String description, Ssh ssh, Docker docker, Postgres postgres, Redis redis, Http prometheus,
                       Http alertmanager, Backups backups, Deploy deploy, Slots slots, Outbox outbox, Thresholds thresholds,
                       Poll poll, Alerts alerts) {
        this(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, backups, deploy, slots, outbox,
                thresholds, poll, Metrics.DEFAULT, alerts);
    }

    /**
     * Whether the environment has {@code b}: false for a part switched off in the file ({@code redis: false},
     * {@code alertmanager: false}, {@code backups: false}) — not polled, shown as "not configured", never counted as down.
     */
    public boolean configured(io.dutydesk.core.Backend b) {
        return switch (b) {
            case REDIS -> redis.configured();
            case ALERTMANAGER -> alertmanager.configured();
            case BACKUPS -> backups.configured();
            default -> true;
        };
    }

    /** The backends switched off in the file. */
    public java.util.Set<io.dutydesk.core.Backend> notConfigured() {
        java.util.Set<io.dutydesk.core.Backend> out = java.util.EnumSet.noneOf(io.dutydesk.core.Backend.class);
        for (io.dutydesk.core.Backend b : io.dutydesk.core.Backend.values()) {
            if (!configured(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /** The same environment polled at another pace. */
    public Environment withPoll(Poll p) {
        return new Environment(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, backups, deploy,
                slots, outbox, thresholds, p, metrics, alerts, checks);
    }

    /** The same environment with other backup folders, kinds or commands (tests). */
    public Environment withBackups(Backups b) {
        return new Environment(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, b, deploy,
                slots, outbox, thresholds, poll, metrics, alerts, checks);
    }

    /** The same environment with another checklist (tests). */
    public Environment withChecks(Checks c) {
        return new Environment(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, backups, deploy,
                slots, outbox, thresholds, poll, metrics, alerts, c);
    }

    /** The same environment with other outbox conventions (tests, benchmarks). */
    public Environment withOutbox(Outbox o, Redis r) {
        return new Environment(name, description, ssh, docker, postgres, r, prometheus, alertmanager, backups, deploy,
                slots, o, thresholds, poll, metrics, alerts, checks);
    }

    /**
     * The Metrics pane and {@code dutydesk query}: saved PromQL queries by name, in file order
     * ({@code metrics.queries}); the defaults are the runbook's error rate, p95 latency and outbox backlog.
     */
    public record Metrics(Map<String, String> queries) {
        public static final Metrics DEFAULT = new Metrics(defaultQueries());

        private static Map<String, String> defaultQueries() {
            Map<String, String> q = new java.util.LinkedHashMap<>();
            q.put("error rate", "sum by (service, slot) (rate(http_requests_total{status=~\"5..\"}[5m]))"
                    + " / sum by (service, slot) (rate(http_requests_total[5m]))");
            q.put("p95 latency", "quantile_over_time(0.95, scrape_duration_seconds{job=\"services\"}[5m])");
            q.put("outbox backlog", "max(outbox_pending_events)");
            q.put("request rate", "sum by (service, slot) (rate(http_requests_total[5m]))");
            q.put("targets up", "up");
            return java.util.Collections.unmodifiableMap(q);
        }
    }

    /** SSH target; {@code jump} is an optional bastion the target is reached through. */
    public record Ssh(String host, int port, String user, Optional<Path> identity, boolean agent,
                      Path knownHosts, Optional<Ssh> jump, Duration connectTimeout, Duration commandTimeout) {
        /** As written in the file: user and port may come from ~/.ssh/config (port 0, user null). */
        public String display() {
            return (user == null ? "" : user + "@") + host + (port == 0 || port == 22 ? "" : ":" + port);
        }
    }

    public record Docker(String socket, String dialStdioCommand) {}

    public record Postgres(String host, int port, String database, String user, SecretRef password) {}

    /** Redis and its stream; {@link #NONE} ({@code redis: false}): the environment has no stream. */
    public record Redis(String host, int port, Optional<String> user, SecretRef password, String stream,
                        List<String> groups) {
        public static final Redis NONE = new Redis("", 0, Optional.empty(), new SecretRef.None(), "", List.of());

        /** False for {@code redis: false}: no stream is shown, Redis is not polled. */
        public boolean configured() {
            return port != 0;
        }
    }

    /** A server-side HTTP service, with the path prefix it is served under. */
    public record Http(String host, int port, String pathPrefix) {
        /** {@code alertmanager: false}: the environment has none (not shown, not polled). */
        public static final Http NONE = new Http("", 0, "/");

        public boolean configured() {
            return port != 0;
        }

        public URI uriOn(String localHost, int localPort, String path) {
            String p = (pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix)
                    + (path.startsWith("/") ? path : "/" + path);
            return URI.create("http://" + localHost + ":" + localPort + p);
        }
    }

    /** A kind of backup: its file name pattern (group 1 is the timestamp) and retention. */
    public record BackupKind(String name, Pattern pattern, String timestampFormat, int retentionDays) {}

    /**
     * The backup folders on the server, the kinds of backup (classified by file name), the commands
     * (backup, list, restore; optional safetyBackup and restoreScratch, else built in), and the RPO:
     * the newest backup of one of {@code rpoKinds} must be younger than {@code rpoHours}. Files of
     * {@code dataOnlyKinds} hold rows without the schema: they are never restored into the live database.
     * {@code backupTimeout} and {@code restoreTimeout} bound the server-side jobs (empty: not bounded; the
     * deploy's {@code actionTimeoutSeconds} never applies to them). {@code versionSidecar}: the suffix of the team's own
     * sidecar naming the version deployed when a backup was taken ({@code FILE.version} by default); such files are
     * read with the listing, never listed as backups.
     */
    public record Backups(List<String> folders, List<BackupKind> kinds, Map<String, String> commands, int rpoHours,
                          List<String> rpoKinds, List<String> dataOnlyKinds, Optional<Duration> backupTimeout,
                          Optional<Duration> restoreTimeout, String versionSidecar) {
        /** The default suffix of the version sidecar. */
        public static final String VERSION_SIDECAR = ".version";
        /** {@code backups: false}: the environment has no backups the console looks after (pane "not configured"). */
        public static final Backups NONE = new Backups(List.of(), List.of(), Map.of(), 26, List.of(), List.of(),
                Optional.empty(), Optional.empty());

        public Backups {
            versionSidecar = versionSidecar == null || versionSidecar.isEmpty() ? VERSION_SIDECAR : versionSidecar;
        }

        public Backups(List<String> folders, List<BackupKind> kinds, Map<String, String> commands, int rpoHours,
                       List<String> rpoKinds, List<String> dataOnlyKinds, Optional<Duration> backupTimeout,
                       Optional<Duration> restoreTimeout) {
            this(folders, kinds, commands, rpoHours, rpoKinds, dataOnlyKinds, backupTimeout, restoreTimeout, VERSION_SIDECAR);
        }

        /** False for {@code backups: false}: no folder to read, nothing polled. */
        public boolean configured() {
            return !folders.isEmpty();
        }

        public Backups(List<String> folders, List<BackupKind> kinds, Map<String, String> commands) {
            this(folders, kinds, commands, 26, List.of("full"), List.of("incremental"));
        }

        public Backups(List<String> folders, List<BackupKind> kinds, Map<String, String> commands, int rpoHours,
                       List<String> rpoKinds, List<String> dataOnlyKinds) {
            this(folders, kinds, commands, rpoHours, rpoKinds, dataOnlyKinds, Optional.empty(), Optional.empty());
        }

        /** The same backups with other commands (tests, benchmarks). */
        public Backups withCommands(Map<String, String> c) {
            return new Backups(folders, kinds, c, rpoHours, rpoKinds, dataOnlyKinds, backupTimeout, restoreTimeout, versionSidecar);
        }

        /** The same backups in other folders. */
        public Backups withFolders(List<String> f) {
            return new Backups(f, kinds, commands, rpoHours, rpoKinds, dataOnlyKinds, backupTimeout, restoreTimeout, versionSidecar);
        }

        /** The same backups with other job bounds (empty: none). */
        public Backups withTimeouts(Optional<Duration> backup, Optional<Duration> restore) {
            return new Backups(folders, kinds, commands, rpoHours, rpoKinds, dataOnlyKinds, backup, restore, versionSidecar);
        }

        /** The same backups with another version sidecar suffix. */
        public Backups withVersionSidecar(String suffix) {
            return new Backups(folders, kinds, commands, rpoHours, rpoKinds, dataOnlyKinds, backupTimeout, restoreTimeout, suffix);
        }
    }

    /**
     * The deploy script: working directory, one command per verb, and the version rule. {@code liveSlotFile}
     * (empty: none) is a file on the server whose text {@code liveSlotPattern} reads the live slot from, read over
     * SFTP by the polls instead of running {@code liveSlotCommand} every interval; actions still ask the command.
     * {@code model}: how the environment deploys ({@link DeployModel#BLUE_GREEN}, two slots, or
     * {@link DeployModel#SINGLE}, one set of services replaced in place).
     */
    public record Deploy(String workdir, Map<String, String> commands, Pattern versionPattern, String liveSlotCommand,
                         Pattern liveSlotPattern, String stateDir, Duration actionTimeout, String liveSlotFile,
                         Map<String, String> rollbackTypes, DeployModel model) {
        public Deploy {
            rollbackTypes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rollbackTypes));
        }

        /** A blue-green deploy (the default model). */
        public Deploy(String workdir, Map<String, String> commands, Pattern versionPattern, String liveSlotCommand,
                      Pattern liveSlotPattern, String stateDir, Duration actionTimeout, String liveSlotFile,
                      Map<String, String> rollbackTypes) {
            this(workdir, commands, versionPattern, liveSlotCommand, liveSlotPattern, stateDir, actionTimeout, liveSlotFile,
                    rollbackTypes, DeployModel.BLUE_GREEN);
        }

        /** A blue-green deploy without a live-slot file nor rollback types. */
        public Deploy(String workdir, Map<String, String> commands, Pattern versionPattern, String liveSlotCommand,
                      Pattern liveSlotPattern, String stateDir, Duration actionTimeout) {
            this(workdir, commands, versionPattern, liveSlotCommand, liveSlotPattern, stateDir, actionTimeout, "", Map.of());
        }

        public boolean single() {
            return model == DeployModel.SINGLE;
        }
    }

    /** How an environment deploys: the word written in {@code deploy.model}. */
    public enum DeployModel {
        /** Two slots, one live; a deploy goes to the idle slot, a switch moves traffic (the default). */
        BLUE_GREEN("blue-green"),
        /** One set of services, replaced in place by the team's script; a rollback restores a backup. */
        SINGLE("single");

        private final String word;

        DeployModel(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static java.util.Optional<DeployModel> parse(String s) {
            return java.util.Arrays.stream(values()).filter(m -> m.word.equals(s)).findFirst();
        }
    }

    public record Slots(List<String> names, List<String> services, String containerName,
                        String slotLabel, String serviceLabel, String healthPath, String versionPath) {
        public String container(String service, String slot) {
            return containerName.replace("{service}", service).replace("{slot}", slot);
        }
    }

    /**
     * The transactional outbox: table, column and status names; how often the Outbox pane polls;
     * the PromQL that gives the backlog where Prometheus has it (empty: none); the relay's service name.
     */
    public record Outbox(String table, Map<String, String> columns, Map<String, String> statuses, Duration pollInterval,
                         String prometheusQuery, String relayService) {
        public Outbox(String table, Map<String, String> columns, Map<String, String> statuses) {
            this(table, columns, statuses, Duration.ofSeconds(10), "max(outbox_pending_events)", "outbox-relay");
        }

        /** The statuses still to be handled (all but published), by the console's names; without processing when the outbox has none. */
        public List<String> openStatuses() {
            return hasProcessing() ? List.of("pending", "processing", "failed") : List.of("pending", "failed");
        }

        /** False when {@code statuses.processing} is left empty: the outbox has no in-flight state (no Processing tile). */
        public boolean hasProcessing() {
            return statuses.containsKey("processing");
        }
    }

    /**
     * The outbox backlog's levels: by count (runbook: fine below 100, act above 1000) and by the age of
     * the oldest pending event (a stuck relay with five events is an incident too), and the stream lag.
     */
    public record Thresholds(int outboxPendingWarn, int outboxPendingCritical, int streamLagWarn, int outboxOldestWarnSeconds,
                             int outboxOldestCriticalSeconds) {
        public Thresholds(int outboxPendingWarn, int outboxPendingCritical, int streamLagWarn) {
            this(outboxPendingWarn, outboxPendingCritical, streamLagWarn, 300, 1800);
        }
    }

    public record Poll(Duration interval, Duration maxBackoff, Duration timeout) {}

    /**
     * The alert feed: how alerts are grouped, which label holds the severity and its values (most
     * severe first: critical/warning/info, page/ticket...), which severities notify, how often
     * Alertmanager is polled, and how far back the history is filled in from Prometheus on the first run.
     */
    public record Alerts(List<String> groupBy, String severityLabel, List<String> severities, List<String> notifySeverities,
                         Duration interval, boolean sound, Duration backfill) {
        /** Without an {@code alerts} section: group by alertname, severity critical/warning/info, notify critical, every 5 s. */
        public static final Alerts DEFAULT = new Alerts(List.of("alertname"), "severity", List.of("critical", "warning", "info"),
                List.of("critical"), Duration.ofSeconds(5), false, Duration.ofHours(24));

        /** 0 for the most severe; unknown severities after every known one. */
        public int rank(String severity) {
            int i = severity == null ? -1 : severities.indexOf(severity);
            return i < 0 ? severities.size() : i;
        }
    }

    /**
     * One check of the morning checklist ({@code checks.<id>} in the file, in file order): its kind (slots, outbox,
     * alerts, backups, prometheus, logs, disk), title and bounds. Fields a kind does not use are empty / defaults.
     *
     * @param query        prometheus: the PromQL (instant query); each series is held against {@code min}/{@code max}
     * @param min          prometheus: the lowest value that passes (inclusive); empty: no lower bound
     * @param max          prometheus: the highest value that passes (exclusive, "error rate &lt; 1 %"); empty: no upper bound
     * @param outside      prometheus: the status of a value out of bounds (WARN or FAIL)
     * @param noData       prometheus: the status of an empty result (UNKNOWN by default: no data is not a pass)
     * @param percent      prometheus: show values × 100 with "%"
     * @param unit         prometheus: a suffix for values ("$/day")
     * @param pattern      logs: an error line
     * @param warnAt       logs: as many matching lines as this or more: WARN
     * @param failAt       logs: as many or more: FAIL
     * @param newest       logs: how many of the newest matching lines the result keeps
     * @param services     logs: the live slot's services whose logs are read (empty: every configured service)
     * @param paths        disk: label → server path (a folder on the volume to measure); empty: the backup folders and
     *                     the database's data directory
     * @param warnFreePercent disk: free space below this per cent: WARN
     * @param failFreePercent disk: below this: FAIL
     * @param verify       backups: verify the newest backup within the RPO on the server when it is not verified yet
     * @param resolved     alerts: the status of alerts that fired and resolved since {@code overnightSince} (PASS or WARN)
     */
    public record Check(String id, String kind, String title, Duration timeout, String query, Optional<Double> min,
                        Optional<Double> max, String outside, String noData, boolean percent, String unit, Pattern pattern,
                        int warnAt, int failAt, int newest, List<String> services, Map<String, String> paths,
                        int warnFreePercent, int failFreePercent, boolean verify, String resolved) {
        public static final List<String> KINDS = List.of("slots", "outbox", "alerts", "backups", "prometheus", "logs", "disk");
        public static final String DEFAULT_LOG_PATTERN = "(?i)\\b(error|exception|fatal|panic|traceback)\\b";
        /** The database's data directory when {@code paths} is not given (Debian's; a path not there is measured at its nearest parent). */
        public static final String DEFAULT_DATABASE_PATH = "/var/lib/postgresql";
        public static final String ERROR_RATE = "sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))";

        /** A check of {@code kind} with every bound at its default. */
        public static Check of(String id, String kind, String title) {
            return new Check(id, kind, title, defaultTimeout(kind), "", Optional.empty(), Optional.empty(), "warn", "unknown",
                    false, "", Pattern.compile(DEFAULT_LOG_PATTERN), 1, 100, 3, List.of(), Map.of(), 20, 10, true, "warn");
        }

        /** Backups verify a file on the server: longer than a read. */
        public static Duration defaultTimeout(String kind) {
            return Duration.ofSeconds(kind.equals("backups") ? 180 : 30);
        }

        public Check withQuery(String q, Optional<Double> lo, Optional<Double> hi, boolean pct) {
            return new Check(id, kind, title, timeout, q, lo, hi, outside, noData, pct, unit, pattern, warnAt, failAt, newest,
                    services, paths, warnFreePercent, failFreePercent, verify, resolved);
        }

        public Check withPaths(Map<String, String> p) {
            return new Check(id, kind, title, timeout, query, min, max, outside, noData, percent, unit, pattern, warnAt, failAt,
                    newest, services, p, warnFreePercent, failFreePercent, verify, resolved);
        }
    }

    /**
     * The morning checklist and its schedule ({@code checks}, {@code checkSchedule}): the checks in order; when the
     * window runs them by itself ({@code times}, local times of day); since when alerts count as "overnight"; before
     * which time of day the window opens on the Today pane; the zone those times are in (the workstation's by default).
     */
    public record Checks(List<Check> list, List<java.time.LocalTime> times, java.time.LocalTime overnightSince,
                         java.time.LocalTime todayFirstBefore, Optional<java.time.ZoneId> zone) {
        public static final java.time.LocalTime DEFAULT_OVERNIGHT = java.time.LocalTime.of(18, 0);
        public static final java.time.LocalTime DEFAULT_FIRST_BEFORE = java.time.LocalTime.of(12, 0);

        /**
         * The runbook's daily list: system health (slots), pending events &lt; 100 (outbox), overnight alerts, error rate
         * &lt; 1 %, error logs; the DevOps strategy's backups within the RPO and disk space. Alerts and backups only when
         * the environment has them.
         */
        public static Checks defaults(boolean alertmanager, boolean backups, List<String> backupFolders) {
            return defaults(alertmanager, backups, backupFolders, false);
        }

        /** {@code single}: a single stack ({@code deploy.model: single}): the same checks, titled for a stack (no slots). */
        public static Checks defaults(boolean alertmanager, boolean backups, List<String> backupFolders, boolean single) {
            return new Checks(defaultList(alertmanager, backups, backupFolders, single), List.of(java.time.LocalTime.of(9, 0)),
                    DEFAULT_OVERNIGHT, DEFAULT_FIRST_BEFORE, Optional.empty());
        }

        public static List<Check> defaultList(boolean alertmanager, boolean backups, List<String> backupFolders) {
            return defaultList(alertmanager, backups, backupFolders, false);
        }

        public static List<Check> defaultList(boolean alertmanager, boolean backups, List<String> backupFolders, boolean single) {
            List<Check> l = new java.util.ArrayList<>();
            l.add(Check.of("slots", "slots", single ? "Stack healthy, rollback ready" : "Live slot healthy, rollback ready"));
            l.add(Check.of("outbox", "outbox", "Outbox pending and oldest event"));
            if (alertmanager) {
                l.add(Check.of("alerts", "alerts", "Alerts overnight"));
            }
            if (backups) {
                l.add(Check.of("backups", "backups", "Newest full backup within the RPO, verified"));
            }
            l.add(Check.of("error-rate", "prometheus", "Error rate < 1 %")
                    .withQuery(Check.ERROR_RATE, Optional.empty(), Optional.of(0.01), true));
            l.add(Check.of("logs", "logs", single ? "Error lines in the stack's logs" : "Error lines in the live slot's logs"));
            l.add(Check.of("disk", "disk", "Free space: backups and database").withPaths(defaultDiskPaths(backups, backupFolders)));
            return List.copyOf(l);
        }

        /** Each backup folder ("backups", "backups 2", …) and the database's data directory. */
        public static Map<String, String> defaultDiskPaths(boolean backups, List<String> backupFolders) {
            Map<String, String> p = new java.util.LinkedHashMap<>();
            if (backups) {
                for (int i = 0; i < backupFolders.size(); i++) {
                    p.put(i == 0 ? "backups" : "backups " + (i + 1), backupFolders.get(i));
                }
            }
            p.put("database", Check.DEFAULT_DATABASE_PATH);
            return java.util.Collections.unmodifiableMap(p);
        }
    }
}
