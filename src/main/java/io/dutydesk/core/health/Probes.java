package io.dutydesk.core.health;

import io.dutydesk.core.Backend;
import io.dutydesk.core.Errors;
import io.dutydesk.core.ports.BackendProbe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Times probes and turns their outcome into {@link BackendStatus}. */
public final class Probes {
    private Probes() {}

    /** Latency in ms of one successful ping; fails like the ping, or on timeout. */
    public static CompletableFuture<Long> timed(BackendProbe probe, Duration timeout) {
        long t0 = System.nanoTime();
        CompletableFuture<Void> f;
        try {
            f = probe.ping();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        Errors.unwrap(e) instanceof TimeoutException
                                ? new TimeoutException("no answer within " + timeout.toMillis() + " ms") : Errors.unwrap(e)))
                .thenApply(v -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Pings every probe at once and reports each: the CLI's one-shot check. */
    public static CompletableFuture<List<BackendStatus>> pingAll(List<BackendProbe> probes, Duration timeout, Clock clock) {
        List<CompletableFuture<BackendStatus>> all = new ArrayList<>();
        for (BackendProbe p : probes) {
            long t0 = System.nanoTime();
            all.add(timed(p, timeout).handle((ms, err) -> {
                Instant now = clock.instant();
                Backend b = p.backend();
                if (err == null) {
                    return new BackendStatus(b, BackendStatus.State.OK, ms, null, now, null, now);
                }
                long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                BackendStatus.State state = io.dutydesk.core.MisconfiguredException.in(err)
                        ? BackendStatus.State.MISCONFIGURED : BackendStatus.State.DOWN;
                return new BackendStatus(b, state, spent, Errors.describe(err), now, now, null);
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /**
     * {@link #pingAll}, and then once more for each backend that answered: a first request pays for the connection,
     * the tunnel and class loading, so the latency reported is the second request's (a network round trip); what the
     * second says stands (a backend that fails it is reported as it failed). A backend down at the first is asked once.
     */
    public static CompletableFuture<List<BackendStatus>> pingWarm(List<BackendProbe> probes, Duration timeout, Clock clock) {
        return pingAll(probes, timeout, clock).thenCompose(first -> {
            List<BackendProbe> answered = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                if (first.get(i).ok()) {
                    answered.add(probes.get(i));
                }
            }
            return pingAll(answered, timeout, clock).thenApply(second -> {
                List<BackendStatus> out = new ArrayList<>(first);
                for (int i = 0, j = 0; i < probes.size(); i++) {
                    if (first.get(i).ok()) {
                        out.set(i, second.get(j++));
                    }
                }
                return List.copyOf(out);
            });
        });
    }
}
