package io.dutydesk.app;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.Notifier;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.DetachedActions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * When the window starts: the audit entries a console left open (killed mid-action, closed, cut off) are completed from
 * the server's record for every environment that has some, not only the one shown first (its Slots pane does that one
 * when it attaches). In the background, on threads of its own (never the FX thread), one environment at a time per
 * thread over a connection of its own opened for it and closed after, each bounded by {@link #LIMIT}; the one
 * mechanism is {@link DetachedActions#reconcile}. No host key is accepted and no password asked here (nobody chose that
 * environment): one that cannot be reached keeps its entries open, and that is said.
 */
final class OpenEntriesAtStart implements AutoCloseable {
    /** One environment's connection and reading of its job folder take at most this long. */
    static final Duration LIMIT = Duration.ofSeconds(45);

    /** What became of one environment's open entries: how many were completed, or why they stay open. */
    record Outcome(String environment, int completed, Optional<String> problem) {
        /** One line for the console's output and the notice. */
        String describe() {
            return problem.map(p -> environment + ": audit entries left open by a console that stopped stay open: " + p
                            + " (completed from the server's record once it can be read: open " + environment + ", or run dutydesk audit --env "
                            + environment + ")")
                    .orElse(environment + ": completed " + completed + " audit " + (completed == 1 ? "entry" : "entries")
                            + " left open by a console that stopped (from the server's exit files)");
        }
    }

    private final Map<String, Environment> environments;
    private final EnvironmentConnector connector;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;
    private final ExecutorService runs = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "dutydesk-open-entries");
        t.setDaemon(true);
        return t;
    });

    OpenEntriesAtStart(Map<String, Environment> environments, EnvironmentConnector connector, AuditLog audit, String actor, Clock clock) {
        this.environments = Map.copyOf(environments);
        this.connector = connector;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
    }

    /**
     * Starts at once and returns: the environments with open entries (a read of the local log), but {@code shownFirst},
     * each completed; {@code said} gets each one's {@link Outcome} (on this object's threads) and the future all of them.
     */
    CompletableFuture<List<Outcome>> start(String shownFirst, Consumer<Outcome> said) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return DetachedActions.openEnvironments(audit).get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                System.err.println("dutydesk: the audit log could not be read for open entries: " + Errors.describe(e));
                return java.util.Set.<String>of();
            }
        }, runs).thenCompose(names -> {
            List<CompletableFuture<Outcome>> each = new ArrayList<>();
            for (String name : names) {
                Environment e = environments.get(name);
                if (e != null && !name.equals(shownFirst)) { // an environment no longer in the file cannot be asked
                    each.add(CompletableFuture.supplyAsync(() -> complete(e), runs).whenComplete((o, x) -> {
                        if (o != null) {
                            said.accept(o);
                        }
                    }));
                }
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
        });
    }

    private Outcome complete(Environment e) {
        try (EnvironmentHandle h = connector.open(e, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            int n = new DetachedActions(e, h.shell(), audit, actor, clock).reconcile().get(LIMIT.toMillis(), TimeUnit.MILLISECONDS).total();
            return new Outcome(e.name(), n, Optional.empty());
        } catch (java.util.concurrent.TimeoutException x) {
            return new Outcome(e.name(), 0, Optional.of("its host did not answer within " + LIMIT.toSeconds() + " s"));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return new Outcome(e.name(), 0, Optional.of("interrupted"));
        } catch (Exception x) {
            return new Outcome(e.name(), 0, Optional.of("its host could not be reached: " + Errors.describe(x)));
        }
    }

    /** The window says each: a line on its output; a notice when entries stay open (the user must know). */
    static void say(Outcome o, Notifier notifier) {
        if (o.problem().isPresent()) {
            System.err.println("dutydesk: " + o.describe());
            notifier.notify(new Notifier.Notice("open-entries-" + o.environment(), Notifier.Level.WARNING,
                    o.environment() + ": audit entries stay open", o.describe()));
        } else if (o.completed() > 0) {
            System.out.println("dutydesk: " + o.describe());
        }
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }
}
