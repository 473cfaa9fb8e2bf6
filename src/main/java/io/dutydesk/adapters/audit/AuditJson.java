package io.dutydesk.adapters.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dutydesk.core.audit.AuditEntry;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One audit entry as one JSON object, with Jackson's streaming layer (jackson-core) rather than its data binding: the
 * same line as the data binding wrote (the record's components in order, nulls written, instants in ISO-8601), every
 * line it wrote read to the same entry; a known field of the wrong shape is not an entry. A field this version does not
 * know (a newer version wrote it) is skipped, whatever its value, and the entry kept: the data binding refused the line,
 * and an open action's started entry then vanished from the log's readers. Stricter than
 * the data binding on lines no console writes (content after the object, a fractional exit code, a time given as a
 * string of seconds): those are not entries (the log reports them as damaged, never drops them silently). Without
 * building an ObjectMapper, which cost a cold CLI run some 600 classes and ~100-300 ms before its first audit line
 * (issue 16).
 */
final class AuditJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final BigDecimal MIN_SECONDS = BigDecimal.valueOf(Instant.MIN.getEpochSecond());
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Instant.MAX.getEpochSecond());

    private AuditJson() {}

    static String write(AuditEntry e) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("actionId", e.actionId());
            g.writeStringField("actor", e.actor());
            g.writeStringField("environment", e.environment());
            g.writeStringField("action", e.action());
            g.writeFieldName("args");
            if (e.args() == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (String a : e.args()) {
                    g.writeString(a);
                }
                g.writeEndArray();
            }
            g.writeStringField("start", e.start() == null ? null : e.start().toString());
            g.writeStringField("end", e.end() == null ? null : e.end().toString());
            g.writeFieldName("exitCode");
            if (e.exitCode() == null) {
                g.writeNull();
            } else {
                g.writeNumber(e.exitCode());
            }
            g.writeStringField("outputSha256", e.outputSha256());
            g.writeStringField("result", e.result());
            g.writeStringField("liveBefore", e.liveBefore());
            g.writeStringField("liveAfter", e.liveAfter());
            g.writeStringField("message", e.message());
            g.writeEndObject();
        } catch (IOException impossible) { // a StringWriter does not fail
            throw new UncheckedIOException(impossible);
        }
        return w.toString();
    }

    /** The entry of one line, or an exception when the line is not one (the caller counts it as damaged). */
    static AuditEntry read(String line) throws IOException {
        String actionId = null, actor = null, environment = null, action = null, outputSha256 = null, result = null;
        String liveBefore = null, liveAfter = null, message = null;
        List<String> args = null;
        Instant start = null, end = null;
        Integer exitCode = null;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw new IOException("not an object");
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "actionId" -> actionId = text(p, v);
                    case "actor" -> actor = text(p, v);
                    case "environment" -> environment = text(p, v);
                    case "action" -> action = text(p, v);
                    case "args" -> args = strings(p, v);
                    case "start" -> start = instant(p, v);
                    case "end" -> end = instant(p, v);
                    case "exitCode" -> exitCode = integer(p, v);
                    case "outputSha256" -> outputSha256 = text(p, v);
                    case "result" -> result = text(p, v);
                    case "liveBefore" -> liveBefore = text(p, v);
                    case "liveAfter" -> liveAfter = text(p, v);
                    case "message" -> message = text(p, v);
                    default -> skip(p, v); // a newer version's field: ignored, the entry kept
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("more after the entry");
            }
        }
        return new AuditEntry(actionId, actor, environment, action, args, start, end, exitCode, outputSha256, result,
                liveBefore, liveAfter, message);
    }

    /** Skips the value {@code v} of a field this version does not know (a scalar, or an object or array whole). */
    private static void skip(JsonParser p, JsonToken v) throws IOException {
        if (v == null) {
            throw new IOException("no value: " + p.currentName());
        }
        p.skipChildren(); // a truncated object or array fails here (the parser's end-of-input error)
    }

    /** A string, or a number or boolean in its words (as the data binding coerced them); null is null. */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v.isScalarValue()) {
            return p.getText();
        }
        throw new IOException("not a value: " + p.currentName());
    }

    private static List<String> strings(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_ARRAY) {
            throw new IOException("args is not a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IOException("args not closed");
            }
            out.add(text(p, t));
        }
        return Collections.unmodifiableList(out);
    }

    private static Integer integer(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> p.getIntValue();
            case VALUE_STRING -> p.getText().isEmpty() ? null : Integer.valueOf(p.getText().strip());
            default -> throw new IOException("exitCode is not a number");
        };
    }

    /** ISO-8601 (with Z or an offset), or seconds since the epoch with their fraction, as the time module read them. */
    private static Instant instant(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING: {
                String s = p.getText().strip();
                if (s.isEmpty()) {
                    return null;
                }
                try {
                    return Instant.parse(s);
                } catch (java.time.format.DateTimeParseException notZ) {
                    return OffsetDateTime.parse(s).toInstant();
                }
            }
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: {
                BigDecimal secs = p.getDecimalValue();
                // bounded before longValue(): 1e9999999 would expand to a ten-million-digit integer (seconds of CPU per line)
                if (secs.compareTo(MIN_SECONDS) < 0 || secs.compareTo(MAX_SECONDS) > 0) {
                    throw new IOException("not a time: " + p.currentName());
                }
                long whole = secs.longValue();
                return Instant.ofEpochSecond(whole, secs.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue());
            }
            default:
                throw new IOException("not a time: " + p.currentName());
        }
    }
}
