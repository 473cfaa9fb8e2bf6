package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.Map;

/** What the history knows of an alert that has not resolved: whether it is silenced, since when it fires. */
public record Tracked(String fingerprint, String alertname, boolean silenced, Instant since, Map<String, String> labels) {}
