package io.dutydesk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;

/** The CLI's JSON shapes. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

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

    /** {env, activeSlot, rollbackReady, rollbackBlockers, slots: {blue: {live, services: [...]}, green: ...}}. */
    static ObjectNode status(SlotsSnapshot s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("env", s.environment());
        root.put("activeSlot", s.liveSlot());
        root.put("liveSource", s.liveSource());
        root.put("rollbackReady", s.rollbackReady());
        ArrayNode blockers = root.putArray("rollbackBlockers");
        s.rollbackBlockers().forEach(blockers::add);
        root.put("takenAt", s.takenAt().toString());
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
                putNullable(o, "startedAt", svc.container().flatMap(c -> java.util.Optional.ofNullable(c.startedAt()))
                        .map(Object::toString).orElse(null));
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
