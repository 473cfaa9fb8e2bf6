package io.dutydesk.cli;

import io.dutydesk.core.Ages;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.BacklogLevel;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.OutboxReport;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.outbox.StreamInfo;
import io.dutydesk.core.ports.EnvironmentHandle;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code dutydesk outbox --env NAME [--json]}: the backlog in the outbox table and in the stream's
 * consumer groups. Exit 0 below the warn threshold (and, between warn and critical, 0 with state
 * "warn"), 1 at or above the critical threshold or with a source down or misconfigured (it answers
 * without the table, a column or the stream the file names), 2 usage or configuration.
 */
final class OutboxCommand {
    private final PrintStream out;

    OutboxCommand(PrintStream out) {
        this.out = out;
    }

    int run(Environment e, EnvironmentHandle h, boolean asJson) {
        Duration timeout = e.poll().timeout().multipliedBy(2).plus(e.ssh().connectTimeout());
        OutboxReport r = new OutboxService(e, h.backlog(), h.stream(), Clock.systemUTC()).readOnce(timeout).join();
        if (asJson) {
            out.println(Json.write(json(r, e.outbox().hasProcessing())));
        } else {
            text(e, r);
        }
        return exitCode(r);
    }

    static int exitCode(OutboxReport r) {
        return r.anySourceDown() || r.level() == BacklogLevel.CRITICAL ? Cli.DOWN : Cli.OK;
    }

    static ObjectNode json(OutboxReport r) {
        return json(r, true);
    }

    /** {@code hasProcessing}: false for an outbox without an in-flight state — "processing" is null (no such count), not 0. */
    static ObjectNode json(OutboxReport r, boolean hasProcessing) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("env", r.environment());
        Json.putTime(root, "takenAt", r.takenAt());
        root.put("state", r.backlog().isEmpty() ? "unknown" : r.level().id());
        if (r.backlog().isPresent()) {
            root.put("reason", r.verdict().reason()); // "fine", "act now (≥ 1000)", "act now: oldest pending 2 h (≥ 30 min)"
        }
        OutboxBacklog b = r.backlog().orElse(null);
        if (b != null) {
            root.put("pending", b.pending());
            if (hasProcessing) {
                root.put("processing", b.processing());
            } else {
                root.putNull("processing");
            }
            root.put("failed", b.failed());
            putLong(root, "publishedEstimate", b.publishedEstimate());
            putLong(root, "oldestPendingAgeSeconds", b.oldestPendingAgeSeconds());
            ArrayNode oldest = root.putArray("oldest");
            for (OutboxBacklog.OldEvent ev : b.oldest()) {
                ObjectNode o = oldest.addObject();
                o.put("id", ev.id());
                o.put("type", ev.type());
                o.put("ageSeconds", ev.ageSeconds());
            }
            root.put("indexOk", b.indexOk());
            if (!b.indexOk()) {
                root.put("recommendedIndex", b.recommendedIndex());
            }
        } else {
            for (String k : new String[] {"pending", "processing", "failed", "publishedEstimate", "oldestPendingAgeSeconds"}) {
                root.putNull(k);
            }
            root.putArray("oldest");
            root.putNull("indexOk");
        }
        StreamInfo s = r.stream().orElse(null);
        if (s != null) {
            ObjectNode so = root.putObject("stream");
            so.put("key", s.key());
            so.put("length", s.length());
            ArrayNode groups = so.putArray("groups");
            for (StreamInfo.Group g : s.groups()) {
                ObjectNode go = groups.addObject();
                go.put("name", g.name());
                go.put("consumers", g.consumers());
                go.put("pending", g.pending());
                putLong(go, "lag", g.lag());
                ArrayNode cs = go.putArray("consumerList");
                for (StreamInfo.Consumer c : g.consumerList()) {
                    ObjectNode co = cs.addObject();
                    co.put("name", c.name());
                    co.put("pending", c.pending());
                    co.put("idleMs", c.idleMs());
                }
            }
            if (!s.missingGroups().isEmpty()) {
                ArrayNode m = so.putArray("missingGroups");
                s.missingGroups().forEach(m::add);
            }
        } else {
            root.putNull("stream");
        }
        ObjectNode sources = root.putObject("sources"); // ok, down or misconfigured
        sources.put("postgres", r.backlogState());
        sources.put("redis", r.streamState());
        if (r.anySourceDown()) {
            ObjectNode errors = root.putObject("errors");
            r.backlogError().ifPresent(x -> errors.put("postgres", x));
            r.streamError().ifPresent(x -> errors.put("redis", x));
        }
        return root;
    }

    private static void putLong(ObjectNode o, String k, Long v) {
        if (v == null) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    private void text(Environment e, OutboxReport r) {
        out.println(e.name() + "  outbox " + e.outbox().table() + (e.redis().configured() ? ", stream " + e.redis().stream() : ", no stream"));
        if (r.backlog().isPresent()) {
            OutboxBacklog b = r.backlog().get();
            out.printf("  pending     %8d   %s: %s (warn %d, critical %d; oldest pending warn %s, critical %s)%n", b.pending(),
                    r.level().id().toUpperCase(), r.verdict().reason(), e.thresholds().outboxPendingWarn(),
                    e.thresholds().outboxPendingCritical(), Ages.of(e.thresholds().outboxOldestWarnSeconds()),
                    Ages.of(e.thresholds().outboxOldestCriticalSeconds()));
            if (e.outbox().hasProcessing()) { // an outbox without an in-flight state has no such count, not 0
                out.printf("  processing  %8d%n", b.processing());
            }
            out.printf("  failed      %8d%n", b.failed());
            out.printf("  published  ~%8s   (planner estimate)%n", b.publishedEstimate() == null ? "?" : b.publishedEstimate());
            out.println("  oldest pending: " + (b.oldestPendingAgeSeconds() == null ? "none" : Ages.of(b.oldestPendingAgeSeconds())));
            for (OutboxBacklog.OldEvent ev : b.oldest()) {
                out.printf("    %-38s %-28s %s%n", ev.id(), ev.type(), Ages.of(ev.ageSeconds()));
            }
            if (!b.indexOk()) {
                out.println("  NO INDEX serves these queries: each poll reads the whole table. Recommended (run it yourself):");
                out.println("    " + b.recommendedIndex());
            }
        } else {
            out.println("  postgres " + r.backlogState().toUpperCase(java.util.Locale.ROOT) + ": " + r.backlogError().orElse("?"));
        }
        if (r.stream().isPresent()) {
            StreamInfo s = r.stream().get();
            out.printf("  stream %s  length %d%n", s.key(), s.length());
            for (StreamInfo.Group g : s.groups()) {
                out.printf("    group %-24s consumers %d  pending %d  lag %s%n", g.name(), g.consumers(), g.pending(),
                        g.lag() == null ? "unknown" : g.lag());
                for (StreamInfo.Consumer c : g.consumerList()) {
                    out.printf("      %-24s pending %d  idle %s%n", c.name(), c.pending(), Ages.of(c.idleMs() / 1000));
                }
            }
            s.missingGroups().forEach(m -> out.println("    group " + m + ": MISSING (named in the environments file)"));
        } else if (!e.redis().configured()) {
            out.println("  stream: not configured (redis: false)");
        } else {
            out.println("  redis " + r.streamState().toUpperCase(java.util.Locale.ROOT) + ": " + r.streamError().orElse("?"));
        }
    }
}
