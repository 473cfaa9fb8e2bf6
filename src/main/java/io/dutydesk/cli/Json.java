package io.dutydesk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;

/**
 * The CLI's JSON shapes, and the one {@link ObjectMapper} every {@code --json} writer uses: times are
 * ISO-8601 text in UTC ({@code "2026-11-22T03:00:00Z"}, {@link #time}), durations integer milliseconds
 * ({@code elapsedMs}), and no number is printed in exponent notation ({@link #number}).
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN.mappedFeature());

    private Json() {}

    /** A time as every --json output writes it: ISO-8601 in UTC, e.g. "2026-11-22T03:00:00.250Z". */
    static String time(java.time.Instant t) {
        return java.time.format.DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** {@code k: "ISO-8601"}, or null when the time is unknown. */
    static void putTime(ObjectNode o, String k, java.time.Instant t) {
        putNullable(o, k, t == null ? null : time(t));
    }

    /**
     * A finite number as JSON without an exponent ({@code 1796281975.797}, not {@code 1.796281975797E9}):
     * plain decimal while that is at most 24 characters, else Jackson's double.
     */
    static com.fasterxml.jackson.databind.JsonNode number(double v) {
        java.math.BigDecimal d = java.math.BigDecimal.valueOf(v);
        String plain = d.toPlainString();
        return plain.length() <= 24 ? MAPPER.getNodeFactory().numberNode(d)
                : MAPPER.getNodeFactory().numberNode(v);
    }

    static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void putNullable(ObjectNode o, String k, String v) {
        if (v == null) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    /**
     * A refusal because another action holds the server lock: {@code "holder": {id, action, env, args, actor, start, console:
     * {face, pid, started}}} as its
     * job's meta says (text mode says it in words: the refusal's message); nothing for any other failure.
     */
    static void putHolder(ObjectNode o, Throwable failure) {
        if (io.dutydesk.core.Errors.unwrap(failure) instanceof io.dutydesk.core.rollout.RolloutException r && r.holder().isPresent()) {
            var h = r.holder().get();
            ObjectNode n = o.putObject("holder");
            putNullable(n, "id", h.id());
            for (String k : new String[] {"action", "env", "args", "actor"}) {
                n.put(k, h.field(k));
            }
            putTime(n, "start", h.since().orElse(null));
            h.console().ifPresent(c -> { // which of the user's consoles: the window or the CLI, its pid and start
                ObjectNode p = n.putObject("console");
                putNullable(p, "face", c.face());
                p.put("pid", c.pid());
                putTime(p, "started", c.started());
            });
        }
    }

    /** {env, activeSlot, rollbackReady, rollbackBlockers, slots: {blue: {live, services: [...]}, green: ...}}. */
    /** With --json, a read that failed is still an object on stdout: {"env", "error"} (the words said on stderr). */
    static void unread(io.dutydesk.core.config.Environment env, String error, boolean json, java.io.PrintStream out) {
        if (json) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("error", error);
            out.println(write(o));
        }
    }

    /** The maintenance lock in a status: {"maintenance": {id, owner, message, since} | null, "maintenanceUnknown": why | null}. */
    static void putMaintenance(ObjectNode root, java.util.Optional<io.dutydesk.core.rollout.MaintenanceLock> lock, String unknown) {
        if (lock.isPresent()) {
            ObjectNode m = root.putObject("maintenance");
            m.put("id", lock.get().id());
            m.put("owner", lock.get().actor());
            m.put("message", lock.get().message());
            putTime(m, "since", lock.get().since());
        } else {
            root.putNull("maintenance");
        }
        putNullable(root, "maintenanceUnknown", unknown);
    }

    /** The maintenance lock in a status's text: while it is held every action is refused, so status says so. */
    static void printMaintenance(io.dutydesk.core.config.Environment env, java.util.Optional<io.dutydesk.core.rollout.MaintenanceLock> lock,
                                 String unknown, java.io.PrintStream out) {
        lock.ifPresent(l -> out.println("  LOCKED: " + env.name() + " is " + l.describe(java.time.ZoneId.systemDefault()) + " (lock "
                + l.id() + "): every action is refused until 'dutydesk unlock --env " + env.name() + "'"));
        if (unknown != null) {
            out.println("  ? maintenance lock unknown: " + unknown);
        }
    }

    static ObjectNode status(SlotsSnapshot s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("env", s.environment());
        root.put("model", "blue-green");
        root.put("activeSlot", s.liveSlot());
        root.put("liveSource", s.liveSource());
        root.put("liveHealthy", s.live().allReady()); // false: the exit code is 1
        ArrayNode liveProblems = root.putArray("liveProblems");
        s.live().problems().forEach(liveProblems::add);
        root.put("rollbackReady", s.rollbackReady());
        ArrayNode blockers = root.putArray("rollbackBlockers");
        s.rollbackBlockers().forEach(blockers::add);
        putTime(root, "takenAt", s.takenAt());
        ObjectNode slots = root.putObject("slots");
        for (SlotState slot : s.slots()) {
            ObjectNode so = slots.putObject(slot.name());
            so.put("live", slot.live());
            so.put("healthy", slot.readyCount());
            so.put("total", slot.services().size());
            ArrayNode arr = so.putArray("services");
            for (ServiceState svc : slot.services()) {
                ObjectNode o = arr.addObject();
                o.put("name", svc.service());
                o.put("container", svc.containerName());
                o.put("exists", svc.exists());
                o.put("state", svc.container().map(c -> c.state()).orElse("missing"));
                o.put("health", svc.container().map(c -> c.health()).orElse("missing"));
                putNullable(o, "version", svc.container().map(c -> c.version()).orElse(null));
                putNullable(o, "image", svc.container().map(c -> c.image()).orElse(null));
                putTime(o, "startedAt", svc.container().map(c -> c.startedAt()).orElse(null));
                if (svc.container().isPresent()) {
                    o.put("restarts", svc.container().get().restarts());
                } else {
                    o.putNull("restarts");
                }
            }
        }
        return root;
    }
}
