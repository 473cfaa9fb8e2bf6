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
        Alerts alerts) {

    /** The same environment polled at another pace. */
    public Environment withPoll(Poll p) {
        return new Environment(name, description, ssh, docker, postgres, redis, prometheus, alertmanager, backups, deploy,
                slots, outbox, thresholds, p, alerts);
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

    public record Redis(String host, int port, Optional<String> user, SecretRef password, String stream,
                        List<String> groups) {}

    /** A server-side HTTP service, with the path prefix it is served under. */
    public record Http(String host, int port, String pathPrefix) {
        public URI uriOn(String localHost, int localPort, String path) {
            String p = (pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix)
                    + (path.startsWith("/") ? path : "/" + path);
            return URI.create("http://" + localHost + ":" + localPort + p);
        }
    }

    /** A kind of backup: its file name pattern (group 1 is the timestamp) and retention. */
    public record BackupKind(String name, Pattern pattern, String timestampFormat, int retentionDays) {}

    public record Backups(List<String> folders, List<BackupKind> kinds, Map<String, String> commands) {}

    /** The deploy script: working directory, one command per verb, and the version rule. */
    public record Deploy(String workdir, Map<String, String> commands, Pattern versionPattern, String liveSlotCommand,
                         Pattern liveSlotPattern, String stateDir, Duration actionTimeout) {}

    public record Slots(List<String> names, List<String> services, String containerName,
                        String slotLabel, String serviceLabel, String healthPath, String versionPath) {
        public String container(String service, String slot) {
            return containerName.replace("{service}", service).replace("{slot}", slot);
        }
    }

    public record Outbox(String table, Map<String, String> columns, Map<String, String> statuses) {}

    public record Thresholds(int outboxPendingWarn, int outboxPendingCritical, int streamLagWarn) {}

    public record Poll(Duration interval, Duration maxBackoff, Duration timeout) {}

    /**
     * The alert feed: how alerts are grouped, which label holds the severity and its values (most
     * severe first: critical/warning/info, page/ticket...), which severities notify, how often
     * Alertmanager is polled, and how far back the history is filled in from Prometheus on the first run.
     */
    public record Alerts(List<String> groupBy, String severityLabel, List<String> severities, List<String> notifySeverities,
                         Duration interval, boolean sound, Duration backfill) {
        /** 0 for the most severe; unknown severities after every known one. */
        public int rank(String severity) {
            int i = severity == null ? -1 : severities.indexOf(severity);
            return i < 0 ? severities.size() : i;
        }
    }
}
