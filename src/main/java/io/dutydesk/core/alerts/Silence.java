package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** A silence as Alertmanager keeps it; {@code state} is its word: active, pending, expired. */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment,
                      String state) {
    public boolean active() {
        return "active".equals(state);
    }

    public String matchersText() {
        return matchers.stream().map(Matcher::toString).collect(Collectors.joining(", "));
    }
}
