package io.dutydesk.core.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A backup kind's {@code timestampFormat}: a {@link DateTimeFormatter} pattern ({@code yyyyMMdd_HHmmss}) that
 * reads the timestamp captured by the kind's {@code pattern} (group 1) as UTC. A date-only pattern
 * ({@code yyyyMMdd}) reads as midnight UTC. Checked at load ({@link #problem}): a pattern Java does not know, or one
 * that cannot give back the date it wrote (strftime's {@code %Y%m%d} — {@code m} is the minute, {@code Y} the
 * week-based year — or {@code garbage}) is refused, so no backup's age ever falls back to its modification time
 * because of the file.
 */
public final class TimestampFormat {
    /** A moment whose fields all differ (day above 12, hour above 12, second ≠ minute), to check a pattern with. */
    private static final LocalDateTime PROBE = LocalDateTime.of(2031, 11, 22, 17, 43, 29);
    private static final Map<Character, String> STRFTIME = Map.ofEntries(
            Map.entry('Y', "yyyy"), Map.entry('y', "yy"), Map.entry('m', "MM"), Map.entry('d', "dd"),
            Map.entry('H', "HH"), Map.entry('M', "mm"), Map.entry('S', "ss"), Map.entry('j', "DDD"),
            Map.entry('b', "MMM"), Map.entry('F', "yyyy-MM-dd"), Map.entry('T', "HH:mm:ss"), Map.entry('%', "%"));

    private TimestampFormat() {}

    /** What is wrong with {@code pattern}, with a hint; empty when it reads back the moments it writes. */
    public static Optional<String> problem(String pattern) {
        if (pattern.contains("%")) {
            return Optional.of("'" + pattern + "' looks like a strftime pattern; timestampFormat is a Java DateTimeFormatter "
                    + "pattern" + strftimeHint(pattern).map(s -> ": write '" + s + "'").orElse(" such as yyyyMMdd_HHmmss"));
        }
        DateTimeFormatter f;
        try {
            f = formatter(pattern);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a DateTimeFormatter pattern (" + e.getMessage() + "); e.g. yyyyMMdd_HHmmss for 20250930_020000"
                    + " (letters are fields: y year, MM month, dd day, HH hour, mm minute, ss second; quote literal text: 'T')");
        }
        String written;
        try {
            written = f.format(PROBE);
        } catch (RuntimeException e) {
            return Optional.of("cannot write a date with '" + pattern + "': " + e.getMessage() + "; e.g. yyyyMMdd_HHmmss");
        }
        Optional<LocalDateTime> back = read(f, written);
        if (back.isEmpty() || !back.get().toLocalDate().equals(PROBE.toLocalDate()) || back.get().isAfter(PROBE)) {
            String why = pattern.contains("Y") ? " (Y is the week-based year: use y)"
                    : pattern.contains("m") && !pattern.contains("M") ? " (m is the minute: the month is MM)"
                    : pattern.contains("D") && !pattern.contains("d") ? " (D is the day of the year: the day of the month is dd)" : "";
            return Optional.of("'" + pattern + "' does not give a date back: " + PROBE + " is written '" + written
                    + "' and read as " + back.map(Object::toString).orElse("nothing") + why
                    + "; it needs a year (yyyy), a month (MM) and a day (dd), e.g. yyyyMMdd_HHmmss");
        }
        return Optional.empty();
    }

    /** {@code stamp} read with {@code pattern} as UTC; empty when it does not match (the file is then listed as such). */
    public static Optional<Instant> parse(String stamp, String pattern) {
        try {
            return read(formatter(pattern), stamp).map(t -> t.toInstant(ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static DateTimeFormatter formatter(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    }

    private static Optional<LocalDateTime> read(DateTimeFormatter f, String text) {
        try {
            TemporalAccessor t = f.parseBest(text, LocalDateTime::from, LocalDate::from);
            return Optional.of(t instanceof LocalDate d ? d.atStartOfDay() : (LocalDateTime) t);
        } catch (DateTimeParseException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** strftime's {@code %Y%m%d_%H%M%S} as {@code yyyyMMdd_HHmmss}, when every conversion is known. */
    static Optional<String> strftimeHint(String s) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 1 < s.length()) {
                String j = STRFTIME.get(s.charAt(++i));
                if (j == null) {
                    return Optional.empty();
                }
                flush(out, literal);
                out.append(j);
            } else {
                literal.append(c);
            }
        }
        flush(out, literal);
        return Optional.of(out.toString());
    }

    private static void flush(StringBuilder out, StringBuilder literal) {
        if (literal.isEmpty()) {
            return;
        }
        String l = literal.toString();
        out.append(l.chars().anyMatch(Character::isLetter) ? "'" + l.replace("'", "''") + "'" : l);
        literal.setLength(0);
    }
}
