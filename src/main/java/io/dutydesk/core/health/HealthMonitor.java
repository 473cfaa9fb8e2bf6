package io.dutydesk.core.health;

import io.dutydesk.core.Backend;
import io.dutydesk.core.Errors;
import io.dutydesk.core.poll.Poller;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.BackendProbe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Watches every backend of one environment: one {@link Poller} per backend, so a slow or
 * failing backend neither delays nor hides the others. Publishes a new immutable
 * {@link HealthSnapshot} whenever any backend's poll completes, numbered ({@link HealthSnapshot#seq()})
 * and in order: listeners are called under the lock that makes the snapshot, so they must only
 * hand it on (e.g. to the FX thread), where a receiver drops one older than what it shows.
 */
public final class HealthMonitor implements AutoCloseable {
    private final String environment;
    private final Clock clock;
    private final List<Poller<Long>> pollers = new ArrayList<>();
    private final List<Consumer<HealthSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final Map<Backend, Poller<Long>> byBackend = new EnumMap<>(Backend.class);
    /** The last probe of a backend failed by its timeout while the first connection was still being set up. */
    private final Map<Backend, Boolean> notYet = new ConcurrentHashMap<>();
    /** When a pane's answer last made a backend's probe run early ({@link #answered}), System.nanoTime. */
    private final Map<Backend, Long> lastNudge = new ConcurrentHashMap<>();
    private final BooleanSupplier connecting;
    private final Duration interval;
    private volatile boolean closed;
    private volatile HealthSnapshot latest;

    public HealthMonitor(String environment, List<BackendProbe> probes, Duration interval, Duration maxBackoff,
                         Duration timeout, ScheduledExecutorService scheduler, Clock clock) {
        this(environment, probes, interval, maxBackoff, timeout, scheduler, clock, () -> false);
    }

    /**
     * @param connecting true while the environment's first connection (SSH, through which every backend is reached)
     *                   has not been tried to completion — neither established nor failed
     *                   ({@link io.dutydesk.core.ports.EnvironmentHandle#connecting()}): a probe that runs out of
     *                   time then has not been answered yet, it is not down
     */
    public HealthMonitor(String environment, List<BackendProbe> probes, Duration interval, Duration maxBackoff,
                         Duration timeout, ScheduledExecutorService scheduler, Clock clock, BooleanSupplier connecting) {
        this(environment, probes, java.util.Set.of(), interval, maxBackoff, timeout, scheduler, clock, connecting);
    }

    /**
     * @param notConfigured backends the environment does not have ({@code alertmanager: false}, ...): shown as
     *                      {@link BackendStatus.State#NOT_CONFIGURED} from the start and never polled (a probe given
     *                      for one is left out)
     */
    public HealthMonitor(String environment, List<BackendProbe> probes, java.util.Set<Backend> notConfigured, Duration interval,
                         Duration maxBackoff, Duration timeout, ScheduledExecutorService scheduler, Clock clock,
                         BooleanSupplier connecting) {
        this.environment = environment;
        this.clock = clock;
        this.connecting = connecting;
        this.interval = interval;
        Map<Backend, BackendStatus> initial = new EnumMap<>(Backend.class);
        notConfigured.forEach(b -> initial.put(b, BackendStatus.notConfigured(b)));
        this.latest = new HealthSnapshot(environment, 0, clock.instant(), initial);
        probes = probes.stream().filter(p -> !notConfigured.contains(p.backend())).toList();
        Duration probeBackoff = probeBackoff(interval, maxBackoff);
        for (BackendProbe p : probes) {
            Poller<Long> poller = new Poller<>(p.backend().id(), () -> probe(p, timeout),
                    interval, probeBackoff, timeout.plusMillis(500), scheduler, clock).measuredAs(p.backend().id(), "ping");
            pollers.add(poller);
            byBackend.put(p.backend(), poller);
            subscriptions.add(poller.subscribe(s -> onSnapshot(p, s)));
        }
        refreshAllWhenSshIsBack(probes);
    }

    /**
     * How long a failing backend's probe waits at most: twice the interval, or {@code maxBackoff} if that is shorter.
     * The header says "down" until the next probe; with the panes' backoff (30 s by default) it said so for up to 30 s
     * after the backend was back (a ping is cheap: the panes' reads are what {@code maxBackoff} spares).
     */
    static Duration probeBackoff(Duration interval, Duration maxBackoff) {
        Duration twice = interval.multipliedBy(2);
        return maxBackoff.compareTo(twice) < 0 ? maxBackoff : twice;
    }

    /**
     * One probe, and whether its failure counts: one that ran out of time before the backend ever answered, begun
     * (or ended) while the first connection was still being set up, says nothing about the backend — its time
     * went on the connection (on a loaded machine the SSH connect alone can take longer than the probe's timeout).
     * It is "connecting", not down. Any other failure — an error, or a timeout once the connection was tried to
     * completion — is down.
     */
    private CompletableFuture<Long> probe(BackendProbe p, Duration timeout) {
        Backend b = p.backend();
        boolean connectingAtStart = connecting.getAsBoolean();
        return Probes.timed(p, timeout).whenComplete((v, e) -> notYet.put(b, e != null
                && Errors.unwrap(e) instanceof TimeoutException
                && latest.get(b).lastOkAt() == null
                && (connectingAtStart || connecting.getAsBoolean())));
    }

    /**
     * Every other backend goes through SSH: when SSH answers again after failing, they are polled
     * at once instead of after their own backoff, so all are back within one poll of SSH.
     */
    private void refreshAllWhenSshIsBack(List<BackendProbe> probes) {
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i).backend() != io.dutydesk.core.Backend.SSH) {
                continue;
            }
            Poller<Long> ssh = pollers.get(i);
            java.util.concurrent.atomic.AtomicBoolean wasDown = new java.util.concurrent.atomic.AtomicBoolean();
            subscriptions.add(ssh.subscribe(s -> {
                if (s.pending()) {
                    return;
                }
                if (!s.ok()) {
                    wasDown.set(true);
                } else if (wasDown.getAndSet(false)) {
                    pollers.stream().filter(other -> other != ssh).forEach(Poller::refreshNow);
                }
            }));
        }
    }

    private void onSnapshot(BackendProbe p, Snapshot<Long> s) {
        if (s.pending()) {
            return;
        }
        Backend b = p.backend();
        // fold and hand over under one lock: listeners get the snapshots in the order they were made
        // (each one's seq larger than the last), never an older one after a newer one
        synchronized (this) {
            BackendStatus before = latest.get(b);
            BackendStatus st;
            if (s.ok()) {
                st = new BackendStatus(b, BackendStatus.State.OK, s.value(), null, s.takenAt(), null, s.lastSuccessAt());
            } else if (!s.misconfigured() && Boolean.TRUE.equals(notYet.get(b))) {
                st = new BackendStatus(b, BackendStatus.State.UNKNOWN, -1, CONNECTING + " (" + s.error()
                        + " while the connection to the server was still being set up)", s.takenAt(), null, null);
            } else {
                // an outage starts at its first real failure, not at the probes that only waited for the connection
                boolean wasConnecting = before.state() == BackendStatus.State.UNKNOWN && before.error() != null;
                boolean wasFailing = before.state() == BackendStatus.State.DOWN || before.state() == BackendStatus.State.MISCONFIGURED;
                Instant since = wasFailing && before.downSince() != null ? before.downSince()
                        : wasConnecting ? s.takenAt() : s.failingSince();
                st = new BackendStatus(b, s.misconfigured() ? BackendStatus.State.MISCONFIGURED : BackendStatus.State.DOWN,
                        -1, s.error(), s.takenAt(), since, s.lastSuccessAt());
            }
            HealthSnapshot next = latest.with(st, clock.instant());
            latest = next;
            for (Consumer<HealthSnapshot> l : listeners) {
                try {
                    l.accept(next);
                } catch (RuntimeException ignored) {
                    // a listener's fault must not stop the others
                }
            }
        }
    }

    public String environment() {
        return environment;
    }

    public HealthSnapshot latest() {
        return latest;
    }

    /** Adds a listener; it gets the current snapshot at once, then every later one, in order. */
    public synchronized AutoCloseable subscribe(Consumer<HealthSnapshot> listener) {
        listeners.add(listener);
        listener.accept(latest);
        return () -> listeners.remove(listener);
    }

    public void start() {
        pollers.forEach(Poller::start);
    }

    public void stop() {
        pollers.forEach(Poller::stop);
    }

    public void refreshNow() {
        pollers.forEach(Poller::refreshNow);
    }

    /**
     * A pane has just read something through {@code b} (the Outbox pane's PostgreSQL poll, the Alerts pane's
     * Prometheus state): if the header does not show {@code b} answering (down, misconfigured, or connecting), its
     * probe runs now instead of after its backoff, so the header never says "down" for long about a backend a pane
     * reads. At most one such early probe per backend per poll interval, however many panes answer.
     */
    public void answered(Backend b) {
        Poller<Long> p = byBackend.get(b);
        if (p == null || closed) {
            return;
        }
        BackendStatus st = latest.get(b);
        if (st.ok() || (st.state() == BackendStatus.State.UNKNOWN && st.error() == null)) {
            return; // shown answering, or its first probe is still under way
        }
        long now = System.nanoTime();
        Long last = lastNudge.get(b);
        if (last != null && now - last < interval.toNanos()) {
            return;
        }
        if (last == null ? lastNudge.putIfAbsent(b, now) != null : !lastNudge.replace(b, last, now)) {
            return; // another pane's answer just did it
        }
        p.refreshNow();
    }

    /** The text of a backend not answered yet because the first connection is still being set up. */
    public static final String CONNECTING = "connecting…";

    /** Sum of ticks dropped because a refresh was still running. */
    public long dropped() {
        return pollers.stream().mapToLong(Poller::dropped).sum();
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable c : subscriptions) {
            try {
                c.close();
            } catch (Exception ignored) {
                // removal from a list cannot fail
            }
        }
        pollers.forEach(Poller::close);
        listeners.clear();
    }
}
