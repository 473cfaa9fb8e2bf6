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
        Alerts alerts) {

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
                slots, outbox, thresholds, p, metrics, alerts);
    }

    /** The same environment with other backup folders, kinds or commands (tests). */
    public Environment withBackups(Backups b) {
        return new Environment(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, b, deploy,
                slots, outbox, thresholds, poll, metrics, alerts);
    }

    /** The same environment with other outbox conventions (tests, benchmarks). */
    public Environment withOutbox(Outbox o, Redis r) {
        return new Environment(name, description, ssh, docker, postgres, r, prometheus, alertmanager, backups, deploy,
                slots, o, thresholds, poll, metrics, alerts);
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
     * deploy's {@code actionTimeoutSeconds} never applies to them).
     */
    public record Backups(List<String> folders, List<BackupKind> kinds, Map<String, String> commands, int rpoHours,
                          List<String> rpoKinds, List<String> dataOnlyKinds, Optional<Duration> backupTimeout,
                          Optional<Duration> restoreTimeout) {
        /** {@code backups: false}: the environment has no backups the console looks after (pane "not configured"). */
        public static final Backups NONE = new Backups(List.of(), List.of(), Map.of(), 26, List.of(), List.of(),
                Optional.empty(), Optional.empty());

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
            return new Backups(folders, kinds, c, rpoHours, rpoKinds, dataOnlyKinds, backupTimeout, restoreTimeout);
        }

        /** The same backups in other folders. */
        public Backups withFolders(List<String> f) {
            return new Backups(f, kinds, commands, rpoHours, rpoKinds, dataOnlyKinds, backupTimeout, restoreTimeout);
        }

        /** The same backups with other job bounds (empty: none). */
        public Backups withTimeouts(Optional<Duration> backup, Optional<Duration> restore) {
            return new Backups(folders, kinds, commands, rpoHours, rpoKinds, dataOnlyKinds, backup, restore);
        }
    }

    /**
     * The deploy script: working directory, one command per verb, and the version rule; {@code model}: how the
     * environment deploys ({@link DeployModel#BLUE_GREEN}, two slots, or {@link DeployModel#SINGLE}, one set of services
     * replaced in place).
     */
    public record Deploy(String workdir, Map<String, String> commands, Pattern versionPattern, String liveSlotCommand,
                         Pattern liveSlotPattern, String stateDir, Duration actionTimeout, DeployModel model) {
        /** A blue-green deploy (the default model). */
        public Deploy(String workdir, Map<String, String> commands, Pattern versionPattern, String liveSlotCommand,
                      Pattern liveSlotPattern, String stateDir, Duration actionTimeout) {
            this(workdir, commands, versionPattern, liveSlotCommand, liveSlotPattern, stateDir, actionTimeout, DeployModel.BLUE_GREEN);
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
}
