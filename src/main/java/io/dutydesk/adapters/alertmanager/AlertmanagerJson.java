package io.dutydesk.adapters.alertmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.Silence;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.ports.AlertsPort.AlertmanagerException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Alertmanager API v2's JSON, both ways. Anything that is not the expected shape is an error, never an empty list. */
final class AlertmanagerJson {
    private final String severityLabel;

    AlertmanagerJson(String severityLabel) {
        this.severityLabel = severityLabel;
    }

    List<Alert> alerts(String body) {
        JsonNode root = parse(body);
        if (!root.isArray()) {
            throw malformed("the alerts are not a JSON array", body);
        }
        List<Alert> out = new ArrayList<>(root.size());
        for (JsonNode a : root) {
            JsonNode labelsNode = a.get("labels");
            JsonNode status = a.get("status");
            if (labelsNode == null || !labelsNode.isObject() || status == null || !a.hasNonNull("fingerprint")) {
                throw malformed("an alert without labels, status or fingerprint", body);
            }
            Map<String, String> labels = Collections.unmodifiableMap(strings(labelsNode, new TreeMap<>()));
            Map<String, String> annotations = Collections.unmodifiableMap(strings(a.get("annotations"), new LinkedHashMap<>()));
            out.add(new Alert(a.get("fingerprint").asText(), labels.getOrDefault("alertname", ""),
                    labels.getOrDefault(severityLabel, ""), status.path("state").asText("unprocessed"),
                    time(a.get("startsAt")), time(a.get("updatedAt")), labels, annotations,
                    texts(status.get("silencedBy")), texts(status.get("inhibitedBy")), a.path("generatorURL").asText("")));
        }
        return out;
    }

    List<Silence> silences(String body) {
        JsonNode root = parse(body);
        if (!root.isArray()) {
            throw malformed("the silences are not a JSON array", body);
        }
        List<Silence> out = new ArrayList<>();
        for (JsonNode s : root) {
            if (!s.hasNonNull("id") || !s.path("matchers").isArray()) {
                throw malformed("a silence without id or matchers", body);
            }
            List<Matcher> ms = new ArrayList<>();
            for (JsonNode m : s.get("matchers")) {
                boolean regex = m.path("isRegex").asBoolean(false);
                boolean equal = m.path("isEqual").asBoolean(true);
                Matcher.Op op = regex ? (equal ? Matcher.Op.RE : Matcher.Op.NRE) : (equal ? Matcher.Op.EQ : Matcher.Op.NE);
                try {
                    ms.add(new Matcher(m.path("name").asText(), op, m.path("value").asText("")));
                } catch (IllegalArgumentException e) {
                    // a matcher Java cannot compile stays visible as text-equal rather than dropping the silence
                    ms.add(new Matcher(m.path("name").asText("_"), Matcher.Op.EQ, m.path("value").asText("")));
                }
            }
            out.add(new Silence(s.get("id").asText(), List.copyOf(ms), time(s.get("startsAt")), time(s.get("endsAt")),
                    s.path("createdBy").asText(""), s.path("comment").asText(""), s.path("status").path("state").asText("")));
        }
        return out;
    }

    String silenceBody(SilenceRequest r) {
        ObjectNode o = io.dutydesk.adapters.support.Jackson.plain().createObjectNode();
        ArrayNode ms = o.putArray("matchers");
        for (Matcher m : r.matchers()) {
            ObjectNode mo = ms.addObject();
            mo.put("name", m.name());
            mo.put("value", m.value());
            mo.put("isRegex", m.op().regex());
            mo.put("isEqual", m.op().equal());
        }
        o.put("startsAt", r.startsAt().toString());
        o.put("endsAt", r.endsAt().toString());
        o.put("createdBy", r.createdBy());
        o.put("comment", r.comment());
        return o.toString();
    }

    String silenceId(String body) {
        JsonNode root = parse(body);
        String id = root.path("silenceID").asText("");
        if (id.isEmpty()) {
            throw malformed("no silenceID in the answer", body);
        }
        return id;
    }

    /** Alertmanager's error body: a JSON string, an object with "message"/"error", or plain text. */
    static String message(String body) {
        String b = body == null ? "" : body.strip();
        if (b.isEmpty()) {
            return "(no message)";
        }
        try {
            JsonNode n = io.dutydesk.adapters.support.Jackson.plain().readTree(b);
            if (n.isTextual()) {
                return n.asText().strip();
            }
            if (n.hasNonNull("message")) {
                return n.get("message").asText();
            }
            if (n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (JsonProcessingException ignored) {
            // plain text
        }
        return b.length() > 300 ? b.substring(0, 297) + "..." : b;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = io.dutydesk.adapters.support.Jackson.plain().readTree(body);
            if (n == null || n.isMissingNode()) {
                throw malformed("an empty answer", body);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw malformed("not JSON: " + e.getOriginalMessage(), body);
        }
    }

    /** When Alertmanager started: /api/v2/status's {@code uptime} (a time, despite its name). */
    static Instant startedAt(String body) {
        JsonNode root = parse(body);
        Instant t = root.isObject() ? time(root.get("uptime")) : null;
        if (t == null) {
            throw malformed("a status without its uptime", body);
        }
        return t;
    }

    static AlertmanagerException malformed(String what, String body) {
        String head = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return new AlertmanagerException(0, "Alertmanager's answer is malformed (" + what + "): "
                + (head.length() > 80 ? head.substring(0, 77) + "..." : head));
    }

    private static <M extends Map<String, String>> M strings(JsonNode o, M into) {
        if (o != null && o.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                into.put(e.getKey(), e.getValue().asText());
            }
        }
        return into;
    }

    private static List<String> texts(JsonNode a) {
        if (a == null || !a.isArray() || a.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(a.size());
        a.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }

    static Instant time(JsonNode n) {
        if (n == null || n.isNull() || n.asText().isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(n.asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new AlertmanagerException(0, "Alertmanager's answer is malformed (a time '" + n.asText() + "')");
        }
    }
}
