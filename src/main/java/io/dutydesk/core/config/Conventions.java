package io.dutydesk.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.dutydesk.core.config.EnvironmentsFile.DEFAULT_LIVE_PATTERN;
import static io.dutydesk.core.config.EnvironmentsFile.DEFAULT_VERSION_PATTERN;
import static io.dutydesk.core.config.EnvironmentsFile.DEPLOY_VERBS;

/**
 * The team's conventions in the environments file — backups, the deploy script, slots and
 * container names, the outbox table, thresholds, polling — each with the Selfology runbook's
 * defaults, so that another team's conventions are configuration only.
 */
final class Conventions {
    private Conventions() {}

    static Environment.Backups backups(Optional<YamlNode> o) {
        List<Environment.BackupKind> defaultKinds = List.of(
                kind("full", "selfology_full_(\\d{8}_\\d{6})\\.(?:sql|sql\\.gz|dump)", 30),
                kind("incremental", "selfology_incr_(\\d{8}_\\d{6})\\.(?:sql|sql\\.gz|dump)", 7),
                kind("pre-migration", "selfology_premigration_(\\d{8}_\\d{6})\\.(?:sql|sql\\.gz|dump)", 90),
                kind("pre-deployment", "selfology_predeploy_(\\d{8}_\\d{6})\\.(?:sql|sql\\.gz|dump)", 90));
        Map<String, String> defaultCommands = Map.of(
                "backup", "./scripts/backup-restore.sh backup-full",
                "list", "./scripts/backup-restore.sh list",
                "restore", "./scripts/backup-restore.sh restore-full {file}");
        if (o.isEmpty()) {
            return new Environment.Backups(List.of("~/backups/selfology"), defaultKinds, defaultCommands);
        }
        YamlNode n = o.get().onlyKeys(List.of("folders", "kinds", "commands", "rpoHours", "rpoKinds", "dataOnlyKinds",
                "backupTimeoutSeconds", "restoreTimeoutSeconds", "versionSidecar"));
        List<Environment.BackupKind> kinds = defaultKinds;
        Optional<YamlNode> k = n.get("kinds");
        if (k.isPresent()) {
            kinds = new ArrayList<>();
            for (Map.Entry<String, YamlNode> e : k.get().entries().entrySet()) {
                YamlNode kn = e.getValue().onlyKeys(List.of("pattern", "timestampFormat", "retentionDays"));
                YamlNode pat = kn.require("pattern");
                Pattern p = regex(pat);
                if (p.matcher("").groupCount() < 1) {
                    throw pat.error("needs a group (...) around the timestamp");
                }
                String format = kn.string("timestampFormat", "yyyyMMdd_HHmmss");
                Optional<String> bad = TimestampFormat.problem(format);
                if (bad.isPresent()) {
                    throw kn.require("timestampFormat").error(bad.get());
                }
                kinds.add(new Environment.BackupKind(e.getKey(), p, format,
                        kn.integer("retentionDays", 30, 1, 36500)));
            }
            kinds = List.copyOf(kinds);
        }
        List<String> rpoKinds = n.strings("rpoKinds", List.of("full"));
        return new Environment.Backups(n.strings("folders", List.of("~/backups/selfology")), kinds,
                commands("backups", n.get("commands"), defaultCommands, Set.of("backup", "list", "restore", "safetyBackup", "restoreScratch")),
                n.integer("rpoHours", 26, 1, 24 * 366), rpoKinds, n.strings("dataOnlyKinds", List.of("incremental")),
                jobBound(n, "backupTimeoutSeconds"), jobBound(n, "restoreTimeoutSeconds"), versionSidecar(n));
    }

    /** {@code backups.versionSidecar}: a suffix such as ".version" — starts with '.', no '/', printable, at most 32 characters. */
    static String versionSidecar(YamlNode n) {
        String s = n.string("versionSidecar", Environment.Backups.VERSION_SIDECAR);
        if (!s.matches("\\.[A-Za-z0-9_.+-]{1,31}")) {
            throw n.require("versionSidecar").error("a file name suffix such as .version: a '.' then letters, digits, '_', '.', '+' "
                    + "or '-', at most 32 characters");
        }
        return s;
    }

    /** A backup job's bound in seconds: absent or 0 is none (the job runs until it ends), else 10 s .. 7 days. */
    static Optional<Duration> jobBound(YamlNode n, String key) {
        if (n.get(key).isEmpty()) {
            return Optional.empty();
        }
        int s = n.integer(key, 0, 0, 7 * 86400);
        if (s > 0 && s < 10) {
            throw n.require(key).error("0 (no bound) or at least 10 seconds");
        }
        return s == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
    }

    static Environment.BackupKind kind(String name, String regex, int days) {
        return new Environment.BackupKind(name, Pattern.compile(regex), "yyyyMMdd_HHmmss", days);
    }

    /** {@code section}.commands: each one checked for placeholders it does not get ({@link CommandTemplate#PLACEHOLDERS}). */
    static Map<String, String> commands(String section, Optional<YamlNode> o, Map<String, String> defaults, Set<String> verbs) {
        Map<String, String> out = new LinkedHashMap<>(defaults);
        if (o.isPresent()) {
            for (Map.Entry<String, YamlNode> e : o.get().onlyKeys(List.copyOf(verbs)).entries().entrySet()) {
                out.put(e.getKey(), command(section + ".commands." + e.getKey(), e.getValue()));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * A configured command (or name template) of command key {@code key}: a placeholder it does not get,
     * or one written inside quotes, is refused here, with the file, the line and the placeholders it may use.
     */
    static String command(String key, YamlNode n) {
        String t = n.nonEmptyText();
        Optional<String> p = CommandTemplate.problem(t, CommandTemplate.placeholders(key));
        if (p.isPresent()) {
            throw n.error(p.get());
        }
        return t;
    }

    static Optional<String> command(String key, Optional<YamlNode> n) {
        return n.map(v -> command(key, v));
    }

    static Pattern regex(YamlNode n) {
        try {
            return Pattern.compile(n.nonEmptyText());
        } catch (PatternSyntaxException e) {
            throw n.error("not a valid regular expression: " + e.getDescription());
        }
    }

    /** The single model's script, after the LifeOS conventions ({@code ./deploy.sh deploy production}). */
    static final String SINGLE_SCRIPT = "./deploy.sh";

    static Environment.Deploy deploy(Optional<YamlNode> o) {
        Environment.DeployModel model = Environment.DeployModel.BLUE_GREEN;
        if (o.isPresent() && o.get().get("model").isPresent()) {
            YamlNode m = o.get().get("model").get();
            model = Environment.DeployModel.parse(m.nonEmptyText()).orElseThrow(() -> m.error("expected blue-green or single, got '"
                    + m.text() + "'"));
        }
        boolean single = model == Environment.DeployModel.SINGLE;
        String script = single ? SINGLE_SCRIPT : "./deployment/blue-green-deploy.sh";
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("status", script + " status");
        if (single) {
            defaults.put("deploy", script + " deploy production {version}");
            defaults.put("rollback", script + " rollback {backup}");
            defaults.put("healthCheck", script + " health-check");
            defaults.put("logs", script + " logs {service}");
        } else {
            defaults.put("deploy", script + " deploy {version}");
            defaults.put("switch", script + " switch");
            defaults.put("rollback", script + " rollback");
            defaults.put("cleanup", script + " cleanup");
        }
        if (o.isEmpty()) {
            return new Environment.Deploy("~", java.util.Collections.unmodifiableMap(defaults), Pattern.compile(DEFAULT_VERSION_PATTERN),
                    script + " status", Pattern.compile(DEFAULT_LIVE_PATTERN), "~/.dutydesk", Duration.ofMinutes(15), "", Map.of(), model);
        }
        YamlNode n = o.get().onlyKeys(List.of("model", "workdir", "commands", "versionPattern", "liveSlotCommand", "liveSlotPattern",
                "liveSlotFile", "stateDir", "actionTimeoutSeconds", "rollbackTypes"));
        Map<String, String> cmds = commands("deploy", n.get("commands"), defaults, DEPLOY_VERBS);
        if (!cmds.get("deploy").contains("{version}")) {
            throw n.require("commands").require("deploy").error("must contain {version}");
        }
        if (single) {
            for (String verb : List.of("switch", "cleanup")) {
                if (cmds.containsKey(verb)) {
                    throw n.require("commands").require(verb).error("a single stack (deploy.model: single) has no idle slot to "
                            + verb + ": leave it out");
                }
            }
            for (String key : List.of("liveSlotCommand", "liveSlotPattern", "liveSlotFile")) {
                if (n.get(key).isPresent()) {
                    throw n.require(key).error("a single stack (deploy.model: single) has no live slot: leave it out");
                }
            }
            if (!cmds.get("rollback").contains("{backup}")) {
                throw n.require("commands").require("rollback").error("with deploy.model: single the rollback restores a backup: "
                        + "it must contain {backup} (e.g. ./deploy.sh rollback {backup})");
            }
        } else if (cmds.get("rollback").contains("{backup}")) {
            throw n.require("commands").require("rollback").error("{backup} is filled only with deploy.model: single; a blue-green "
                    + "rollback switches back to the idle slot and takes no placeholder");
        }
        Pattern vp = n.get("versionPattern").map(Conventions::regex).orElse(Pattern.compile(DEFAULT_VERSION_PATTERN));
        Pattern lp = n.get("liveSlotPattern").map(Conventions::regex).orElse(Pattern.compile(DEFAULT_LIVE_PATTERN));
        if (lp.matcher("").groupCount() < 1) {
            throw n.require("liveSlotPattern").error("needs a group (...) around the slot name");
        }
        String stateDir = n.string("stateDir", "~/.dutydesk");
        if (!stateDir.matches("(~|/)[A-Za-z0-9_./-]*")) {
            throw n.require("stateDir").error("a plain absolute or ~/ path (letters, digits, . _ - /)");
        }
        String liveFile = n.string("liveSlotFile", "");
        if (!liveFile.isEmpty() && !liveFile.matches("(~/|/)[A-Za-z0-9_./-]*[A-Za-z0-9_-]")) {
            throw n.require("liveSlotFile").error("a plain absolute or ~/ path to a file (letters, digits, . _ - /)");
        }
        return new Environment.Deploy(n.string("workdir", "~"), cmds, vp, command("deploy.liveSlotCommand", n.get("liveSlotCommand")).orElse(cmds.get("status")),
                lp, stateDir, Duration.ofSeconds(n.integer("actionTimeoutSeconds", 900, 10, 86400)), liveFile,
                rollbackTypes(n.get("rollbackTypes")), model);
    }

    /** {@code deploy.rollbackTypes}: name → command, in file order (the team's typed rollbacks, e.g. deployment, database). */
    static Map<String, String> rollbackTypes(Optional<YamlNode> o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o.isPresent()) {
            for (Map.Entry<String, YamlNode> e : o.get().entries().entrySet()) {
                if (!e.getKey().matches("[a-z][a-z0-9-]{0,31}")) {
                    throw e.getValue().error("a rollback type's name is lower-case letters, digits and '-' (at most 32), e.g. database");
                }
                out.put(e.getKey(), command(CommandTemplate.ROLLBACK_TYPE, e.getValue()));
            }
        }
        return out;
    }

    static Environment.Slots slots(Optional<YamlNode> o) {
        return slots(o, Environment.DeployModel.BLUE_GREEN);
    }

    /** The services and how their containers are named; a single stack ({@code model} single) has no slot in the name. */
    static Environment.Slots slots(Optional<YamlNode> o, Environment.DeployModel model) {
        boolean single = model == Environment.DeployModel.SINGLE;
        List<String> dNames = single ? List.of() : List.of("blue", "green");
        List<String> dServices = List.of("question-selection", "session-management", "analysis-worker", "outbox-relay");
        String dName = single ? "{service}" : "selfology-{service}-{slot}";
        if (o.isEmpty()) {
            return new Environment.Slots(dNames, dServices, dName, "", "", "/health", "/version");
        }
        YamlNode n = o.get().onlyKeys(List.of("names", "services", "containerName", "slotLabel", "serviceLabel",
                "healthPath", "versionPath"));
        if (single) {
            for (String key : List.of("names", "slotLabel")) {
                if (n.get(key).isPresent()) {
                    throw n.require(key).error("a single stack (deploy.model: single) has no slots: leave it out");
                }
            }
        }
        List<String> names = n.strings("names", dNames);
        if (!single && names.size() != 2) {
            throw n.require("names").error("blue-green needs exactly two slot names");
        }
        String cn = command("slots.containerName", n.get("containerName")).orElse(dName);
        if (single && (!cn.contains("{service}") || cn.contains("{slot}"))) {
            throw n.require("containerName").error("with deploy.model: single it must contain {service} and no {slot} "
                    + "(one container per service), e.g. lifeos-{service}-1");
        }
        if (!single && (!cn.contains("{service}") || !cn.contains("{slot}"))) {
            throw n.require("containerName").error("must contain {service} and {slot}");
        }
        return new Environment.Slots(names, n.strings("services", dServices), cn, n.string("slotLabel", ""),
                n.string("serviceLabel", ""), n.string("healthPath", "/health"), n.string("versionPath", "/version"));
    }

    static Environment.Outbox outbox(Optional<YamlNode> o) {
        Map<String, String> cols = new LinkedHashMap<>();
        for (String c : List.of("id", "event_type", "payload", "status", "created_at", "published_at")) {
            cols.put(c, c);
        }
        Map<String, String> st = new LinkedHashMap<>();
        for (String s : List.of("pending", "processing", "published", "failed")) {
            st.put(s, s);
        }
        if (o.isEmpty()) {
            return new Environment.Outbox("selfology.event_outbox", Map.copyOf(cols), Map.copyOf(st));
        }
        YamlNode n = o.get().onlyKeys(List.of("table", "columns", "statuses", "pollSeconds", "prometheusQuery", "relayService"));
        String table = n.string("table", "selfology.event_outbox");
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw n.require("table").error("expected schema.table with plain identifiers");
        }
        n.get("columns").ifPresent(c -> {
            for (Map.Entry<String, YamlNode> e : c.onlyKeys(List.copyOf(cols.keySet())).entries().entrySet()) {
                String v = e.getValue().nonEmptyText();
                if (!v.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw e.getValue().error("a column name is a plain identifier");
                }
                cols.put(e.getKey(), v);
            }
        });
        n.get("statuses").ifPresent(c -> {
            for (Map.Entry<String, YamlNode> e : c.onlyKeys(List.copyOf(st.keySet())).entries().entrySet()) {
                if (e.getKey().equals("processing") && (e.getValue().isNull()
                        || e.getValue().isScalar() && e.getValue().text().isBlank())) {
                    st.remove("processing"); // an outbox without an in-flight state: the relay goes from pending to published
                    continue;
                }
                String v = e.getValue().nonEmptyText();
                if (v.length() > 64 || v.chars().anyMatch(ch -> ch < 0x20)) {
                    throw e.getValue().error("a status value is a short single-line word");
                }
                st.put(e.getKey(), v);
            }
        });
        if (new java.util.HashSet<>(st.values()).size() != st.size()) {
            throw n.require("statuses").error("two statuses have the same value");
        }
        String query = n.get("prometheusQuery").map(q -> q.text().strip()).orElse("max(outbox_pending_events)");
        return new Environment.Outbox(table, Map.copyOf(cols), Map.copyOf(st),
                Duration.ofSeconds(n.integer("pollSeconds", 10, 1, 3600)), query,
                n.string("relayService", "outbox-relay"));
    }

    static Environment.Thresholds thresholds(Optional<YamlNode> o) {
        if (o.isEmpty()) {
            return new Environment.Thresholds(100, 1000, 1000);
        }
        YamlNode n = o.get().onlyKeys(List.of("outboxPendingWarn", "outboxPendingCritical", "streamLagWarn",
                "outboxOldestWarnSeconds", "outboxOldestCriticalSeconds"));
        int warn = n.integer("outboxPendingWarn", 100, 0, Integer.MAX_VALUE);
        int crit = n.integer("outboxPendingCritical", 1000, 0, Integer.MAX_VALUE);
        if (crit < warn) {
            throw n.require("outboxPendingCritical").error("must not be below outboxPendingWarn (" + warn + ")");
        }
        int oldWarn = n.integer("outboxOldestWarnSeconds", 300, 1, Integer.MAX_VALUE);
        int oldCrit = n.integer("outboxOldestCriticalSeconds", 1800, 1, Integer.MAX_VALUE);
        if (oldCrit < oldWarn) {
            throw n.require("outboxOldestCriticalSeconds").error("must not be below outboxOldestWarnSeconds (" + oldWarn + ")");
        }
        return new Environment.Thresholds(warn, crit, n.integer("streamLagWarn", 1000, 0, Integer.MAX_VALUE), oldWarn, oldCrit);
    }

    static Environment.Poll poll(Optional<YamlNode> o) {
        if (o.isEmpty()) {
            return new Environment.Poll(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(4));
        }
        YamlNode n = o.get().onlyKeys(List.of("intervalSeconds", "maxBackoffSeconds", "timeoutSeconds"));
        int interval = n.integer("intervalSeconds", 5, 1, 3600);
        return new Environment.Poll(Duration.ofSeconds(interval),
                Duration.ofSeconds(n.integer("maxBackoffSeconds", Math.max(30, interval), interval, 86400)),
                Duration.ofSeconds(n.integer("timeoutSeconds", Math.max(1, Math.min(interval, 4)), 1, 3600)));
    }

    /** {@code metrics.queries}: name -> PromQL, in file order; replaces the defaults when present. */
    static Environment.Metrics metrics(Optional<YamlNode> o) {
        if (o.isEmpty()) {
            return Environment.Metrics.DEFAULT;
        }
        YamlNode n = o.get().onlyKeys(List.of("queries"));
        Optional<YamlNode> q = n.get("queries");
        if (q.isEmpty()) {
            return Environment.Metrics.DEFAULT;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : q.get().entries().entrySet()) {
            out.put(e.getKey(), e.getValue().nonEmptyText());
        }
        return new Environment.Metrics(java.util.Collections.unmodifiableMap(out));
    }

    static Environment.Alerts alerts(Optional<YamlNode> o) {
        List<String> groupBy = List.of("alertname");
        List<String> severities = List.of("critical", "warning", "info");
        if (o.isEmpty()) {
            return new Environment.Alerts(groupBy, "severity", severities, List.of("critical"), Duration.ofSeconds(5), false,
                    Duration.ofHours(24));
        }
        YamlNode n = o.get().onlyKeys(List.of("groupBy", "severityLabel", "severities", "notify", "pollSeconds", "sound",
                "backfillHours"));
        List<String> sev = n.strings("severities", severities);
        if (sev.isEmpty()) {
            throw n.require("severities").error("needs at least one severity (most severe first)");
        }
        List<String> notify = n.strings("notify", List.of(sev.get(0)));
        for (String s : notify) {
            if (!sev.contains(s)) {
                throw n.require("notify").error("'" + s + "' is not one of the severities " + sev);
            }
        }
        List<String> groups = n.strings("groupBy", groupBy);
        for (String g : groups) {
            if (!g.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw n.require("groupBy").error("'" + g + "' is not a label name");
            }
        }
        return new Environment.Alerts(List.copyOf(groups), n.string("severityLabel", "severity"), List.copyOf(sev),
                List.copyOf(notify), Duration.ofSeconds(n.integer("pollSeconds", 5, 1, 3600)), n.bool("sound", false),
                Duration.ofHours(n.integer("backfillHours", 24, 0, 24 * 30)));
    }
}
