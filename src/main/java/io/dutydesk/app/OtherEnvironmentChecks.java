package io.dutydesk.app;

import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.CheckHistory;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The Today pane's "Run all environments": another environment's checklist over a connection of its own (its host key
 * verified and its secrets asked as when the window opens it), opened for the run and closed after, one environment at
 * a time on one thread; its run kept in the local store as every run is. An environment not reached fails the future
 * with the reason (the pane shows it UNKNOWN).
 */
public final class OtherEnvironmentChecks implements Function<String, CompletableFuture<CheckRun>>, AutoCloseable {
    /** A run that takes longer than this is given up (its connection closed). */
    static final Duration LIMIT = Duration.ofMinutes(5);

    private final Map<String, Environment> environments;
    private final EnvironmentConnector connector;
    private final HostKeyPrompt hostKeys;
    private final SecretPrompt secrets;
    private final AlertHistory alerts;
    private final CheckHistory history;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;
    private final ExecutorService runs = daemon("dutydesk-check-all", 1);
    /** The checks' own reads: not the one thread the run above waits on. */
    private final ExecutorService io = daemon("dutydesk-check-all-io", 2);

    public OtherEnvironmentChecks(Map<String, Environment> environments, EnvironmentConnector connector, HostKeyPrompt hostKeys,
                                  SecretPrompt secrets, AlertHistory alerts, CheckHistory history, AuditLog audit, String actor,
                                  Clock clock) {
        this.environments = Map.copyOf(environments);
        this.connector = connector;
        this.hostKeys = hostKeys;
        this.secrets = secrets;
        this.alerts = alerts;
        this.history = history;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
    }

    private static ExecutorService daemon(String name, int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<CheckRun> apply(String name) {
        Environment e = environments.get(name);
        if (e == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no environment '" + name + "' in the file"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try (EnvironmentHandle h = connector.open(e, hostKeys, secrets)) {
                return CheckService.of(h, alerts, history, audit, actor, clock, io).run()
                        .get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException x) {
                throw new CompletionException(x.getCause());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new CompletionException(x);
            } catch (TimeoutException x) {
                throw new CompletionException(new TimeoutException("the checks of " + name + " took over " + LIMIT.toMinutes() + " min"));
            }
        }, runs);
    }

    @Override
    public void close() {
        runs.shutdownNow();
        io.shutdownNow();
    }
}
