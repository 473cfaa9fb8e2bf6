package io.dutydesk.ui.chart;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time-axis ticks in a time zone: a step from 1 s to 1 month chosen so ticks are at least
 * {@code minSpacingPx} apart, aligned on local wall-clock boundaries (whole minutes, hours of the
 * day divisible by the step, local midnights, first of the month). Steps up to one hour advance in
 * real time (a fall-back night shows 02:00 twice, a spring-forward night skips 02:00); longer steps
 * advance in local time, so 6-hourly ticks stay on 00/06/12/18 and daily ticks on local midnight
 * across DST changes (a 23 h or 25 h day).
 */
public final class TimeTicks {
    /** One tick: its instant and label; {@code major} ticks start a new day (label shows the date). */
    public record Tick(long millis, String label, boolean major) {}

    private static final long S = 1000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;
    static final long[] STEPS = {S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M,
            H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 30 * D};

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);

    private TimeTicks() {}

    /** The step for {@code span} over {@code widthPx} with at least {@code minSpacingPx} between ticks. */
    public static long step(long spanMillis, double widthPx, double minSpacingPx) {
        double maxTicks = Math.max(1, widthPx / minSpacingPx);
        for (long s : STEPS) {
            if (spanMillis / (double) s <= maxTicks) {
                return s;
            }
        }
        return STEPS[STEPS.length - 1];
    }

    public static List<Tick> ticks(long from, long to, double widthPx, double minSpacingPx, ZoneId zone) {
        return ticks(from, to, step(to - from, widthPx, minSpacingPx), zone);
    }

    public static List<Tick> ticks(long from, long to, long step, ZoneId zone) {
        List<Tick> out = new ArrayList<>();
        if (to <= from) {
            return out;
        }
        if (step <= H) {
            // real-time steps aligned on the local wall clock of the first tick
            ZonedDateTime z = Instant.ofEpochMilli(from).atZone(zone);
            long secOfDay = z.toLocalTime().toSecondOfDay();
            long stepSec = step / 1000;
            long alignedSec = (secOfDay / stepSec) * stepSec;
            ZonedDateTime start = z.truncatedTo(ChronoUnit.SECONDS).minusSeconds(secOfDay - alignedSec);
            long t = start.toInstant().toEpochMilli();
            LocalDate lastDay = null;
            while (t <= to) {
                if (t >= from) {
                    ZonedDateTime zt = Instant.ofEpochMilli(t).atZone(zone);
                    boolean major = lastDay != null && !zt.toLocalDate().equals(lastDay) || isMidnight(zt);
                    lastDay = zt.toLocalDate();
                    out.add(new Tick(t, major ? DAY.format(zt) : (step < M ? HMS : HM).format(zt), major));
                }
                t += step;
            }
            return out;
        }
        if (step < D) {
            int hours = (int) (step / H);
            LocalDate day = Instant.ofEpochMilli(from).atZone(zone).toLocalDate();
            long last = Long.MIN_VALUE;
            while (true) {
                for (int h = 0; h < 24; h += hours) {
                    ZonedDateTime zt = h == 0 ? day.atStartOfDay(zone) : ZonedDateTime.of(day, LocalTime.of(h, 0), zone);
                    long t = zt.toInstant().toEpochMilli();
                    if (t > to) {
                        return out;
                    }
                    if (t >= from && t > last) {
                        boolean major = h == 0;
                        out.add(new Tick(t, major ? DAY.format(zt) : HM.format(zt), major));
                        last = t;
                    }
                }
                day = day.plusDays(1);
            }
        }
        if (step < 30 * D) {
            int days = (int) (step / D);
            LocalDate day = Instant.ofEpochMilli(from).atZone(zone).toLocalDate();
            if (days == 7) {
                day = day.minusDays(day.getDayOfWeek().getValue() - 1); // Mondays
            } else {
                day = day.minusDays((day.toEpochDay() % days + days) % days);
            }
            while (true) {
                ZonedDateTime zt = day.atStartOfDay(zone);
                long t = zt.toInstant().toEpochMilli();
                if (t > to) {
                    return out;
                }
                if (t >= from) {
                    out.add(new Tick(t, DAY.format(zt), true));
                }
                day = day.plusDays(days);
            }
        }
        LocalDate month = Instant.ofEpochMilli(from).atZone(zone).toLocalDate().withDayOfMonth(1);
        while (true) {
            ZonedDateTime zt = month.atStartOfDay(zone);
            long t = zt.toInstant().toEpochMilli();
            if (t > to) {
                return out;
            }
            if (t >= from) {
                out.add(new Tick(t, MONTH.format(zt), true));
            }
            month = month.plusMonths(1);
        }
    }

    private static boolean isMidnight(ZonedDateTime z) {
        return z.toLocalTime().equals(LocalTime.MIDNIGHT) || z.equals(z.toLocalDate().atStartOfDay(z.getZone()));
    }

    /** The hover box's time: date and seconds. */
    public static String full(long millis, ZoneId zone) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).format(Instant.ofEpochMilli(millis).atZone(zone));
    }

    static LocalDateTime local(long millis, ZoneId zone) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), zone);
    }
}
