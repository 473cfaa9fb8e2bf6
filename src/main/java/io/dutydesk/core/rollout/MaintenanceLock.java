package io.dutydesk.core.rollout;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A maintenance lock held on an environment's server: the server-side action lock held by a file
 * ({@code STATE/maintenance}) instead of a running job, so every action of every console is refused while it
 * is held, with its holder, message and since when ({@link #refusal}).
 *
 * @param id      the lock's action id (what an unlock names: the lock the user confirmed)
 * @param actor   who took it (user@host)
 * @param message why, as its holder wrote it
 * @param since   when it was taken, by its holder's clock; null when the server's meta did not say
 */
public record MaintenanceLock(String id, String actor, String message, Instant since) {
    /** The longest message a lock carries. */
    public static final int MAX_MESSAGE = 500;

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", java.util.Locale.ROOT);

    /** "locked for maintenance by alice@ws since 2026-12-03 16:10:00 UTC: "db migration"". */
    public String describe(ZoneId zone) {
        return "locked for maintenance by " + (actor.isEmpty() ? "(unknown)" : actor)
                + (since == null ? "" : " since " + AT.withZone(zone).format(since)) + ": \"" + message + "\"";
    }

    /** What an action refused while it is held says: "ENV is locked for maintenance by …; nothing was run". */
    public String refusal(String environment) {
        return environment + " is " + describe(ZoneId.of("UTC")) + " (lock " + id + "); nothing was run (unlock with: dutydesk unlock --env "
                + environment + ")";
    }

    /** Whether {@code who} took this lock (an unlock by anyone else asks for an explicit confirmation). */
    public boolean heldBy(String who) {
        return actor.equals(who);
    }

    /** Why {@code message} cannot be a lock's message, or empty when it can: present, one line, at most {@link #MAX_MESSAGE}. */
    public static Optional<String> messageProblem(String message) {
        if (message == null || message.isBlank()) {
            return Optional.of("a maintenance lock needs a message (--message TEXT): why, and until when");
        }
        if (message.length() > MAX_MESSAGE) {
            return Optional.of("a maintenance lock's message is at most " + MAX_MESSAGE + " characters");
        }
        if (message.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("a maintenance lock's message is one line of printable text");
        }
        return Optional.empty();
    }

    /** The lock from the server's id and meta line ({@code {"id":…,"actor":…,"message":…,"start":…}}). */
    static MaintenanceLock parse(String id, String meta) {
        String since = field(meta, "start");
        Instant at = null;
        try {
            at = since.isEmpty() ? null : Instant.parse(since);
        } catch (java.time.format.DateTimeParseException ignored) {
            // a time it cannot read is left out
        }
        return new MaintenanceLock(RolloutRules.printable(id.strip()), field(meta, "actor"), field(meta, "message"), at);
    }

    /** The meta line the server keeps: one JSON line. */
    static String meta(String id, String environment, String actor, String message, Instant start) {
        return "{\"id\":\"" + id + "\",\"action\":\"lock\",\"env\":\"" + DetachedActions.jsonText(environment) + "\",\"args\":\""
                + DetachedActions.jsonText(message) + "\",\"actor\":\"" + DetachedActions.jsonText(actor) + "\",\"message\":\""
                + DetachedActions.jsonText(message) + "\",\"start\":\"" + start + "\"}";
    }

    /** A text field of a one-line JSON meta (the server's {@code .meta} and {@code maintenance} files), unescaped, printable; empty when absent. */
    static String field(String meta, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(meta == null ? "" : meta);
        if (!m.find()) {
            return "";
        }
        String raw = m.group(1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                if (n == 'u' && i + 4 < raw.length()) {
                    try {
                        b.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                        i += 4;
                        continue;
                    } catch (NumberFormatException ignored) {
                        b.append('\\').append(n);
                        continue;
                    }
                }
                b.append(n);
            } else {
                b.append(c);
            }
        }
        return RolloutRules.printable(b.toString());
    }

    /** The refusal to show when a server answer says a maintenance lock is held (a short change refused under it). */
    public static Optional<String> refusalIn(String environment, String out) {
        return in(out).map(l -> l.refusal(environment));
    }

    /** The lock in a server answer ({@link ActionScripts#BUSY} id, then {@link ActionScripts#MAINTENANCE} meta), if there is one. */
    static Optional<MaintenanceLock> in(String out) {
        int m = out.indexOf(ActionScripts.MAINTENANCE);
        if (m < 0) {
            return Optional.empty();
        }
        int e = out.indexOf('\n', m);
        String meta = out.substring(m + ActionScripts.MAINTENANCE.length(), e < 0 ? out.length() : e);
        int b = out.indexOf(ActionScripts.BUSY);
        String id = "";
        if (b >= 0 && b < m) {
            int be = out.indexOf('\n', b);
            id = out.substring(b + ActionScripts.BUSY.length(), be < 0 ? out.length() : be);
        }
        MaintenanceLock l = parse(id, meta);
        return Optional.of(l.id().isEmpty() ? new MaintenanceLock(field(meta, "id"), l.actor(), l.message(), l.since()) : l);
    }
}
