package io.dutydesk.core.rollout;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rollout rules: from the slots as the server reports them, what an action will do, the
 * facts that decide it, its risk, and whether it must not run (unless forced). Pure: no IO.
 */
public final class RolloutRules {
    private RolloutRules() {}

    /** Why {@code version} may not be deployed with these conventions, or empty when it may. */
    public static Optional<String> versionProblem(Environment.Deploy deploy, String version) {
        if (version == null || version.isEmpty()) {
            return Optional.of("deploy needs a VERSION");
        }
        if (!deploy.versionPattern().matcher(version).matches()) {
            return Optional.of("refused version '" + printable(version) + "': it must match "
                    + deploy.versionPattern().pattern() + " (nothing was run)");
        }
        return Optional.empty();
    }

    /** Refuses a version that does not match the pattern, before anything runs. */
    public static void checkVersion(Environment.Deploy deploy, String version) {
        versionProblem(deploy, version).ifPresent(why -> {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, why);
        });
    }

    /** Control characters shown as '?', so a refusal message cannot garble a terminal. */
    public static String printable(String s) {
        return s.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * What no longer holds of what {@code plan} was confirmed on, by the slots read now — the rules the
     * server checks again inside the lock ({@link RolloutService#preconditions}): the live slot is no
     * longer the plan's ("live is now green"), or the target of a switch or rollback that was not blocked
     * is no longer all healthy ("the green slot is now unhealthy (selfology-analysis-worker-green:
     * unhealthy)"). Empty while the plan holds. Pure.
     */
    public static Optional<String> changedSince(Plan plan, SlotsSnapshot now) {
        if (!now.environment().equals(plan.environment())) {
            return Optional.of("the environment is now " + now.environment());
        }
        if (!now.liveSlot().equals(plan.liveBefore())) {
            return Optional.of("live is now " + now.liveSlot());
        }
        if (checksTarget(plan)) {
            Optional<SlotState> target = now.slot(plan.target());
            if (target.isEmpty() || !target.get().allReady()) {
                return Optional.of("the " + plan.target() + " slot is now unhealthy ("
                        + target.map(t -> String.join(", ", t.problems())).orElse("not found") + ")");
            }
        }
        return Optional.empty();
    }

    /** A switch or rollback planned onto a healthy target: its health is part of what was confirmed. */
    static boolean checksTarget(Plan plan) {
        return (plan.verb() == Verb.SWITCH || plan.verb() == Verb.ROLLBACK) && plan.blocked().isEmpty()
                && !plan.toRelease() && plan.rollbackType().isEmpty();
    }

    /** The same kind of plan decided again from {@code s} (an open confirmation follows the pane's reads). */
    public static Plan redecide(Plan plan, SlotsSnapshot s, String pendingFact, String typeCommand) {
        if (plan.toRelease()) {
            return decideRelease(plan.version().orElseThrow(), plan.repositories(), plan.forced(), s, pendingFact);
        }
        if (plan.rollbackType().isPresent()) {
            Plan again = decideType(plan.rollbackType().get(), typeCommand, plan.forced(), s, pendingFact);
            if (!databaseType(plan.rollbackType().get()) || plan.facts().size() <= TYPE_FACTS) {
                return again;
            }
            // what the database loses was read with the plan (backup listing, outbox): kept while the confirmation follows the slots
            List<String> facts = new ArrayList<>(again.facts());
            facts.addAll(plan.facts().subList(TYPE_FACTS, plan.facts().size()));
            return new Plan(again.environment(), again.verb(), again.version(), again.liveBefore(), again.target(), again.destroys(),
                    again.headline(), facts, plan.risk(), again.blocked(), again.typedConfirmation(), again.forced(),
                    again.rollbackType(), again.repositories());
        }
        return decide(plan.verb(), plan.version(), plan.forced(), s, pendingFact);
    }

    /**
     * A rollback to an earlier release whose image is on the host ({@code repositories}: the services' image
     * repositories, checked again on the server inside the lock): {@code version} deployed to the idle slot, its health
     * checked, then traffic switched to it. What goes away: the idle slot's version (replaced); the live one stays as
     * the way back. Blocked when the version is already what the live slot runs.
     */
    public static Plan decideRelease(String version, java.util.List<String> repositories, boolean force, SlotsSnapshot s,
                                     String pendingFact) {
        SlotState live = s.live();
        SlotState idle = s.idle();
        List<String> facts = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        String liveVersions = versions(live);
        String idleVersions = versions(idle);
        facts.add(version + " is on the host (" + String.join(", ", repositories.stream().map(r -> r + ":" + version).toList()) + ")");
        facts.add("1. deploy " + version + " to " + idle.name() + " (idle)" + (idle.empty() ? ", empty now"
                : ": replaces " + idleVersions + " there"));
        facts.add("2. check every " + idle.name() + " container healthy on the server; 3. switch traffic " + live.name() + " -> " + idle.name());
        facts.add(live.name() + " (" + liveVersions + ") keeps running as the way back");
        facts.add(pendingFact);
        if (live.services().stream().allMatch(x -> x.container().map(c -> c.version().equals(version)).orElse(false))) {
            blocked.add(version + " is what the live slot " + live.name() + " runs already: nothing to roll back to");
        }
        String lost = idle.empty() ? "no version goes away (" + idle.name() + " is empty)"
                : "goes away: " + idleVersions + " in " + idle.name() + " (replaced by " + version + "; deploy it again to get it back)";
        return new Plan(s.environment(), Verb.ROLLBACK, java.util.Optional.of(version), live.name(), idle.name(),
                java.util.Optional.empty(), "roll back to " + version + ": deploy to " + idle.name() + ", then traffic "
                + live.name() + " -> " + idle.name(), facts, lost + "; traffic leaves " + liveVersions, blocked,
                java.util.Optional.empty(), force, java.util.Optional.empty(), repositories);
    }

    /** Whether a rollback type restores the database (its name says so): it loses what was written since the backup it restores. */
    public static boolean databaseType(String type) {
        return type.contains("database") || type.equals("db");
    }

    /**
     * A rollback type the environment declares ({@code deploy.rollbackTypes}): the team's command, run under the lock
     * while the live slot is still the plan's. A database type is told as losing the rows written since the backup it
     * restores; the user types the environment's name to confirm it.
     */
    public static Plan decideType(String type, String command, boolean force, SlotsSnapshot s, String pendingFact) {
        return decideType(type, command, force, s, pendingFact, Optional.empty());
    }

    /** The facts of a type's plan before what a database type loses ({@link DatabaseLoss#facts()}). */
    static final int TYPE_FACTS = 3;

    /**
     * What a database rollback type loses, in the confirmation's words: the backup it goes back to (the newest one
     * listed, as the team's command restores) and the outbox rows written since (from the outbox's newest row time and
     * the backup's time), or why that is unknown.
     */
    public record DatabaseLoss(List<String> facts, String risk) {
        public DatabaseLoss {
            facts = List.copyOf(facts);
        }

        static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

        /**
         * {@code backup}: the newest backup (empty with {@code backupUnknown} saying why); {@code rows}: what the live outbox
         * {@code table} holds since its time (empty with {@code rowsUnknown} saying why).
         */
        public static DatabaseLoss of(Optional<io.dutydesk.core.backups.BackupEntry> backup, String backupUnknown, String table,
                                      Optional<io.dutydesk.core.ports.OutboxPort.RowsSince> rows, String rowsUnknown) {
            List<String> facts = new ArrayList<>();
            if (backup.isEmpty()) {
                facts.add("the backup it restores: unknown (" + backupUnknown + ")");
                facts.add("rows written since the backup: unknown");
                return new DatabaseLoss(facts, "the database goes back to the backup the team's command restores: every row written "
                        + "since it is lost (the outbox's open rows above among them)");
            }
            io.dutydesk.core.backups.BackupEntry b = backup.get();
            String taken = TIME.format(b.takenAt());
            facts.add("the backup it restores: the newest, " + b.path() + " (" + b.kind() + ", taken " + taken + ")"
                    + (b.recorded().known() ? "; version deployed then: " + b.recorded().describe() : ""));
            String lost;
            if (rows.isEmpty()) {
                facts.add("rows written since the backup: unknown (" + rowsUnknown + ")");
                lost = "every row written since " + taken;
            } else {
                io.dutydesk.core.ports.OutboxPort.RowsSince r = rows.get();
                String newest = r.newest().map(t -> "the newest row of " + table + " is from " + TIME.format(t)).orElse(table + " is empty");
                facts.add(r.count() == 0 ? "no row of " + table + " was written since the backup (" + newest + ")"
                        : "LOST: " + r.count() + (r.count() == 1 ? " row" : " rows") + " of " + table + " written since the backup ("
                        + taken + "); " + newest);
                lost = r.count() == 0 ? "no outbox row written since " + taken
                        : r.count() + " outbox " + (r.count() == 1 ? "row" : "rows") + " written since " + taken;
            }
            return new DatabaseLoss(facts, "the live database goes back to " + taken + " (" + b.name() + ", the newest backup, as the "
                    + "team's command restores it): " + lost + " will be gone");
        }

        /**
         * Reads what a database rollback type of {@code env} loses: the newest backup that holds the schema (the one such a
         * command restores; data-only kinds never are) and the outbox rows written since its time. Never fails: what cannot
         * be read is said unknown. One rule for both deploy models.
         */
        public static java.util.concurrent.CompletableFuture<DatabaseLoss> read(Environment env,
                java.util.function.Supplier<java.util.concurrent.CompletableFuture<io.dutydesk.core.backups.BackupListing>> backups,
                io.dutydesk.core.ports.OutboxPort outbox) {
            String table = env.outbox().table();
            if (!env.backups().configured()) {
                return java.util.concurrent.CompletableFuture.completedFuture(of(Optional.empty(),
                        "backups are not configured for " + env.name(), table, Optional.empty(), ""));
            }
            java.util.concurrent.CompletableFuture<io.dutydesk.core.backups.BackupListing> listed;
            try {
                listed = backups.get();
            } catch (RuntimeException e) {
                listed = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            return listed.thenCompose(l -> {
                Optional<io.dutydesk.core.backups.BackupEntry> newest = l.backups().stream()
                        .filter(b -> !env.backups().dataOnlyKinds().contains(b.kind()))
                        .max(java.util.Comparator.comparing(io.dutydesk.core.backups.BackupEntry::takenAt));
                if (newest.isEmpty()) {
                    return java.util.concurrent.CompletableFuture.completedFuture(of(Optional.empty(), "no backup listed in "
                            + String.join(", ", env.backups().folders()), table, Optional.empty(), ""));
                }
                return outbox.rowsSince(newest.get().takenAt()).handle((r, e) -> of(newest, "", table,
                        Optional.ofNullable(e == null ? r : null), e == null ? "" : io.dutydesk.core.Errors.describe(e)));
            }).exceptionally(e -> of(Optional.empty(), "the backups could not be listed: " + io.dutydesk.core.Errors.describe(e),
                    table, Optional.empty(), ""));
        }
    }

    /** As above; {@code loss}: what a database type loses (empty: not told). */
    public static Plan decideType(String type, String command, boolean force, SlotsSnapshot s, String pendingFact,
                                  Optional<DatabaseLoss> loss) {
        SlotState live = s.live();
        List<String> facts = new ArrayList<>();
        facts.add("runs the team's '" + type + "' rollback: " + command);
        facts.add("live " + live.name() + " (" + versions(live) + ", " + live.summary() + ")");
        facts.add(pendingFact);
        boolean db = databaseType(type);
        String risk = db ? loss.map(DatabaseLoss::risk).orElse("the database goes back to the backup the team's command restores: "
                + "every row written since it is lost (the outbox's open rows above among them)")
                : "the release the team's command replaces (live now: " + versions(live) + ") goes away";
        if (db) {
            loss.ifPresent(l -> facts.addAll(l.facts()));
        }
        return new Plan(s.environment(), Verb.ROLLBACK, java.util.Optional.empty(), live.name(), live.name(), java.util.Optional.empty(),
                "rollback " + type + " (the team's command)", facts, risk, List.of(),
                db ? java.util.Optional.of(s.environment()) : java.util.Optional.empty(), force, java.util.Optional.of(type), List.of());
    }

    /** "state changed since you confirmed: live is now green; nothing was run": the server's words for a refusal. */
    public static String refusal(String change) {
        return "state changed since you confirmed: " + change + "; nothing was run";
    }

    /** @param pendingFact e.g. "outbox pending 12" (or why it is unknown) */
    public static Plan decide(Verb verb, Optional<String> version, boolean force, SlotsSnapshot s, String pendingFact) {
        SlotState live = s.live();
        SlotState idle = s.idle();
        String idleVersion = versions(idle);
        List<String> facts = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        return switch (verb) {
            case DEPLOY -> {
                facts.add(live.name() + " stays live (" + versions(live) + ")");
                facts.add(idle.empty() ? idle.name() + " is empty" : idle.name() + " now runs " + idleVersion + " and will be replaced");
                facts.add(pendingFact);
                yield new Plan(s.environment(), verb, version, live.name(), idle.name(), Optional.empty(),
                        "deploy " + version.orElseThrow() + " to " + idle.name() + " (idle)", facts,
                        idle.empty() ? "no traffic moves until you switch"
                                : "the rollback target (" + idle.name() + ", " + idleVersion + ") is replaced: until you switch, rollback goes to "
                                + version.orElseThrow(), blocked, Optional.empty(), force);
            }
            case SWITCH, ROLLBACK -> {
                facts.add(idle.summary());
                if (!idle.empty()) {
                    facts.add(idle.name() + " runs " + idleVersion);
                }
                if (!live.allReady()) {
                    // the slot traffic leaves is itself degraded: often why one rolls back, and what stays as the way back
                    facts.add("live " + live.name() + " itself only " + live.readyCount() + "/" + live.services().size() + " healthy ("
                            + String.join(", ", live.problems()) + ")");
                }
                facts.add(pendingFact);
                if (!idle.allReady()) {
                    blocked.add((verb == Verb.ROLLBACK ? "rollback" : "switch") + " to " + idle.name() + " refused: "
                            + String.join("; ", s.rollbackBlockers()));
                }
                yield new Plan(s.environment(), verb, Optional.empty(), live.name(), idle.name(), Optional.empty(),
                        "traffic " + live.name() + " -> " + idle.name(), facts,
                        live.name() + " keeps running as the way back", blocked, Optional.empty(), force);
            }
            case CLEANUP -> {
                long n = idle.services().stream().filter(x -> x.exists()).count();
                facts.add(n + " containers of " + idle.name() + " (" + idleVersion + ") will be stopped and removed");
                facts.add(live.summary() + " stays live");
                if (idle.empty()) {
                    blocked.add(idle.name() + " has no containers: nothing to clean up");
                }
                yield new Plan(s.environment(), verb, Optional.empty(), live.name(), idle.name(), Optional.of(idle.name()),
                        "clean up " + idle.name() + " (idle)",
                        facts, "destroys the rollback target: no rollback until the next deploy", blocked,
                        Optional.of(idle.name()), force);
            }
        };
    }

    private static String versions(SlotState s) {
        List<String> vs = s.services().stream().flatMap(x -> x.container().stream()).map(c -> c.version()).distinct().toList();
        return vs.isEmpty() ? "nothing" : String.join(", ", vs);
    }
}
