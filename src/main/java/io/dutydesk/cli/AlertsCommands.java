package io.dutydesk.cli;

import io.dutydesk.core.Ages;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.Errors;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertFilter;
import io.dutydesk.core.alerts.AlertGrouping;
import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.SilenceDurations;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.core.alerts.Unverified;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.EnvironmentHandle;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** {@code alerts}, {@code silence} and {@code unsilence}: the alert feed, its history and acknowledgements. */
final class AlertsCommands {
    static final List<String> VERBS = List.of("alerts", "silence", "unsilence");
    private static final List<String> VALUED = List.of("--filter", "--since", "--match", "--duration", "--comment");

    /** The alert verbs' own options, taken out of the command line before the common parse. */
    record Options(String filter, String since, List<String> match, String duration, String comment, List<String> rest) {
        static Options extract(List<String> argv) {
            String filter = null;
            String since = null;
            String duration = null;
            String comment = null;
            List<String> match = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < argv.size(); i++) {
                String a = argv.get(i);
                String name = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
                if (!VALUED.contains(name)) {
                    rest.add(a);
                    continue;
                }
                String v;
                if (!name.equals(a)) {
                    v = a.substring(name.length() + 1);
                } else if (i + 1 < argv.size()) {
                    v = argv.get(++i);
                } else {
                    throw new Args.UsageException(a + " needs a value");
                }
                switch (name) {
                    case "--filter" -> filter = v;
                    case "--since" -> since = v;
                    case "--match" -> match.add(v);
                    case "--duration" -> duration = v;
                    default -> comment = v;
                }
            }
            return new Options(filter, since, List.copyOf(match), duration, comment, List.copyOf(rest));
        }

        boolean any() {
            return filter != null || since != null || !match.isEmpty() || duration != null || comment != null;
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final AuditLog audit;
    private final String actor;
    private final AlertHistory history;
    private final Clock clock = Clock.systemUTC();

    AlertsCommands(PrintStream out, PrintStream err, AuditLog audit, String actor, AlertHistory history) {
        this.out = out;
        this.err = err;
        this.audit = audit;
        this.actor = actor;
        this.history = history;
    }

    /** Checks the options before anything connects. */
    static void validate(String verb, Options o, Args args) {
        switch (verb) {
            case "alerts" -> {
                if (!o.match().isEmpty() || o.duration() != null || o.comment() != null) {
                    throw new Args.UsageException("alerts takes --filter and --since; --match, --duration and --comment are for silence");
                }
                if (o.filter() != null) {
                    filter(o.filter());
                }
                if (o.since() != null) {
                    since(o.since());
                }
            }
            case "silence" -> {
                if (o.match().isEmpty()) {
                    throw new Args.UsageException("silence needs at least one --match NAME=VALUE");
                }
                o.match().forEach(AlertsCommands::matcher);
                if (o.duration() == null) {
                    throw new Args.UsageException("silence needs --duration (e.g. 2h)");
                }
                duration(o.duration());
                if (o.comment() == null || o.comment().isBlank()) {
                    throw new Args.UsageException("silence needs --comment TEXT (why, and what is being done)");
                }
            }
            case "unsilence" -> {
                if (o.any()) {
                    throw new Args.UsageException("unsilence takes only the silence id");
                }
                if (args.positional().size() != 1) {
                    throw new Args.UsageException("unsilence needs the silence id: dutydesk unsilence --env NAME ID");
                }
            }
            default -> throw new Args.UsageException("unknown verb " + verb);
        }
        if (!verb.equals("unsilence") && !args.positional().isEmpty()) {
            throw new Args.UsageException(verb + " takes no argument '" + args.positional().get(0) + "'");
        }
    }

    static AlertFilter filter(String text) {
        try {
            return AlertFilter.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--filter: " + e.getMessage());
        }
    }

    static Duration since(String text) {
        try {
            return SilenceDurations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--since: " + e.getMessage());
        }
    }

    static Duration duration(String text) {
        try {
            return SilenceDurations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--duration: " + e.getMessage());
        }
    }

    static Matcher matcher(String text) {
        try {
            return Matcher.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--match: " + e.getMessage());
        }
    }

    int run(String verb, Options o, Args args, Environment e, EnvironmentHandle h) {
        AlertsService service = new AlertsService(e, h.alerts(), h.alertSeries(), history, audit, actor, clock);
        return switch (verb) {
            case "alerts" -> o.since() != null ? history(service, since(o.since()), args.json())
                    : alerts(service, o.filter() == null ? AlertFilter.ALL : filter(o.filter()), args.json());
            case "silence" -> silence(service, o, args.json());
            default -> unsilence(service, args.positional().get(0), args.json());
        };
    }

    private int alerts(AlertsService service, AlertFilter filter, boolean json) {
        AlertsService.Update u;
        try {
            u = service.poll(true).join();
        } catch (CompletionException ex) {
            err.println("dutydesk: alerts of " + service.environment().name() + ": " + Errors.describe(ex));
            return Cli.DOWN;
        }
        u.historyProblem().ifPresent(p -> err.println("dutydesk: " + p));
        u.cannotFire().ifPresent(p -> err.println("dutydesk: " + p));
        u.sourceNotes().forEach(n -> err.println("dutydesk: note: " + n));
        Environment.Alerts cfg = service.environment().alerts();
        List<Alert> shown = u.shown().alerts().stream().filter(filter::matches).sorted(AlertGrouping.order(cfg)).toList();
        long unknown = shown.stream().filter(a -> u.unverified().containsKey(a.fingerprint())).count();
        long active = shown.stream().filter(a -> !a.suppressed() && !u.unverified().containsKey(a.fingerprint())).count();
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", service.environment().name());
            root.put("takenAt", u.feed().takenAt().toString());
            if (!filter.isEmpty()) {
                root.put("filter", filter.toString());
            }
            if (u.source() != null) {
                ObjectNode src = root.putObject("source");
                src.put("canFire", u.source().up());
                Json.putNullable(src, "problem", u.source().problem());
                Json.putNullable(src, "unknownSince", u.source().since() == null ? null : u.source().since().toString());
                ArrayNode notes = src.putArray("notes");
                u.source().notes().forEach(notes::add);
            }
            ArrayNode arr = root.putArray("alerts");
            for (Alert a : shown) {
                ObjectNode n = arr.addObject();
                n.put("fingerprint", a.fingerprint());
                n.put("alertname", a.alertname());
                n.put("severity", a.severity());
                n.put("state", a.state());
                Json.putNullable(n, "startsAt", a.startsAt() == null ? null : a.startsAt().toString());
                Unverified uv = u.unverified().get(a.fingerprint());
                if (uv != null) {
                    n.put("unknownSince", uv.since().toString());
                    n.put("unknownReason", uv.reason());
                }
                ObjectNode l = n.putObject("labels");
                a.labels().forEach(l::put);
                ObjectNode an = n.putObject("annotations");
                a.annotations().forEach(an::put);
                ArrayNode sb = n.putArray("silencedBy");
                a.silencedBy().forEach(sb::add);
            }
            out.println(Json.write(root));
        } else {
            Map<String, Long> counts = AlertGrouping.activeBySeverity(shown.stream()
                    .filter(a -> !u.unverified().containsKey(a.fingerprint())).toList(), cfg);
            List<String> parts = new ArrayList<>();
            counts.forEach((k, v) -> parts.add(v + " " + k));
            out.println(service.environment().name() + ": " + active + " active, " + (shown.size() - active - unknown) + " suppressed"
                    + (unknown > 0 ? ", " + unknown + " unknown" : "") + "  (" + String.join(", ", parts) + ")"
                    + (filter.isEmpty() ? "" : "  filter: " + filter));
            Instant now = u.feed().takenAt();
            for (Alert a : shown) {
                Unverified uv = u.unverified().get(a.fingerprint());
                String what = a.annotation("summary").isEmpty() ? a.labels().toString() : a.annotation("summary");
                String age = a.startsAt() == null ? "" : uv == null ? Ages.compact(Duration.between(a.startsAt(), now))
                        : ">=" + Ages.compact(Duration.between(a.startsAt(), uv.since()));
                out.printf("  %-9s %-11s %-24s %8s  %s%s%n", a.severity().isEmpty() ? "-" : a.severity(), uv == null ? a.state() : "unknown",
                        a.alertname(), age, what, (a.silenced() ? "  [silenced by " + String.join(",", a.silencedBy()) + "]" : "")
                        + (uv == null ? "" : "  [unknown since " + uv.since() + ": " + uv.reason() + "; as of then]"));
            }
        }
        // an alert of unknown truth, or a source that cannot fire any, is not "all clear"
        return active == 0 && unknown == 0 && u.cannotFire().isEmpty() ? Cli.OK : Cli.DOWN;
    }

    private int history(AlertsService service, Duration since, boolean json) {
        int code = Cli.OK;
        try {
            service.poll(true).join().historyProblem().ifPresent(p -> err.println("dutydesk: " + p));
        } catch (CompletionException ex) {
            err.println("dutydesk: Alertmanager not read, the history may miss the last minutes: " + Errors.describe(ex));
            code = Cli.DOWN;
        }
        Instant from = clock.instant().minus(since);
        List<Transition> ts = service.history(from).join();
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", service.environment().name());
            root.put("since", from.toString());
            ArrayNode arr = root.putArray("transitions");
            for (Transition t : ts) {
                ObjectNode n = arr.addObject();
                n.put("fingerprint", t.fingerprint());
                n.put("alertname", t.alertname());
                n.put("event", t.event());
                n.put("at", t.at().toString());
                n.put("source", t.source());
                ObjectNode l = n.putObject("labels");
                t.labels().forEach(l::put);
            }
            out.println(Json.write(root));
        } else {
            out.println(service.environment().name() + ": " + ts.size() + " transitions since " + from);
            for (Transition t : ts) {
                out.printf("  %s  %-10s %-24s %s%s%n", t.at(), t.event(), t.alertname(), labelsBrief(t.labels()),
                        t.reconstructed() ? "  (reconstructed from Prometheus)" : "");
            }
        }
        return code;
    }

    private int silence(AlertsService service, Options o, boolean json) {
        List<Matcher> ms = o.match().stream().map(AlertsCommands::matcher).toList();
        Instant start = clock.instant();
        SilenceRequest r = new SilenceRequest(ms, start, start.plus(duration(o.duration())), actor, o.comment().strip());
        String id;
        try {
            id = service.silence(r).join();
        } catch (CompletionException ex) {
            err.println("dutydesk: silence refused: " + Errors.describe(ex));
            return Errors.unwrap(ex) instanceof IllegalArgumentException ? Cli.USAGE : Cli.DOWN;
        }
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", service.environment().name());
            root.put("id", id);
            ArrayNode arr = root.putArray("matchers");
            ms.forEach(m -> arr.add(m.toString()));
            root.put("startsAt", r.startsAt().toString());
            root.put("endsAt", r.endsAt().toString());
            root.put("createdBy", r.createdBy());
            root.put("comment", r.comment());
            out.println(Json.write(root));
        } else {
            out.println(id);
        }
        return Cli.OK;
    }

    private int unsilence(AlertsService service, String id, boolean json) {
        try {
            service.expire(id).join();
        } catch (CompletionException ex) {
            err.println("dutydesk: unsilence refused: " + Errors.describe(ex));
            return Errors.unwrap(ex) instanceof IllegalArgumentException ? Cli.USAGE : Cli.DOWN;
        }
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", service.environment().name());
            root.put("id", id);
            root.put("expired", true);
            out.println(Json.write(root));
        } else {
            out.println("expired " + id);
        }
        return Cli.OK;
    }

    private static String labelsBrief(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> {
            if (!k.equals("alertname")) {
                parts.add(k + "=" + v);
            }
        });
        return String.join(" ", parts);
    }
}
