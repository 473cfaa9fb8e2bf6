package io.dutydesk.core.health;

import io.dutydesk.core.poll.Poller;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.BackendProbe;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private volatile HealthSnapshot latest;

    public HealthMonitor(String environment, List<BackendProbe> probes, Duration interval, Duration maxBackoff,
                         Duration timeout, ScheduledExecutorService scheduler, Clock clock) {
        this.environment = environment;
        this.clock = clock;
        this.latest = HealthSnapshot.unknown(environment, clock.instant());
        for (BackendProbe p : probes) {
            Poller<Long> poller = new Poller<>(p.backend().id(), () -> Probes.timed(p, timeout),
                    interval, maxBackoff, timeout.plusMillis(500), scheduler, clock);
            pollers.add(poller);
            subscriptions.add(poller.subscribe(s -> onSnapshot(p, s)));
        }
        refreshAllWhenSshIsBack(probes);
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
        BackendStatus st = s.ok()
                ? new BackendStatus(p.backend(), BackendStatus.State.OK, s.value(), null, s.takenAt(), null, s.lastSuccessAt())
                : new BackendStatus(p.backend(), s.misconfigured() ? BackendStatus.State.MISCONFIGURED : BackendStatus.State.DOWN,
                -1, s.error(), s.takenAt(), s.failingSince(), s.lastSuccessAt());
        // fold and hand over under one lock: listeners get the snapshots in the order they were made
        // (each one's seq larger than the last), never an older one after a newer one
        synchronized (this) {
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

    /** Sum of ticks dropped because a refresh was still running. */
    public long dropped() {
        return pollers.stream().mapToLong(Poller::dropped).sum();
    }

    @Override
    public void close() {
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
