package io.dutydesk.core.check;

import io.dutydesk.core.Errors;
import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.deploy.DockerHostEngine;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.CheckHistory;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The morning checklist of one environment ({@link Environment#checks()}), run with the console's own services:
 * {@link SlotsReader}, {@link OutboxService}, {@link AlertsService}, {@link BackupsService}, Prometheus's
 * {@link MetricsPort}, Docker's logs and the server's {@code df}. Every check runs at once under its own timeout; a check
 * whose source fails, hangs or cannot say is UNKNOWN (never PASS) and never stops the others. A run is compared with the
 * previous one kept in the local store ({@link CheckResult#changed()}) and kept in turn.
 */
public final class CheckService {
    /**
     * The services a run reads through; one per environment. {@code single}: a single stack's service
     * ({@code deploy.model: single}, else null): its engine's snapshot replaces the slots in the stack and logs checks.
     */
    public record Sources(SlotsReader slots, OutboxService outbox, AlertsService alerts, BackupsService backups,
                          MetricsPort metrics, ContainersPort containers, RemoteShell shell, SingleService single) {
        /** A blue-green environment's. */
        public Sources(SlotsReader slots, OutboxService outbox, AlertsService alerts, BackupsService backups,
                       MetricsPort metrics, ContainersPort containers, RemoteShell shell) {
            this(slots, outbox, alerts, backups, metrics, containers, shell, null);
        }
    }

    /** How long runs are kept in the local store. */
    public static final Duration KEEP = Duration.ofDays(90);
    /** Lines of a container's log read at most per run (the newest). */
    static final int LOG_TAIL = 5000;

    private final Environment env;
    private final Sources sources;
    private final CheckHistory history;
    private final String actor;
    private final Clock clock;

    public CheckService(Environment env, Sources sources, CheckHistory history, String actor, Clock clock) {
        this.env = env;
        this.sources = sources;
        this.history = history;
        this.actor = actor;
        this.clock = clock;
    }

    /**
     * The services of an opened environment: the same the panes use ({@code alertHistory}: the local store's, whose
     * transitions the alerts check reads; {@code io}: local file work of the backups service).
     */
    public static CheckService of(EnvironmentHandle h, AlertHistory alertHistory, CheckHistory history, AuditLog audit,
                                  String actor, Clock clock, Executor io) {
        Environment e = h.environment();
        MetricsPort metrics;
        try {
            metrics = h.metrics();
        } catch (UnsupportedOperationException x) {
            metrics = null;
        }
        AlertsService alerts = null;
        if (e.alertmanager().configured()) {
            try {
                alerts = new AlertsService(e, h.alerts(), h.alertSeries(), alertHistory, audit, actor, clock);
            } catch (UnsupportedOperationException x) {
                alerts = null;
            }
        }
        BackupsService backups = e.backups().configured() ? new BackupsService(e, h.shell(), h.verifications(), audit, actor, clock, io,
                h::secret) : null;
        // a single stack: the deploy service the Slots pane and the CLI use, read only (its engine's snapshot, the versions recorded with backups)
        SingleService single = !e.deploy().single() ? null : new SingleService(e, new DockerHostEngine(e, h.containers(), h.shell(), clock),
                h.outbox(), h.shell(), backups == null ? () -> CompletableFuture.failedFuture(new IllegalStateException("no backups configured"))
                : backups::list, audit, actor, clock);
        Sources s = new Sources(e.deploy().single() ? null : new SlotsReader(e, h.containers(), h.shell(), clock),
                new OutboxService(e, h.backlog(), h.stream(), clock), alerts, backups, metrics, h.containers(), h.shell(), single);
        return new CheckService(e, s, history, actor, clock);
    }

    public Environment environment() {
        return env;
    }

    /** The zone of the schedule's times: the file's {@code checkSchedule.timeZone}, else the clock's. */
    public ZoneId zone() {
        return env.checks().zone().orElse(clock.getZone());
    }

    /** Since when alerts count as overnight: the newest {@code overnightSince} at or before {@code now}. */
    public Instant overnightSince(Instant now) {
        return CheckRules.lastOccurrence(env.checks().overnightSince(), now, zone());
    }

    /** Runs every check, compares the run with the previous one and keeps it. Never fails. */
    public CompletableFuture<CheckRun> run() {
        return run(true);
    }

    /**
     * A run and whether the local store kept it.
     *
     * @param notKept why the store could not keep it (a full disk, a store busy too long), empty when kept
     */
    public record Outcome(CheckRun run, Optional<String> notKept) {}

    /** {@link #run()}, saying when the run could not be kept (the CLI says so and exits 1: tomorrow's comparison misses it). */
    public CompletableFuture<Outcome> runKept() {
        return run(false).thenCompose(this::keep);
    }

    /** Keeps {@code run} in the store (and prunes what is older than a week); a store that fails leaves it unkept, said. */
    private CompletableFuture<Outcome> keep(CheckRun run) {
        return history.save(run)
                .thenApply(id -> new Outcome(run.withId(id), Optional.<String>empty()))
                .exceptionally(e -> new Outcome(run.withStoreProblem("this run could not be kept in the local store ("
                        + Errors.describe(e) + ")"), Optional.of(Errors.describe(e))))
                .whenComplete((r, e) -> history.prune(run.at().minus(KEEP)).exceptionally(x -> 0));
    }

    /**
     * Runs every check at once; completes when the last one is done or timed out. {@code keep}: store the run (a store
     * that fails only leaves it unkept: the run is returned all the same).
     */
    public CompletableFuture<CheckRun> run(boolean keep) {
        Instant at = clock.instant();
        java.util.concurrent.atomic.AtomicReference<String> unread = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Optional<CheckRun>> prev = history.latestAtOrBefore(env.name(), at)
                .exceptionally(e -> {
                    unread.set("the local store could not be read (" + io.dutydesk.core.Errors.describe(e) + ")");
                    return Optional.empty();
                });
        return prev.thenCompose(previous -> {
            Instant logsSince = logsSince(previous.map(CheckRun::at), at);
            List<CompletableFuture<CheckResult>> all = new ArrayList<>();
            for (Environment.Check c : env.checks().list()) {
                all.add(one(c, at, logsSince));
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<CheckResult> results = new ArrayList<>();
                for (CompletableFuture<CheckResult> f : all) {
                    CheckResult r = f.join();
                    Optional<CheckStatus> was = previous.flatMap(p -> p.check(r.id())).map(CheckResult::status);
                    results.add(r.withPrevious(was));
                }
                CheckRun run = new CheckRun(0, env.name(), at, actor, results, previous.map(CheckRun::at));
                return unread.get() == null ? run : run.withStoreProblem(unread.get());
            });
        }).thenCompose(run -> !keep ? CompletableFuture.completedFuture(run) : keep(run).thenApply(Outcome::run));
    }

    /** The runs kept between {@code from} and {@code to}, newest first (yesterday's, last week's). */
    public CompletableFuture<List<CheckRun>> runs(Instant from, Instant to) {
        return history.between(env.name(), from, to);
    }

    /** The newest run kept at or before {@code at} ("yesterday's": {@code at} a day ago). */
    public CompletableFuture<Optional<CheckRun>> runAtOrBefore(Instant at) {
        return history.latestAtOrBefore(env.name(), at);
    }

    /** Logs are read since the previous run (at most a week back), else since the overnight hour. */
    Instant logsSince(Optional<Instant> previous, Instant now) {
        Instant week = now.minus(Duration.ofDays(7));
        return previous.filter(p -> p.isAfter(week)).orElseGet(() -> overnightSince(now));
    }

    /** One check under its timeout: its failure, its hang or a missing source is UNKNOWN with why. */
    CompletableFuture<CheckResult> one(Environment.Check c, Instant at, Instant logsSince) {
        CheckSource source = CheckSource.of(c.kind());
        long t0 = System.nanoTime();
        CompletableFuture<CheckRules.Verdict> v;
        try {
            v = switch (source) {
                case SLOTS -> sources.single() != null ? stack(sources.single())
                        : need(sources.slots(), "slots").read().thenApply(CheckRules::slots);
                case OUTBOX -> outbox(need(sources.outbox(), "outbox"));
                case ALERTS -> alerts(c, at);
                case BACKUPS -> backups(c);
                case PROMETHEUS -> need(sources.metrics(), "Prometheus").instant(c.query(), at, c.timeout())
                        .thenApply(r -> CheckRules.prometheus(c, r));
                case LOGS -> logs(c, logsSince);
                case DISK -> disk(c);
            };
        } catch (RuntimeException e) {
            v = CompletableFuture.failedFuture(e);
        }
        long ms = c.timeout().toMillis();
        return v.orTimeout(ms, TimeUnit.MILLISECONDS).handle((verdict, e) -> {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (e != null) {
                Throwable u = Errors.unwrap(e);
                String why = u instanceof TimeoutException && u.getMessage() == null ? "no answer within " + Duration.ofMillis(ms).toSeconds() + " s"
                        : Errors.describe(e);
                // read, but its record could not be kept (a full disk): said as it is, never "not read"
                boolean read = u instanceof io.dutydesk.core.audit.AuditWriteException w && w.ran();
                return new CheckResult(c.id(), c.title(), source, CheckStatus.UNKNOWN, source.id() + (read ? ": " : " not read: ") + why, List.of(),
                        source.pane(), Optional.empty(), took);
            }
            return new CheckResult(c.id(), c.title(), source, verdict.status(), verdict.evidence(), verdict.details(),
                    source.pane(), Optional.empty(), took);
        });
    }

    private static <T> T need(T t, String what) {
        if (t == null) {
            throw new IllegalStateException(what + " is not configured for this environment");
        }
        return t;
    }

    /**
     * The backlog (PostgreSQL) against the thresholds and, where the environment has one, the relay's stream (Redis) read
     * at once: a stream that cannot be read makes the check UNKNOWN with why (FAIL stays FAIL), never PASS on the backlog
     * alone.
     */
    private CompletableFuture<CheckRules.Verdict> outbox(OutboxService o) {
        CompletableFuture<io.dutydesk.core.outbox.OutboxBacklog> backlog = o.backlog();
        if (!env.redis().configured()) {
            return backlog.thenApply(b -> CheckRules.outbox(b, env.thresholds(), false));
        }
        CompletableFuture<Optional<String>> stream;
        try {
            stream = o.stream().thenApply(x -> Optional.<String>empty()).exceptionally(e -> Optional.of(Errors.describe(e)));
        } catch (RuntimeException e) {
            stream = CompletableFuture.completedFuture(Optional.of(Errors.describe(e)));
        }
        return backlog.thenCombine(stream, (b, problem) -> CheckRules.outbox(b, env.thresholds(), true, problem.map(p ->
                "relay stream " + env.redis().stream() + " not read: " + p)));
    }

    private CompletableFuture<CheckRules.Verdict> alerts(Environment.Check c, Instant at) {
        AlertsService a = need(sources.alerts(), "Alertmanager");
        Instant since = overnightSince(at);
        return a.poll(true).thenCompose(u -> {
            Optional<String> cannot = u.cannotFire();
            return a.history(since).thenApply(ts -> {
                List<Alert> active = u.shown().alerts();
                CheckRules.Verdict v = CheckRules.alerts(active, u.unverified().keySet(), ts, since, zone(), env.alerts(),
                        CheckStatus.parse(c.resolved()));
                u.historyProblem().ifPresent(p -> {
                    throw new IllegalStateException(p);
                });
                if (cannot.isPresent()) {
                    // no alert can fire now: what is firing is real, the silence is not an all-clear
                    return v.status() == CheckStatus.FAIL ? v
                            : new CheckRules.Verdict(CheckStatus.UNKNOWN, cannot.get() + "; " + v.evidence(), v.details());
                }
                return v;
            });
        });
    }

    private CompletableFuture<CheckRules.Verdict> backups(Environment.Check c) {
        BackupsService b = need(sources.backups(), "backups");
        return b.list().thenCompose(l -> {
            Optional<BackupEntry> unverified = l.rpo() == BackupListing.Rpo.MET_UNVERIFIED && c.verify()
                    ? l.withinRpo().stream().filter(e -> e.verification().isEmpty()).findFirst() : Optional.empty();
            if (unverified.isEmpty()) {
                return CompletableFuture.completedFuture(CheckRules.backups(l));
            }
            // the newest backup within the RPO was never verified: verify it now (on the server, nothing downloaded), then judge
            return b.verify(unverified.get().name()).thenCompose(x -> b.list()).thenApply(CheckRules::backups);
        });
    }

    /**
     * A single stack: every service running and healthy (the engine's snapshot, as the Slots pane shows it), and rollback
     * ready by the chip's rule ({@link io.dutydesk.core.deploy.SingleReadiness}: the backups and the release history), with
     * the version recorded with the newest backup ({@link SingleService#recordedVersion}).
     */
    private CompletableFuture<CheckRules.Verdict> stack(SingleService single) {
        CompletableFuture<io.dutydesk.core.deploy.StackSnapshot> snap = single.engine().read();
        CompletableFuture<Object> backups = sources.backups() == null || !env.backups().configured()
                ? CompletableFuture.completedFuture("backups not configured")
                : sources.backups().list().<Object>thenApply(l -> l).exceptionally(Errors::describe);
        CompletableFuture<Object> releases = single.releases().read().<Object>thenApply(l -> l).exceptionally(Errors::describe);
        CompletableFuture<io.dutydesk.core.deploy.SingleReadiness> ready = backups.thenCombine(releases, (b, r) ->
                io.dutydesk.core.deploy.SingleReadiness.of(env,
                        b instanceof io.dutydesk.core.backups.BackupListing l ? Optional.of(l) : Optional.empty(), String.valueOf(b),
                        r instanceof io.dutydesk.core.rollout.ReleaseHistory.Listing h ? Optional.of(h) : Optional.empty(), String.valueOf(r),
                        zone(), clock.instant()));
        CompletableFuture<Optional<String>> recorded = ready.thenCompose(r -> r.newest().isEmpty()
                ? CompletableFuture.completedFuture(Optional.<String>empty())
                : single.recordedVersion(r.newest().get().path()).exceptionally(e -> Optional.empty()));
        return snap.thenCompose(s -> ready.thenCombine(recorded, (r, v) -> CheckRules.stack(s, r, v)));
    }

    private CompletableFuture<CheckRules.Verdict> logs(Environment.Check c, Instant since) {
        if (sources.single() != null) {
            return stackLogs(c, since, sources.single());
        }
        SlotsReader slots = need(sources.slots(), "slots");
        ContainersPort containers = need(sources.containers(), "Docker");
        return slots.read().thenCompose(s -> {
            List<String> wanted = c.services().isEmpty() ? env.slots().services() : c.services();
            List<CompletableFuture<CheckRules.LogLines>> reads = new ArrayList<>();
            List<String> unread = java.util.Collections.synchronizedList(new ArrayList<>());
            for (ServiceState st : s.live().services()) {
                if (!wanted.contains(st.service())) {
                    continue;
                }
                if (st.container().isEmpty()) {
                    unread.add(st.containerName() + " (missing)");
                    continue;
                }
                String name = st.container().get().name();
                reads.add(errorLines(containers, name, since, c.pattern(), c.newest()).exceptionally(e -> {
                    unread.add(name + " (" + Errors.describe(e) + ")");
                    return null;
                }));
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<CheckRules.LogLines> read = reads.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
                return CheckRules.logs(c, s.liveSlot(), read, List.copyOf(unread), since, zone());
            });
        });
    }

    /** A single stack's logs: every configured service's container as the engine sees it (or {@code services} of the check). */
    private CompletableFuture<CheckRules.Verdict> stackLogs(Environment.Check c, Instant since, SingleService single) {
        ContainersPort containers = need(sources.containers(), "Docker");
        return single.engine().read().thenCompose(s -> {
            List<String> wanted = c.services().isEmpty() ? env.slots().services() : c.services();
            List<CompletableFuture<CheckRules.LogLines>> reads = new ArrayList<>();
            List<String> unread = java.util.Collections.synchronizedList(new ArrayList<>());
            for (io.dutydesk.core.deploy.StackService st : s.services()) {
                if (!wanted.contains(st.service())) {
                    continue;
                }
                if (st.info().isEmpty()) {
                    unread.add(st.container() + " (missing)");
                    continue;
                }
                String name = st.container();
                reads.add(errorLines(containers, name, since, c.pattern(), c.newest()).exceptionally(e -> {
                    unread.add(name + " (" + Errors.describe(e) + ")");
                    return null;
                }));
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<CheckRules.LogLines> read = reads.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
                return CheckRules.logs(c, "the stack", read, List.copyOf(unread), since, zone());
            });
        });
    }

    /** The lines of one container's log since {@code since} matching {@code pattern}: how many, and the newest. */
    static CompletableFuture<CheckRules.LogLines> errorLines(ContainersPort containers, String name, Instant since, Pattern pattern,
                                                            int newest) {
        int[] count = {0};
        int[] lines = {0};
        Deque<String> last = new ArrayDeque<>();
        RemoteShell.OutputListener l = (stderr, line) -> {
            synchronized (last) {
                lines[0]++;
            }
            if (pattern.matcher(line).find()) {
                synchronized (last) {
                    count[0]++;
                    last.addLast(CheckRules.shorten(line, 300));
                    if (last.size() > Math.max(newest, 1)) {
                        last.removeFirst();
                    }
                }
            }
        };
        return containers.logsSince(name, since, LOG_TAIL, l).thenCompose(stream -> stream.ended().thenApply(v -> {
            synchronized (last) {
                List<String> kept = new ArrayList<>(last);
                List<String> shown = newest == 0 ? List.<String>of() : kept.subList(Math.max(0, kept.size() - newest), kept.size());
                // the tail bound reached: Docker gave the newest LOG_TAIL lines since the time asked, not all of them
                return new CheckRules.LogLines(name, count[0], shown, lines[0] >= LOG_TAIL);
            }
        }));
    }

    static final String DISK = "@@DISK ";

    /** One {@code @@DISK index avail size measured} line per path: df of the path, or of its nearest existing parent. */
    static String diskScript(List<String> paths) {
        StringBuilder sb = new StringBuilder("i=0; for d in");
        for (String p : paths) {
            sb.append(' ').append(ShellQuote.path(p));
        }
        return sb.append("; do p=\"$d\"; while [ ! -e \"$p\" ] && [ \"$p\" != / ] && [ \"$p\" != . ]; do p=$(dirname \"$p\"); done; ")
                .append("l=$(df -P -B1 \"$p\" 2>/dev/null | awk 'NR==2{print $4, $2}'); echo \"").append(DISK)
                .append("$i ${l:--1 -1} $p\"; i=$((i+1)); done").toString();
    }

    static List<CheckRules.Volume> parseDisk(Map<String, String> paths, String out) {
        List<String> labels = new ArrayList<>(paths.keySet());
        Map<Integer, CheckRules.Volume> got = new HashMap<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith(DISK)) {
                continue;
            }
            String[] p = line.substring(DISK.length()).split(" ", 4);
            try {
                int i = Integer.parseInt(p[0]);
                if (i >= 0 && i < labels.size() && p.length == 4) {
                    String label = labels.get(i);
                    got.put(i, new CheckRules.Volume(label, paths.get(label), p[3], Long.parseLong(p[1]), Long.parseLong(p[2])));
                }
            } catch (NumberFormatException ignored) {
                // an odd df: unknown below
            }
        }
        List<CheckRules.Volume> out2 = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            out2.add(got.getOrDefault(i, new CheckRules.Volume(label, paths.get(label), paths.get(label), -1, -1)));
        }
        return out2;
    }

    private CompletableFuture<CheckRules.Verdict> disk(Environment.Check c) {
        RemoteShell shell = need(sources.shell(), "SSH");
        List<String> paths = new ArrayList<>(c.paths().values());
        return shell.exec(diskScript(paths), c.timeout(), RemoteShell.OutputListener.NONE)
                .thenApply(r -> CheckRules.disk(c, parseDisk(c.paths(), r.stdout())));
    }

    /** For tests: a supplier's failure as a failed future. */
    static <T> CompletableFuture<T> safely(Supplier<CompletableFuture<T>> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
