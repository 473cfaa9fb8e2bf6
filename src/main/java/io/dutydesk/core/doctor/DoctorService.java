package io.dutydesk.core.doctor;

import io.dutydesk.core.Backend;
import io.dutydesk.core.Errors;
import io.dutydesk.core.MisconfiguredException;
import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.backups.BackupCatalog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.StreamInfo;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.RemoteShell;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * {@code dutydesk doctor} and the window's "Check configuration…": connects to the environment and checks what its
 * configuration names against the server — each backend reachable and authenticated; the outbox table, its columns
 * and status values (and the index advice); the stream and its groups; each backup folder and kind pattern; each
 * configured command's program on the server; the saved and outbox PromQL; the containers the conventions name.
 * One {@link Check} per item, ok or a problem with its fix. Sections run at once and report a batch each as they
 * finish; the report keeps a fixed order. Every call is bounded by a timeout.
 */
public final class DoctorService {
    /** The console's outbox status names, in the order the checks are listed. */
    private static final List<String> STATUSES = List.of("pending", "processing", "published", "failed");
    private static final List<String> BACKUP_COMMANDS = List.of("backup", "list", "restore", "safetyBackup", "restoreScratch");
    private static final List<String> BUILTIN_TOOLS = List.of("pg_dump", "psql", "gzip");
    private static final String FILE = " in the environments file";

    private final Environment env;
    private final EnvironmentHandle handle;
    private final Clock clock;
    private final Duration timeout;

    public DoctorService(Environment env, EnvironmentHandle handle, Clock clock) {
        this(env, handle, clock, env.poll().timeout().plus(env.ssh().connectTimeout()));
    }

    /** @param timeout the bound of each call to the server (the schema read and the command check get twice that) */
    public DoctorService(Environment env, EnvironmentHandle handle, Clock clock, Duration timeout) {
        this.env = env;
        this.handle = handle;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Runs every check; {@code batches} receives each section's checks as it finishes (on the adapters' threads),
     * the returned report has them all in a fixed order. Never completes exceptionally: a failure is a problem.
     */
    public CompletableFuture<DoctorReport> run(Consumer<List<Check>> batches) {
        var at = clock.instant();
        Map<Backend, BackendProbe> probes = new LinkedHashMap<>();
        for (BackendProbe p : handle.probes()) {
            probes.put(p.backend(), p);
        }
        CompletableFuture<List<Check>> ssh = outcome(probe(probes, Backend.SSH)).thenApply(err -> List.of(err.isEmpty()
                ? Check.ok("ssh", "SSH " + env.ssh().display(), "connected and authenticated")
                : Check.problem("ssh", "SSH " + env.ssh().display(), err.get(),
                "check ssh.host, ssh.port, ssh.user, ssh.identity and ssh.knownHosts" + FILE
                        + " (try: ssh " + env.ssh().display() + "); nothing else can be checked without it")));
        return ssh.thenCompose(first -> {
            batches.accept(first);
            if (!first.get(0).ok()) {
                return CompletableFuture.completedFuture(new DoctorReport(env.name(), at, first));
            }
            List<CompletableFuture<List<Check>>> sections = List.of(
                    section(docker(probes), batches),
                    section(postgres(probes), batches),
                    section(env.configured(Backend.REDIS) ? redis(probes) : notConfigured(Backend.REDIS, "redis"), batches),
                    section(prometheus(probes), batches),
                    section(env.configured(Backend.ALERTMANAGER) ? alertmanager(probes)
                            : notConfigured(Backend.ALERTMANAGER, "alertmanager"), batches),
                    section(env.configured(Backend.BACKUPS) ? backups() : notConfigured(Backend.BACKUPS, "backups"), batches),
                    section(commands(), batches));
            return CompletableFuture.allOf(sections.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Check> all = new ArrayList<>(first);
                sections.forEach(s -> all.addAll(s.join()));
                return new DoctorReport(env.name(), at, all);
            });
        });
    }

    /** A part the file switches off ({@code KEY: false}): nothing to check there, said as such (not a problem). */
    private static CompletableFuture<List<Check>> notConfigured(Backend b, String key) {
        return CompletableFuture.completedFuture(List.of(Check.ok(b.id(), b.label(),
                "not configured (" + key + ": false in the environments file): not checked, not polled")));
    }

    /** A section's checks, reported as one batch; a section that fails unexpectedly is one problem, never lost. */
    private static CompletableFuture<List<Check>> section(CompletableFuture<List<Check>> s, Consumer<List<Check>> batches) {
        return s.exceptionally(e -> List.of(Check.problem("doctor", "the doctor itself", Errors.describe(e),
                        "report this; the other checks stand")))
                .thenApply(l -> {
                    batches.accept(l);
                    return l;
                });
    }

    private CompletableFuture<Void> probe(Map<Backend, BackendProbe> probes, Backend b) {
        BackendProbe p = probes.get(b);
        return p == null ? CompletableFuture.failedFuture(new IllegalStateException("no " + b.label() + " probe")) : p.ping();
    }

    /** Empty when {@code f} succeeds within the timeout, else why not (one line). */
    private CompletableFuture<Optional<String>> outcome(CompletableFuture<?> f) {
        return outcome(f, timeout);
    }

    private static CompletableFuture<Optional<String>> outcome(CompletableFuture<?> f, Duration t) {
        return bounded(f, t).handle((v, e) -> e == null ? Optional.empty() : Optional.of(describe(e, t)));
    }

    private static <T> CompletableFuture<T> bounded(CompletableFuture<T> f, Duration t) {
        CompletableFuture<T> b = f.copy().orTimeout(t.toMillis(), TimeUnit.MILLISECONDS);
        b.whenComplete((v, e) -> {
            if (e != null) {
                f.cancel(true);
            }
        });
        return b;
    }

    private static String describe(Throwable e, Duration t) {
        Throwable c = Errors.unwrap(e);
        if (c instanceof java.util.concurrent.TimeoutException && (c.getMessage() == null || c.getMessage().isBlank())) {
            return "no answer within " + t.toSeconds() + " s";
        }
        return Errors.describe(e);
    }

    private <T> CompletableFuture<Result<T>> attempt(java.util.function.Supplier<CompletableFuture<T>> call, Duration t) {
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return bounded(f, t).handle((v, e) -> e == null ? new Result<>(v, null, false, false)
                : new Result<>(null, describe(e, t), MisconfiguredException.in(e),
                Errors.unwrap(e) instanceof io.dutydesk.core.metrics.QueryException));
    }

    /** @param refused Prometheus answered with an error (the query is wrong), not that it could not be asked */
    record Result<T>(T value, String error, boolean misconfigured, boolean refused) {
        boolean ok() {
            return error == null;
        }
    }

    // ------------------------------------------------------------------ Docker

    private CompletableFuture<List<Check>> docker(Map<Backend, BackendProbe> probes) {
        String title = "Docker socket " + env.docker().socket();
        return outcome(probe(probes, Backend.DOCKER)).thenCompose(err -> {
            if (err.isPresent()) {
                return done(Check.problem("docker", title, err.get(), "docker.socket" + FILE
                        + ": the server's Docker socket (docker context inspect, or DOCKER_HOST), readable by " + user()));
            }
            Check ok = Check.ok("docker", title, "answers");
            return attempt(() -> handle.containers().containers(), timeout).thenApply(r -> List.of(ok, containers(r)));
        });
    }

    private Check containers(Result<List<ContainerInfo>> r) {
        String id = "docker.containers";
        String title = "containers of " + env.slots().services().size() + " services in slots " + String.join(", ", env.slots().names());
        if (!r.ok()) {
            return Check.problem(id, title, r.error(), "check the Docker socket's permissions for " + user());
        }
        List<ContainerInfo> all = r.value();
        boolean byLabels = !env.slots().slotLabel().isEmpty() && !env.slots().serviceLabel().isEmpty();
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (String service : env.slots().services()) {
            boolean any = false;
            for (String slot : env.slots().names()) {
                String name = env.slots().container(service, slot);
                boolean has = all.stream().anyMatch(c -> byLabels
                        ? slot.equals(c.labels().get(env.slots().slotLabel())) && service.equals(c.labels().get(env.slots().serviceLabel()))
                        : c.name().equals(name));
                if (has) {
                    found++;
                    any = true;
                }
            }
            if (!any) {
                missing.add(byLabels ? service + " (labels " + env.slots().serviceLabel() + "=" + service + ")"
                        : service + " (" + env.slots().names().stream().map(s -> env.slots().container(service, s))
                        .collect(Collectors.joining(" or ")) + ")");
            }
        }
        if (missing.isEmpty()) {
            return Check.ok(id, title, found + " containers found");
        }
        String present = all.stream().map(ContainerInfo::name).sorted().limit(8).collect(Collectors.joining(", "));
        return Check.problem(id, title, "no container in any slot for " + String.join(", ", missing)
                        + "; the server has " + (all.isEmpty() ? "no container at all" : present + (all.size() > 8 ? ", …" : "")),
                byLabels ? "slots.slotLabel, slots.serviceLabel and slots.services" + FILE
                        : "slots.containerName ({service}, {slot}) and slots.services" + FILE + " to match the names above");
    }

    private String user() {
        return env.ssh().user() == null ? "the SSH user" : env.ssh().user();
    }

    // ------------------------------------------------------------------ PostgreSQL and the outbox

    private CompletableFuture<List<Check>> postgres(Map<Backend, BackendProbe> probes) {
        Environment.Postgres pg = env.postgres();
        String title = "PostgreSQL " + pg.host() + ":" + pg.port() + "/" + pg.database() + " as " + pg.user();
        return attempt(() -> probe(probes, Backend.POSTGRES), timeout).thenCompose(r -> {
            if (!r.ok() && (!r.misconfigured() || r.error().contains("postgres."))) {
                return done(Check.problem("postgres", title, r.error(), r.misconfigured() ? "the setting named above"
                        : "postgres.host, postgres.port (as the server sees them), postgres.user and postgres.password" + FILE));
            }
            Check ok = Check.ok("postgres", title, "answers, authenticated");
            // the states this outbox has (one without a processing state has no such key)
            List<String> values = STATUSES.stream().map(s -> env.outbox().statuses().get(s)).filter(java.util.Objects::nonNull)
                    .filter(v -> !v.isBlank()).toList();
            return attempt(() -> handle.outboxSchema().schema(values), timeout.multipliedBy(2)).thenCompose(s -> {
                List<Check> out = new ArrayList<>(List.of(ok));
                out.addAll(outbox(s));
                if (!out.stream().allMatch(Check::ok)) {
                    return CompletableFuture.completedFuture(out);
                }
                return attempt(() -> handle.backlog().backlog(), timeout.multipliedBy(2)).thenApply(b -> {
                    out.add(index(b));
                    return out;
                });
            });
        });
    }

    /** The outbox table, columns and status values, from what the server has (pure: the unit tests' subject). */
    List<Check> outbox(Result<OutboxSchema> r) {
        Environment.Outbox o = env.outbox();
        String table = o.table();
        List<Check> out = new ArrayList<>();
        String tTitle = "outbox table " + table;
        if (!r.ok()) {
            out.add(Check.problem("outbox.table", tTitle, r.error(), "outbox.table" + FILE + " (schema.table)"));
            return out;
        }
        OutboxSchema s = r.value();
        if (!s.tableExists()) {
            out.add(Check.problem("outbox.table", tTitle, "no table " + table + " in database " + env.postgres().database(),
                    "outbox.table" + FILE + ": the outbox's schema.table (psql: \\dt *.*outbox*)"));
            return out;
        }
        if (!s.canSelect()) {
            out.add(Check.problem("outbox.table", tTitle, "role " + env.postgres().user() + " may not read " + table,
                    "GRANT SELECT ON " + table + " TO " + env.postgres().user() + ", or another postgres.user" + FILE));
            return out;
        }
        out.add(Check.ok("outbox.table", tTitle, "exists, readable"));
        List<String> missing = new ArrayList<>();
        for (var e : new java.util.TreeMap<>(o.columns()).entrySet()) {
            if (!s.columns().containsKey(e.getValue())) {
                missing.add(e.getValue() + " (outbox.columns." + e.getKey() + ")");
            }
        }
        String cTitle = "outbox columns";
        if (!missing.isEmpty()) {
            out.add(Check.problem("outbox.columns", cTitle, "no column " + String.join(", ", missing) + " in " + table
                            + "; it has " + String.join(", ", s.columns().keySet().stream().sorted().toList()),
                    "set those keys of outbox.columns" + FILE + " to the table's column names"));
        } else {
            out.add(Check.ok("outbox.columns", cTitle, String.join(", ", o.columns().values().stream().sorted().toList())));
        }
        String statusColumn = o.columns().get("status");
        if (!s.columns().containsKey(statusColumn)) {
            return out;
        }
        for (String st : STATUSES) {
            String v = o.statuses().get(st);
            String id = "outbox.statuses." + st;
            if (v == null || v.isBlank()) {
                out.add(Check.ok(id, "outbox status " + st, "not configured (this outbox has no " + st + " state)"));
                continue;
            }
            String title = "outbox status " + st + " = '" + v + "'";
            boolean declared = s.allowed().map(a -> a.contains(v)).orElse(false);
            if (declared) {
                out.add(Check.ok(id, title, "allowed by the table's constraint on " + statusColumn));
            } else if (Boolean.TRUE.equals(s.rowsWith().get(v))) {
                out.add(Check.ok(id, title, "rows have it" + (s.allowed().isPresent() ? "" : " (no constraint declares the values)")));
            } else if (s.allowed().isPresent()) {
                out.add(Check.problem(id, title, "no row has '" + v + "' and the constraint on " + statusColumn + " allows only "
                                + String.join(", ", s.allowed().get()),
                        "outbox.statuses." + st + FILE + ": one of " + String.join(", ", s.allowed().get())));
            } else {
                out.add(Check.problem(id, title, "no row has '" + v + "' and no CHECK constraint on " + statusColumn
                                + " says which values it takes",
                        "outbox.statuses." + st + FILE + ": the value the application writes; if it is right but unused so far, "
                                + "declare the values with a CHECK (" + statusColumn + " IN (…)) constraint"));
            }
        }
        return out;
    }

    private Check index(Result<OutboxBacklog> b) {
        String title = "outbox index for the open statuses";
        if (!b.ok()) {
            return Check.problem("outbox.index", title, b.error(), "outbox.columns and outbox.statuses" + FILE);
        }
        if (b.value().indexOk()) {
            return Check.ok("outbox.index", title, "an index serves the console's polls");
        }
        return Check.note("outbox.index", title, "note: no index serves the open-status counts; each poll reads more of "
                + env.outbox().table() + " than it needs", "advice: " + b.value().recommendedIndex());
    }

    // ------------------------------------------------------------------ Redis

    private CompletableFuture<List<Check>> redis(Map<Backend, BackendProbe> probes) {
        Environment.Redis rc = env.redis();
        String title = "Redis " + rc.host() + ":" + rc.port();
        return attempt(() -> probe(probes, Backend.REDIS), timeout).thenCompose(r -> {
            if (!r.ok() && !r.misconfigured()) {
                return done(Check.problem("redis", title, r.error(), "redis.host, redis.port, redis.user and redis.password" + FILE));
            }
            Check ok = Check.ok("redis", title, "answers, authenticated");
            return attempt(() -> handle.stream().stream(), timeout).thenApply(s -> {
                List<Check> out = new ArrayList<>(List.of(ok));
                String sTitle = "stream " + rc.stream();
                if (!s.ok()) {
                    out.add(Check.problem("redis.stream", sTitle, s.error(), "redis.stream" + FILE
                            + ": the stream the relay writes to (redis-cli --scan --type stream)"));
                    return out;
                }
                StreamInfo info = s.value();
                out.add(Check.ok("redis.stream", sTitle, info.length() + " entries"));
                String gTitle = "consumer groups of " + rc.stream();
                List<String> has = info.groups().stream().map(StreamInfo.Group::name).toList();
                if (!info.missingGroups().isEmpty()) {
                    out.add(Check.problem("redis.groups", gTitle, "no group " + String.join(", ", info.missingGroups())
                                    + " on " + rc.stream() + (has.isEmpty() ? "" : "; configured groups found: " + String.join(", ", has)),
                            "redis.groups" + FILE + ": the groups XINFO GROUPS " + rc.stream() + " lists"));
                } else {
                    out.add(Check.ok("redis.groups", gTitle, has.isEmpty() ? "none configured, none there" : String.join(", ", has)));
                }
                return out;
            });
        });
    }

    // ------------------------------------------------------------------ Prometheus, Alertmanager

    private CompletableFuture<List<Check>> prometheus(Map<Backend, BackendProbe> probes) {
        String title = "Prometheus " + env.prometheus().host() + ":" + env.prometheus().port() + env.prometheus().pathPrefix();
        return outcome(probe(probes, Backend.PROMETHEUS)).thenCompose(err -> {
            if (err.isPresent()) {
                return done(Check.problem("prometheus", title, err.get(), "prometheus.url" + FILE + " (as the server sees it)"));
            }
            Map<String, String> queries = new LinkedHashMap<>();
            env.metrics().queries().forEach((name, q) -> queries.put("metrics.queries." + name, q));
            if (!env.outbox().prometheusQuery().isBlank()) {
                queries.put("outbox.prometheusQuery", env.outbox().prometheusQuery());
            }
            List<CompletableFuture<Check>> checks = new ArrayList<>();
            queries.forEach((key, q) -> checks.add(attempt(() -> handle.metrics().instant(q, clock.instant(), timeout), timeout.plusSeconds(1))
                    .thenApply(r -> query(key, q, r))));
            return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Check> out = new ArrayList<>(List.of(Check.ok("prometheus", title, "answers")));
                checks.forEach(c -> out.add(c.join()));
                return out;
            });
        });
    }

    private static Check query(String key, String q, Result<?> r) {
        String id = "promql:" + key;
        String title = "PromQL " + key;
        if (r.ok()) {
            return Check.ok(id, title, "Prometheus runs it");
        }
        if (r.refused()) {
            return Check.problem(id, title, "Prometheus refuses " + q + ": " + r.error(), key + FILE + ": a valid PromQL expression");
        }
        return Check.problem(id, title, "could not ask Prometheus to run " + q + ": " + r.error(),
                "prometheus.url" + FILE + "; then run the doctor again");
    }

    private CompletableFuture<List<Check>> alertmanager(Map<Backend, BackendProbe> probes) {
        String title = "Alertmanager " + env.alertmanager().host() + ":" + env.alertmanager().port() + env.alertmanager().pathPrefix();
        return outcome(probe(probes, Backend.ALERTMANAGER)).thenApply(err -> List.of(err.isEmpty()
                ? Check.ok("alertmanager", title, "answers")
                : Check.problem("alertmanager", title, err.get(), "alertmanager.url" + FILE + " (as the server sees it)")));
    }

    // ------------------------------------------------------------------ backups

    private CompletableFuture<List<Check>> backups() {
        List<String> folders = env.backups().folders();
        Map<String, CompletableFuture<Result<List<RemoteShell.RemoteFile>>>> lists = new LinkedHashMap<>();
        for (String f : folders) {
            lists.put(f, attempt(() -> handle.shell().list(f), timeout));
        }
        return CompletableFuture.allOf(lists.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Result<List<RemoteShell.RemoteFile>>> got = new LinkedHashMap<>();
            lists.forEach((f, r) -> got.put(f, r.join()));
            return backupChecks(got);
        });
    }

    List<Check> backupChecks(Map<String, Result<List<RemoteShell.RemoteFile>>> byFolder) {
        List<Check> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean anyListed = false;
        for (var e : byFolder.entrySet()) {
            String id = "backups.folder:" + e.getKey();
            String title = "backup folder " + e.getKey();
            if (!e.getValue().ok()) {
                out.add(Check.problem(id, title, e.getValue().error(), "backups.folders" + FILE
                        + ": the server's backup folders, readable by " + user()));
            } else {
                anyListed = true;
                List<String> files = e.getValue().value().stream().filter(f -> !f.directory()).map(RemoteShell.RemoteFile::name).toList();
                names.addAll(files);
                out.add(Check.ok(id, title, files.size() + " files"));
            }
        }
        if (!anyListed) {
            return out;
        }
        for (Environment.BackupKind k : env.backups().kinds()) {
            String id = "backups.kinds." + k.name();
            String title = "backup kind " + k.name();
            List<Matcher> matched = names.stream().map(n -> k.pattern().matcher(n)).filter(Matcher::matches).toList();
            if (matched.isEmpty()) {
                String sample = names.stream().filter(BackupCatalog::isBackupFile).sorted().limit(3).collect(Collectors.joining(", "));
                out.add(Check.problem(id, title, "pattern " + k.pattern().pattern() + " matches no file in "
                                + String.join(", ", byFolder.keySet()) + (sample.isEmpty() ? "" : " (there: " + sample + ", …)"),
                        "backups.kinds." + k.name() + ".pattern" + FILE + ": a regular expression of the whole file name, "
                                + "group 1 the timestamp (or make a first backup of this kind)"));
                continue;
            }
            Optional<String> unreadable = matched.stream().filter(m -> BackupCatalog.parse(m.group(1), k.timestampFormat()).isEmpty())
                    .map(m -> m.group(0) + " (timestamp '" + m.group(1) + "')").findFirst();
            if (unreadable.isPresent()) {
                out.add(Check.problem(id, title, "timestampFormat " + k.timestampFormat() + " does not read " + unreadable.get()
                                + ": the file's modification time is used instead",
                        "backups.kinds." + k.name() + ".timestampFormat" + FILE + " (a Java DateTimeFormatter pattern, e.g. yyyyMMdd_HHmmss)"));
            } else {
                out.add(Check.ok(id, title, matched.size() + " files, e.g. " + matched.get(0).group(0)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ commands

    /** Each configured command's key and template, in a fixed order; "builtin" ones left out. */
    Map<String, String> commandTemplates() {
        Map<String, String> out = new LinkedHashMap<>();
        env.deploy().commands().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.put("deploy.commands." + e.getKey(), e.getValue()));
        if (!env.deploy().liveSlotCommand().equals(env.deploy().commands().get("status"))) {
            out.put("deploy.liveSlotCommand", env.deploy().liveSlotCommand());
        }
        for (String k : BACKUP_COMMANDS) {
            String c = env.backups().commands().get(k);
            if (c != null && !c.strip().equals("builtin")) {
                out.put("backups.commands." + k, c);
            }
        }
        return out;
    }

    /** Whether a built-in backup job runs (safety backup, restore, scratch restore): it needs pg_dump, psql and gzip. */
    boolean usesBuiltins() {
        Map<String, String> c = env.backups().commands();
        return env.configured(Backend.BACKUPS) && (c.get("safetyBackup") == null || c.getOrDefault("restore", "builtin").strip().equals("builtin")
                || c.get("restoreScratch") == null || c.get("restoreScratch").strip().equals("builtin"));
    }

    /** One exec: cd to the workdir, then per command the test of its program word; parsed by {@link #commandChecks}. */
    String commandScript(Map<String, String> templates) {
        StringBuilder b = new StringBuilder("cd " + ShellQuote.path(env.deploy().workdir()) + " 2>/dev/null || { echo '@@nocd'; exit 0; }; ");
        int i = 0;
        for (String t : templates.values()) {
            Optional<String> w = ProgramWord.of(t);
            if (w.isPresent()) {
                String test = ProgramWord.test(w.get());
                String exists = w.get().contains("/") ? "[ -e " + ShellQuote.path(w.get()) + " ]" : "false";
                b.append("if ").append(test).append("; then echo '@@").append(i).append(" ok'; elif ").append(exists)
                        .append("; then echo '@@").append(i).append(" notexec'; else echo '@@").append(i).append(" missing'; fi; ");
            }
            i++;
        }
        if (usesBuiltins()) {
            b.append("for t_ in ").append(String.join(" ", BUILTIN_TOOLS))
                    .append("; do command -v \"$t_\" >/dev/null 2>&1 || echo \"@@tool $t_\"; done; ");
        }
        b.append("echo '@@end'");
        return b.toString();
    }

    private CompletableFuture<List<Check>> commands() {
        Map<String, String> templates = commandTemplates();
        String script = commandScript(templates);
        return attempt(() -> handle.shell().exec(script, timeout, RemoteShell.OutputListener.NONE), timeout.plusSeconds(1))
                .thenApply(r -> commandChecks(templates, r.ok() ? Optional.of(r.value().stdout()) : Optional.empty(),
                        r.ok() ? null : r.error()));
    }

    List<Check> commandChecks(Map<String, String> templates, Optional<String> stdout, String error) {
        List<Check> out = new ArrayList<>();
        String workdir = env.deploy().workdir();
        String wTitle = "deploy workdir " + workdir;
        if (stdout.isEmpty() || !stdout.get().contains("@@end") && !stdout.get().contains("@@nocd")) {
            out.add(Check.problem("deploy.workdir", wTitle, "could not check the commands: " + (error == null ? "no answer" : error),
                    "check the SSH connection"));
            return out;
        }
        if (stdout.get().contains("@@nocd")) {
            out.add(Check.problem("deploy.workdir", wTitle, "no folder " + workdir + " on the server (the commands run there)",
                    "deploy.workdir" + FILE + ": the folder the deploy script and backup commands are run from"));
            return out;
        }
        out.add(Check.ok("deploy.workdir", wTitle, "exists"));
        Map<String, String> lines = new LinkedHashMap<>();
        List<String> missingTools = new ArrayList<>();
        for (String l : stdout.get().split("\n")) {
            if (l.startsWith("@@tool ")) {
                missingTools.add(l.substring(7).strip());
            } else if (l.matches("@@\\d+ \\w+")) {
                lines.put(l.substring(2, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1));
            }
        }
        int i = 0;
        for (var e : templates.entrySet()) {
            String key = e.getKey();
            String id = "command:" + key;
            Optional<String> w = ProgramWord.of(e.getValue());
            String title = "command " + key;
            String where = w.map(x -> x.contains("/") && !x.startsWith("/") && !x.startsWith("~") ? " in " + workdir : "").orElse("");
            String state = lines.getOrDefault(String.valueOf(i), "");
            if (w.isEmpty()) {
                out.add(Check.ok(id, title, "starts with a shell construct: not checked"));
            } else if (state.equals("ok")) {
                out.add(Check.ok(id, title, w.get() + " is executable"));
            } else if (state.equals("notexec")) {
                out.add(Check.problem(id, title, w.get() + where + " exists but is not executable by " + user(),
                        "chmod +x " + w.get() + " on the server, or " + key + FILE));
            } else {
                out.add(Check.problem(id, title, (w.get().contains("/") ? "no file " : "no program ") + w.get() + where
                                + " on the server" + (w.get().contains("/") ? "" : " (not on the SSH user's PATH)"),
                        key + FILE + ": the server's command (paths are relative to deploy.workdir " + workdir + ")"));
            }
            i++;
        }
        if (usesBuiltins()) {
            String id = "backups.builtin";
            String title = "tools of the built-in safety backup and restores";
            out.add(missingTools.isEmpty() ? Check.ok(id, title, String.join(", ", BUILTIN_TOOLS) + " found")
                    : Check.problem(id, title, "not found on the server: " + String.join(", ", missingTools),
                    "install the PostgreSQL client and gzip on the server, or configure backups.commands.safetyBackup, "
                            + "restore and restoreScratch" + FILE));
        }
        return out;
    }

    private static CompletableFuture<List<Check>> done(Check... c) {
        return CompletableFuture.completedFuture(List.of(c));
    }

    /** For the unit tests of the pure parts. */
    static <T> Result<T> result(T value, String error) {
        return new Result<>(value, error, false, false);
    }
}
