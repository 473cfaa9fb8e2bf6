package io.dutydesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.postgres.PostgresAdapter;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * P4: one console poll of the outbox against the runbook's {@code SELECT status, COUNT(*) ... GROUP BY
 * status}, on the reference host's 10M-row outbox (database {@code outbox_bench}, 99% published; seed it
 * first with {@code src/refhost/refhost seed-outbox-bench}). Both are measured in the same run,
 * alternating: the server's execution time (EXPLAIN (ANALYZE), summed over the poll's queries) and the
 * client's wall time (median). Prints the ratios; the goal is poll/runbook &lt;= 1/50.
 *
 * <pre>java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.OutboxBenchmark [ROUNDS]</pre>
 */
public final class OutboxBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Path.of(System.getProperty("dutydesk.refhost.dir", "/tmp/dutydesk-refhost"));
        String pw = Files.readString(dir.resolve("srv/secrets/pg_password")).strip();
        Environment.Outbox outbox = EnvironmentsFile.parse(Path.of("bench.yaml"), "environments: { b: { ssh: { host: h } } }")
                .require("b").outbox();
        List<String> poll = PostgresAdapter.pollQueries(outbox);
        String runbook = PostgresAdapter.runbookQuery(outbox);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:24432/outbox_bench?user=selfology&password="
                + java.net.URLEncoder.encode(pw, java.nio.charset.StandardCharsets.UTF_8) + "&readOnly=true")) {
            long rows;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT reltuples::bigint FROM pg_class "
                    + "WHERE oid = 'selfology.event_outbox'::regclass")) {
                rs.next();
                rows = rs.getLong(1);
            }
            System.out.printf("outbox_bench: ~%,d rows (planner statistics); %d rounds, alternating%n", rows, rounds);
            // warm both once (caches), then measure
            serverMs(c, poll);
            serverMs(c, List.of(runbook));
            List<Double> pollServer = new ArrayList<>();
            List<Double> runbookServer = new ArrayList<>();
            List<Double> pollClient = new ArrayList<>();
            List<Double> runbookClient = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                pollServer.add(serverMs(c, poll));
                runbookServer.add(serverMs(c, List.of(runbook)));
                pollClient.add(clientMs(c, poll));
                runbookClient.add(clientMs(c, List.of(runbook)));
            }
            double ps = median(pollServer);
            double rs = median(runbookServer);
            double pc = median(pollClient);
            double rc = median(runbookClient);
            System.out.printf("server execution (EXPLAIN ANALYZE, median): console poll %.3f ms (%d queries), runbook GROUP BY %.1f ms%n",
                    ps, poll.size(), rs);
            System.out.printf("client wall time (median):                  console poll %.3f ms, runbook GROUP BY %.1f ms%n", pc, rc);
            System.out.printf("RATIO server poll/runbook = %.4f (1/%.0f)   client = %.4f (1/%.0f)   goal <= 0.0200 (1/50)%n",
                    ps / rs, rs / ps, pc / rc, rc / pc);
            System.out.println("plans of the poll's queries:");
            for (String q : poll) {
                System.out.println("  " + nodes(c, q) + "   <- " + q.substring(0, Math.min(90, q.length())) + "…");
            }
            System.out.println("  " + nodes(c, runbook) + "   <- " + runbook);
        }
    }

    /** The server's execution time of the queries, from EXPLAIN (ANALYZE, FORMAT JSON), in one read-only transaction. */
    static double serverMs(Connection c, List<String> queries) throws Exception {
        double sum = 0;
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            st.execute("SET LOCAL statement_timeout = 120000");
            for (String q : queries) {
                try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + q)) {
                    rs.next();
                    JsonNode j = JSON.readTree(rs.getString(1)).get(0);
                    sum += j.get("Execution Time").asDouble() + j.get("Planning Time").asDouble();
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return sum;
    }

    static double clientMs(Connection c, List<String> queries) throws Exception {
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            st.execute("SET LOCAL statement_timeout = 120000");
            for (String q : queries) {
                try (ResultSet rs = st.executeQuery(q)) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The plan's scan nodes, e.g. "Index Only Scan using event_outbox_open_status_idx". */
    static String nodes(Connection c, String q) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) " + q)) {
            rs.next();
            List<String> out = new ArrayList<>();
            collect(JSON.readTree(rs.getString(1)).get(0).get("Plan"), out);
            return String.join(", ", out);
        }
    }

    private static void collect(JsonNode plan, List<String> out) {
        String type = plan.get("Node Type").asText();
        if (type.contains("Scan")) {
            out.add(type + (plan.has("Index Name") ? " using " + plan.get("Index Name").asText() : "")
                    + (plan.has("Relation Name") ? " on " + plan.get("Relation Name").asText() : ""));
        }
        if (plan.has("Plans")) {
            for (JsonNode p : plan.get("Plans")) {
                collect(p, out);
            }
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
