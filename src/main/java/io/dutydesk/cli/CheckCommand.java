package io.dutydesk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.check.CheckReport;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.CheckHistory;
import io.dutydesk.core.ports.EnvironmentHandle;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code dutydesk check --env NAME|all [--json] [--report FILE.md|FILE.html] [--push URL]}: the morning checklist of one
 * environment or of all, kept in the local store and compared with the previous run; exit 0 when every check passes,
 * 1 when any warns, fails or cannot tell (or the push, the report or keeping the run failed), 2 for usage.
 */
final class CheckCommand {
    static final List<String> VALUED = List.of("--report", "--push");

    /** The verb's own options, taken out of the command line before the common parse. */
    record Options(Optional<Path> report, Optional<URI> push, List<String> rest) {
        static Options extract(List<String> argv) {
            Path report = null;
            URI push = null;
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
                } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--")) {
                    v = argv.get(++i);
                } else {
                    throw new Args.UsageException(a + " needs a value");
                }
                if (name.equals("--report")) {
                    report = CheckCommand.report(v);
                } else {
                    push = CheckCommand.push(v);
                }
            }
            return new Options(Optional.ofNullable(report), Optional.ofNullable(push), List.copyOf(rest));
        }

        boolean any() {
            return report.isPresent() || push.isPresent();
        }
    }

    static Path report(String v) {
        String lower = v.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(".md") && !lower.endsWith(".html") && !lower.endsWith(".htm")) {
            throw new Args.UsageException("--report FILE.md (Markdown) or FILE.html (a printable page), not '" + v + "'");
        }
        return Path.of(v);
    }

    static URI push(String v) {
        try {
            URI u = new URI(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new Args.UsageException("--push needs the Pushgateway's URL, e.g. http://127.0.0.1:9091, not '" + v + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new Args.UsageException("--push: not a URL: " + e.getMessage());
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final AuditLog audit;
    private final String actor;
    private final AlertHistory alerts;
    private final CheckHistory history;
    private final Clock clock;

    CheckCommand(PrintStream out, PrintStream err, AuditLog audit, String actor, AlertHistory alerts, CheckHistory history, Clock clock) {
        this.out = out;
        this.err = err;
        this.audit = audit;
        this.actor = actor;
        this.alerts = alerts;
        this.history = history;
        this.clock = clock;
    }

    /** Opens an environment (the caller's connector) and closes it after use. */
    interface Opener {
        EnvironmentHandle open(Environment e);
    }

    int run(List<Environment> envs, boolean all, Options o, boolean json, Opener opener) {
        List<CheckRun> runs = new ArrayList<>();
        boolean pushFailed = false;
        boolean notKept = false;
        for (Environment e : envs) {
            try (EnvironmentHandle h = opener.open(e)) {
                CheckService.Outcome outcome = CheckService.of(h, alerts, history, audit, actor, clock,
                        java.util.concurrent.ForkJoinPool.commonPool()).runKept().join();
                CheckRun run = outcome.run();
                if (outcome.notKept().isPresent()) {
                    err.println("dutydesk: check: " + e.name() + ": the run was not kept in the local store ("
                            + outcome.notKept().get() + "): the next run cannot be compared with it");
                    notKept = true;
                }
                runs.add(run);
                if (o.push().isPresent()) {
                    try {
                        h.checkPush(o.push().get()).push(run).join();
                    } catch (RuntimeException ex) {
                        err.println("dutydesk: check: " + e.name() + ": the push to " + o.push().get() + " failed: " + Errors.describe(ex));
                        pushFailed = true;
                    }
                }
            }
        }
        ZoneId zone = envs.isEmpty() ? clock.getZone() : envs.get(0).checks().zone().orElse(clock.getZone());
        // the results first: a report that cannot be written loses nothing of the run (kept, and on stdout)
        if (json) {
            if (all) {
                ArrayNode arr = Json.MAPPER.createArrayNode();
                runs.forEach(r -> arr.add(json(r)));
                out.println(Json.write(arr));
            } else {
                out.println(Json.write(json(runs.get(0))));
            }
        } else {
            for (CheckRun r : runs) {
                lines(r, zone).forEach(out::println);
            }
        }
        out.flush();
        boolean reportFailed = false;
        if (o.report().isPresent()) {
            Path f = o.report().get();
            String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            String text = name.endsWith(".md") ? CheckReport.markdown(runs, zone) : CheckReport.html(runs, zone);
            try {
                write(f, text);
            } catch (IOException | RuntimeException ex) {
                err.println("dutydesk: check: the report " + f + " could not be written (" + Errors.describe(ex) + "): "
                        + (Files.exists(f) ? "the previous report is left as it was" : "no report written"));
                reportFailed = true;
            }
        }
        return !pushFailed && !reportFailed && !notKept && runs.stream().allMatch(CheckRun::allPass) ? Cli.OK : Cli.DOWN;
    }

    /** The report saved whole, 0600, forced to disk ({@link CheckReport#save}). */
    static void write(Path f, String text) throws IOException {
        io.dutydesk.core.check.CheckReport.save(f, text);
    }

    static List<String> lines(CheckRun r, ZoneId zone) {
        List<String> out = new ArrayList<>();
        out.add(r.env() + "  " + r.worst().id().toUpperCase(java.util.Locale.ROOT) + "  " + r.summary()
                + "  (" + r.comparedWith(p -> CheckReport.when(p, zone)) + ")");
        for (CheckResult c : r.checks()) {
            out.add(String.format("  %-7s %-14s %s%s", c.status().id().toUpperCase(java.util.Locale.ROOT), c.id(), c.evidence(),
                    c.changed() ? "  [changed: was " + c.previous().get().id() + "]" : ""));
        }
        return out;
    }

    static ObjectNode json(CheckRun r) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("env", r.env());
        root.put("at", Json.time(r.at()));
        root.put("actor", r.actor());
        root.put("status", r.worst().id());
        Json.putNullable(root, "previousAt", r.previousAt().map(Json::time).orElse(null));
        Json.putNullable(root, "storeProblem", r.storeProblem().orElse(null));
        ArrayNode arr = root.putArray("checks");
        for (CheckResult c : r.checks()) {
            ObjectNode o = arr.addObject();
            o.put("id", c.id());
            o.put("title", c.title());
            o.put("source", c.source().id());
            o.put("status", c.status().id());
            o.put("evidence", c.evidence());
            o.put("changed", c.changed());
            Json.putNullable(o, "previous", c.previous().map(s -> s.id()).orElse(null));
            o.put("pane", c.pane());
            ArrayNode d = o.putArray("details");
            c.details().forEach(d::add);
        }
        return root;
    }
}
