package io.dutydesk.core.deploy;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutRules;
import io.dutydesk.core.rollout.Verb;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a deploy or a rollback does to a single stack, in the words the confirmation shows (window and terminal alike).
 * A single stack has no idle slot: a deploy replaces production in place (the team's script backs the database up
 * first and puts the previous version back itself when the new one is not healthy); a rollback restores a backup and
 * the version recorded with it. {@link Plan#liveBefore()} is the version production runs when planned (checked again by
 * the server inside the lock), {@link Plan#target()} the version it should run after.
 */
public final class SinglePlans {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** How the fact stating the stack as planned begins: "now: 2/2 healthy on v1.0.0…" ({@link StackSnapshot#summary()}). */
    static final String NOW = "now: ";

    private SinglePlans() {}

    static String time(Instant t) {
        return TIME.format(t);
    }

    /** The deploy of {@code version} over {@code now}. */
    public static Plan deploy(Environment env, StackSnapshot now, String version, String pendingFact) {
        String before = now.version();
        List<String> facts = new ArrayList<>();
        facts.add("one stack, no idle slot: production (" + String.join(", ", env.slots().services()) + " on "
                + String.join(", ", now.hosts()) + ") is replaced in place");
        facts.add("the team's script backs the database up first" + (env.backups().configured()
                ? " (into " + String.join(", ", env.backups().folders()) + ")" : "") + ", then starts " + version + " and checks its health");
        facts.add(NOW + now.summary());
        facts.add(pendingFact);
        facts.add("if " + version + " does not become healthy the script puts " + before + " back itself; the console reports that as FAILED");
        String risk = "production restarts on " + version + ": requests during the restart may fail; a failed deploy leaves "
                + before + " running (the script's automatic rollback)";
        return new Plan(env.name(), Verb.DEPLOY, Optional.of(version), before, version, Optional.empty(),
                "replace production in place: " + before + " -> " + version, facts, risk, List.of(), Optional.empty(), false);
    }

    /**
     * The rollback to {@code backup}: the database restored from it and the version recorded with it ({@code recorded},
     * from its {@code .version} sidecar) deployed again; {@code rows}: what the live database holds that the backup
     * does not (or why that is unknown); {@code safetyBackup}: whether a backup of the database as it is is taken first.
     */
    public static Plan rollback(Environment env, StackSnapshot now, BackupEntry backup, Optional<String> recorded,
                                Optional<OutboxPort.RowsSince> rows, String rowsUnknown, boolean safetyBackup) {
        String before = now.version();
        String after = recorded.orElse(before);
        List<String> facts = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        facts.add("backup " + backup.path() + " (" + backup.kind() + ", taken " + time(backup.takenAt()) + ")");
        String sidecar = backup.name() + env.backups().versionSidecar();
        if (recorded.isPresent()) {
            facts.add("version goes back to " + recorded.get() + " (recorded with the backup, " + sidecar + ")");
            Optional<String> bad = RolloutRules.versionProblem(env.deploy(), recorded.get());
            bad.ifPresent(why -> blocked.add("the version recorded with the backup is not one to deploy: " + why));
        } else {
            String why = backup.recorded() == io.dutydesk.core.backups.RecordedVersion.NOT_READ || backup.recorded().known()
                    ? "no " + sidecar : backup.recorded().unknownWhy();
            facts.add("version recorded with it: unknown (" + why + "): the services stay on " + before);
        }
        facts.add(NOW + now.summary() + (after.equals(before) ? "" : "; " + before + " goes away, " + after + " comes back"));
        facts.add(rowsFact(env, rows, rowsUnknown, backup.takenAt()));
        facts.add(safetyBackup ? "a backup of the database as it is now is taken first (backups.commands.backup)"
                : "NO backup of the database as it is now is taken first (backups are not configured)");
        if (env.backups().dataOnlyKinds().contains(backup.kind())) {
            blocked.add(backup.name() + " is a " + backup.kind() + " backup: rows without the schema, never restored into the live database");
        }
        String lost = rows.map(r -> r.count() == 0 ? "no outbox row written since " + time(backup.takenAt())
                : r.count() + " outbox " + (r.count() == 1 ? "row" : "rows") + " written since " + time(backup.takenAt())).orElse(
                "every row written since " + time(backup.takenAt()));
        String risk = "the live database goes back to " + time(backup.takenAt()) + ": " + lost + " will be gone"
                + (safetyBackup ? " (kept in the backup taken first)" : "") + (after.equals(before) ? "" : "; version " + before + " goes away");
        return new Plan(env.name(), Verb.ROLLBACK, recorded, before, after, Optional.empty(),
                "restore the database from " + backup.name() + (after.equals(before) ? "" : " and go back to " + after),
                facts, risk, blocked, Optional.of(env.name()), false);
    }

    /**
     * The rollback to an earlier release {@code r} whose images are still on the host: production redeployed in place on
     * it by the team's deploy command (the database stays as it is: restoring one is a rollback to a backup).
     */
    public static Plan toRelease(Environment env, StackSnapshot now, io.dutydesk.core.rollout.ReleaseHistory.Release r,
                                 List<String> repositories, String pendingFact) {
        return toRelease(env, now, r, repositories, pendingFact, false);
    }

    /** As above; {@code failedHere}: this audit log has the release's deploys only failing (blocked unless forced). */
    public static Plan toRelease(Environment env, StackSnapshot now, io.dutydesk.core.rollout.ReleaseHistory.Release r,
                                 List<String> repositories, String pendingFact, boolean failedHere) {
        String before = now.version();
        String v = r.version();
        List<String> facts = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        facts.add("one stack, no idle slot: production (" + String.join(", ", env.slots().services()) + " on "
                + String.join(", ", now.hosts()) + ") is redeployed in place on the earlier release " + v);
        facts.add(r.lastDeployed() == null ? v + " was not deployed from this console (its images are on the host)"
                : v + " last deployed " + time(r.lastDeployed()) + (r.by().isEmpty() ? "" : " by " + r.by()));
        facts.add("its images " + String.join(", ", repositories.stream().map(x -> x + ":" + v).toList())
                + (r.available() ? " are on the host" : " are NOT all on the host") + " (checked again on the server inside the lock)");
        facts.add("the team's script backs the database up first" + (env.backups().configured()
                ? " (into " + String.join(", ", env.backups().folders()) + ")" : "") + "; the database is NOT restored (that is a rollback to a backup)");
        facts.add(NOW + now.summary() + "; " + before + " goes away, " + v + " comes back");
        facts.add(pendingFact);
        if (!r.available()) {
            blocked.add("the images of " + v + " are no longer all on the host");
        }
        if (v.equals(before)) {
            blocked.add("production already runs " + v);
        }
        if (r.newerThanLive()) {
            blocked.add(v + " is newer than the live " + before + " and was never deployed here: not an earlier release (deploy it "
                    + "instead)");
        }
        if (failedHere) {
            blocked.add("every deploy of " + v + " in this console's audit log FAILED: it never ran healthy here (its image was left "
                    + "by a failed deploy)");
        }
        String risk = "production restarts on " + v + ": requests during the restart may fail; version " + before
                + " goes away; a failed redeploy leaves " + before + " running (the script's automatic rollback)";
        return new Plan(env.name(), Verb.ROLLBACK, Optional.of(v), before, v, Optional.empty(),
                "redeploy the earlier release in place: " + before + " -> " + v, facts, risk, blocked, Optional.empty(), false,
                Optional.empty(), repositories);
    }

    /** A rollback of a type the environment declares ({@code deploy.rollbackTypes}): the team's own command, on production. */
    public static Plan ofType(Environment env, StackSnapshot now, String type, String command, String pendingFact) {
        return ofType(env, now, type, command, pendingFact, Optional.empty());
    }

    /** As above; {@code loss}: what a database type loses ({@link RolloutRules.DatabaseLoss}: the backup, the rows since), stated in the facts and the risk. */
    public static Plan ofType(Environment env, StackSnapshot now, String type, String command, String pendingFact,
                              Optional<RolloutRules.DatabaseLoss> loss) {
        String before = now.version();
        List<String> facts = new ArrayList<>();
        facts.add("the team's '" + type + "' rollback (deploy.rollbackTypes." + type + "): " + command);
        facts.add("one stack, no idle slot: it acts on production (" + String.join(", ", env.slots().services()) + " on "
                + String.join(", ", now.hosts()) + ")");
        facts.add(NOW + now.summary());
        facts.add(pendingFact);
        loss.ifPresent(l -> facts.addAll(l.facts()));
        facts.add("afterwards the console checks that every service is healthy and says which version runs");
        String risk = loss.map(l -> l.risk() + "; production may restart").orElse("what the '" + type
                + "' rollback restores or redeploys is the team's script's: production may restart, version "
                + before + " may go away, a database rollback loses the rows written since the backup it restores");
        return new Plan(env.name(), Verb.ROLLBACK, Optional.empty(), before, before, Optional.empty(),
                "rollback of type " + type + " on production (now " + before + ")", facts, risk, List.of(), Optional.of(env.name()), false,
                Optional.of(type), List.of());
    }

    static String rowsFact(Environment env, Optional<OutboxPort.RowsSince> rows, String unknown, Instant takenAt) {
        String table = env.outbox().table();
        if (rows.isEmpty()) {
            return "rows written since the backup: unknown (" + unknown + ")";
        }
        OutboxPort.RowsSince r = rows.get();
        String newest = r.newest().map(t -> "the newest row of " + table + " is from " + time(t)).orElse(table + " is empty");
        return r.count() == 0 ? "no row of " + table + " was written since the backup (" + newest + ")"
                : "LOST: " + r.count() + (r.count() == 1 ? " row" : " rows") + " of " + table + " written since the backup ("
                + time(takenAt) + "); " + newest;
    }

    /** The fact that says what the database loses (the rows written since the backup), if the plan states one. */
    static Optional<String> lossFact(Plan p) {
        return p.facts().stream().filter(f -> f.startsWith("LOST: ") || f.startsWith("no row of ")
                || f.startsWith("rows written since the backup: ")).findFirst();
    }

    /**
     * The stack's health the plan states ({@link SinglePlans}' "now: 2/2 healthy on v1.0.0; …" fact): "2/2 healthy"
     * ({@link StackSnapshot#health()}); the version is {@link Plan#liveBefore()}, compared on its own.
     */
    static Optional<String> healthFact(Plan p) {
        return p.facts().stream().filter(f -> f.startsWith(NOW)).findFirst().map(f -> {
            String s = f.substring(NOW.length());
            int end = s.indexOf(StackSnapshot.HEALTHY);
            return end < 0 ? s : s.substring(0, end + StackSnapshot.HEALTHY.length());
        });
    }

    /**
     * What the confirmation of {@code confirmed} states that {@code now} (the same action planned again) no longer does:
     * another version live, another version brought back, the stack's health (a service unhealthy or gone since, or
     * healthy again), more (or other) rows lost, another backup restored, new blockers; empty while all of it holds. The
     * outbox's pending count and the services' uptimes are not part of it.
     */
    public static Optional<String> changedSince(Plan confirmed, Plan now) {
        List<String> why = new java.util.ArrayList<>();
        if (!now.environment().equals(confirmed.environment())) {
            why.add("the environment is now " + now.environment());
        }
        if (!now.liveBefore().equals(confirmed.liveBefore())) {
            why.add("production runs " + now.liveBefore() + " now, not " + confirmed.liveBefore());
        }
        if (!now.target().equals(confirmed.target())) {
            why.add("it would bring back " + now.target() + ", not " + confirmed.target());
        }
        Optional<String> health = healthFact(now);
        if (!health.equals(healthFact(confirmed))) {
            why.add("the stack is now " + health.orElse("not read") + ", not " + healthFact(confirmed).orElse("not read"));
        }
        Optional<String> lost = lossFact(now);
        if (!lost.equals(lossFact(confirmed))) {
            why.add("now " + lost.orElse("no loss stated"));
        }
        List<String> blockers = now.blocked().stream().filter(b -> !confirmed.blocked().contains(b)).toList();
        if (!blockers.isEmpty()) {
            why.add("now blocked: " + String.join("; ", blockers));
        }
        if (why.isEmpty() && !now.risk().equals(confirmed.risk())) {
            why.add("the risk is now: " + now.risk());
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }
}
