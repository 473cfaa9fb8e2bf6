package io.dutydesk.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * "Overnight" for a morning check run against the reference host: a moment after which no alert fired or resolved and
 * no error line was logged, named as an environment names it — a time of day to the minute ({@code overnightSince}) in a
 * time zone. The zone is UTC shifted by the seconds that put a minute's start on that moment (a zone offset may have
 * seconds), so a test waits for the host to be quiet, not for the next whole minute as well (up to 60 s, 30 on average).
 *
 * @param since the moment
 * @param zone  UTC + 0 to 59 s, where {@code since} is a whole minute
 */
public record Overnight(Instant since, ZoneOffset zone) {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    /**
     * How long after an alert's ALERTS series went stale (Prometheus marks it so at the first evaluation where the alert
     * is resolved) the console may place its resolution: its catch-up from the series (a fresh store fills in the last
     * 24 h, in at most 10,000 points: a step of 9 s) puts it one step after the last point it saw firing, and that point is
     * before the series went stale. Plus a second of slack.
     */
    static final Duration CATCH_UP_STEP = Duration.ofSeconds(10);
    /** Prometheus's lookback: a series stopped without a stale mark (Prometheus stopped while it fired) reads on this long. */
    static final Duration LOOKBACK = Duration.ofMinutes(5);

    /** {@code overnightSince} in {@link #zone}: "HH:mm". */
    public String hhmm() {
        return HH_MM.withZone(zone).format(since);
    }

    /** An environment's {@code checkSchedule} with this overnight (and the zone, which the runs' times are shown in). */
    public String schedule() {
        return "checkSchedule: { overnightSince: \"" + hhmm() + "\", timeZone: \"" + zone.getId() + "\" }";
    }

    /**
     * Waits until Prometheus evaluates no alert as pending or firing and Alertmanager holds none active (it keeps an alert
     * Prometheus has forgotten, e.g. across its restart, until the alert's endsAt: resolved after the moment, it would be
     * an overnight alert of the run), then returns that moment — or, if an alert fired shortly before, when the console can
     * no longer place its resolution after the moment ({@link #CATCH_UP_STEP} after it at most), once that has come.
     * Everything an earlier test did (its alerts, its error lines) is before it.
     */
    public static Overnight afterQuiet() {
        String[] alerts = {"", ""};
        Eventually.await(() -> "no alert firing or pending in Prometheus nor active in Alertmanager; ALERTS: " + alerts[0]
                + "; Alertmanager: " + alerts[1], Duration.ofSeconds(120), () -> {
            try {
                JsonNode prometheus = AlertmanagerDirect.query("ALERTS");
                JsonNode alertmanager = AlertmanagerDirect.alerts();
                alerts[0] = prometheus.toString();
                alerts[1] = alertmanager.toString();
                return prometheus.isArray() && prometheus.isEmpty() && alertmanager.isArray() && alertmanager.isEmpty();
            } catch (RuntimeException e) {
                alerts[0] = e.toString();
                return false; // Prometheus or Alertmanager (re)starting
            }
        });
        Instant quiet = Instant.now();
        Instant lastFiring = Instant.EPOCH;
        for (JsonNode series : AlertmanagerDirect.query("ALERTS{alertstate=\"firing\"}[10m]")) {
            for (JsonNode sample : series.path("values")) {
                Instant at = Instant.ofEpochMilli(Math.round(sample.get(0).asDouble() * 1000));
                lastFiring = at.isAfter(lastFiring) ? at : lastFiring;
            }
        }
        // the series went stale before the quiet moment, or (no stale mark) a lookback after its last sample
        Instant stale = lastFiring.plus(LOOKBACK).isBefore(quiet) ? lastFiring.plus(LOOKBACK) : quiet;
        Instant resolvedBy = stale.plus(CATCH_UP_STEP);
        Instant since = (resolvedBy.isAfter(quiet) ? resolvedBy : quiet).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        Eventually.await("overnight since " + since + " (the last alert fired at " + lastFiring + ")", CATCH_UP_STEP.plusSeconds(30),
                () -> !Instant.now().isBefore(since));
        return new Overnight(since, ZoneOffset.ofTotalSeconds((int) Math.floorMod(-since.getEpochSecond(), 60L)));
    }
}
