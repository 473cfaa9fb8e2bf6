package io.dutydesk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.doctor.Check;
import io.dutydesk.core.doctor.DoctorReport;
import io.dutydesk.core.doctor.DoctorService;
import io.dutydesk.core.ports.EnvironmentHandle;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dutydesk doctor --env NAME [--json]}: one line per check ({@code ok  <check>} or
 * {@code problem  <check>: … — fix: …}); exit 0 when every check is ok, 1 when any is a problem.
 */
final class DoctorCommand {
    private final PrintStream out;
    private final Clock clock;

    DoctorCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    int run(Environment e, EnvironmentHandle h, boolean json) {
        DoctorReport r = new DoctorService(e, h, clock).run(batch -> { }).join();
        if (json) {
            out.println(Json.write(json(r)));
        } else {
            lines(r).forEach(out::println);
        }
        return exitCode(r);
    }

    static int exitCode(DoctorReport r) {
        return r.ok() ? Cli.OK : Cli.DOWN;
    }

    /** The text form: one line per check, then a summary line. */
    static List<String> lines(DoctorReport r) {
        List<String> out = new ArrayList<>();
        for (Check c : r.checks()) {
            out.add(line(c));
        }
        out.add(r.ok() ? r.env() + ": all " + r.checks().size() + " checks ok"
                : r.env() + ": " + r.problems() + " of " + r.checks().size() + " checks found a problem");
        return out;
    }

    static String line(Check c) {
        String what = c.title();
        if (c.ok()) {
            String s = "ok       " + what + (c.detail().isEmpty() ? "" : " (" + c.detail() + ")");
            return c.fix().isEmpty() ? s : s + " — " + c.fix();
        }
        return "problem  " + what + ": " + c.detail() + " — fix: " + c.fix();
    }

    static ObjectNode json(DoctorReport r) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("env", r.env());
        root.put("at", Json.time(r.at()));
        root.put("ok", r.ok());
        ArrayNode arr = root.putArray("checks");
        for (Check c : r.checks()) {
            ObjectNode o = arr.addObject();
            o.put("id", c.id());
            o.put("title", c.title());
            o.put("status", c.status().id());
            o.put("detail", c.detail());
            o.put("fix", c.fix());
        }
        return root;
    }
}
