package io.dutydesk.adapters.postgres;

import io.dutydesk.core.config.Environment;

import java.util.List;

/**
 * The SQL of one gentle outbox poll, from the environments file's table, column and status names.
 * Table and columns are checked to be plain identifiers when the file is read; statuses are
 * written as quoted literals (not bound parameters) so that the planner can prove a partial
 * index's predicate for every execution.
 *
 * <ul>
 *   <li>exact counts of the open statuses (pending, processing, failed) — served by the partial index;</li>
 *   <li>the 10 oldest pending events and their age by the server's clock — the same index, in order;</li>
 *   <li>the published total as an estimate: pg_class's row count scaled to the table's current size
 *       (as the planner does) times the published value's frequency in pg_stats — never a count;</li>
 *   <li>whether a valid index leads with the status column, or is partial on it.</li>
 * </ul>
 */
final class BacklogQueries {
    final String table;
    final String status;
    final String createdAt;
    final String id;
    final String type;
    final String pending;
    final String processing;
    final String failed;
    final String published;

    BacklogQueries(Environment.Outbox o) {
        table = o.table();
        status = o.columns().get("status");
        createdAt = o.columns().get("created_at");
        id = o.columns().get("id");
        type = o.columns().get("event_type");
        pending = o.statuses().get("pending");
        processing = o.statuses().get("processing");
        failed = o.statuses().get("failed");
        published = o.statuses().get("published");
    }

    static String literal(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL in a status value");
        }
        return "'" + s.replace("'", "''") + "'";
    }

    /** {@code status IN ('pending', 'processing', 'failed')}: the partial index's predicate, word for word. */
    String openPredicate() {
        List<String> open = processing == null ? List.of(literal(pending), literal(failed))
                : List.of(literal(pending), literal(processing), literal(failed)); // without an in-flight state: pending, failed
        return status + " IN (" + String.join(", ", open) + ")";
    }

    /** The columns the console reads, planned and never read ({@code WHERE false}): fails if any is missing. */
    String shape() {
        return "SELECT " + id + ", " + type + ", " + status + ", " + createdAt + " FROM " + table + " WHERE false";
    }

    String counts() {
        return "SELECT " + status + "::text, count(*) FROM " + table + " WHERE " + openPredicate() + " GROUP BY " + status;
    }

    String oldest(int limit) {
        return "SELECT " + id + "::text, " + type + "::text, floor(extract(epoch FROM (now() - " + createdAt + ")))::bigint"
                + " FROM " + table + " WHERE " + openPredicate() + " AND " + status + " = " + literal(pending)
                + " ORDER BY " + createdAt + " LIMIT " + limit;
    }

    /** The newest row's time and the rows created after the parameter (a restore of a backup taken then loses them). */
    String rowsSince() {
        return "SELECT max(" + createdAt + "), count(*) FILTER (WHERE " + createdAt + " > ?) FROM " + table;
    }

    /** reltuples scaled to the current number of pages, and the published value's frequency (null if unknown). */
    String estimate() {
        return "SELECT CASE WHEN c.reltuples < 0 THEN NULL"
                + " WHEN c.relpages > 0 THEN c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int)"
                + " ELSE c.reltuples END,"
                + " (SELECT s.most_common_freqs[array_position(s.most_common_vals::text::text[], " + literal(published) + ")]"
                + "  FROM pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = " + literal(status) + ")"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(" + literal(table) + ")";
    }

    /** Valid indexes whose first key is the status column, or whose predicate is on it. */
    String servingIndexes() {
        return "SELECT i.indexrelid::regclass::text FROM pg_index i"
                + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = to_regclass(" + literal(table) + ") AND i.indisvalid AND i.indisready"
                + " AND (a.attname = " + literal(status)
                + " OR (i.indpred IS NOT NULL AND pg_get_expr(i.indpred, i.indrelid) LIKE " + literal("%" + status + "%") + "))";
    }

    String recommendedIndex() {
        String bare = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        return "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + bare + "_open_" + status + "_idx ON " + table
                + " (" + status + ", " + createdAt + ") WHERE " + openPredicate() + ";";
    }

    /** The runbook's query, for the benchmark: it reads the whole table. */
    String runbookGroupBy() {
        return "SELECT " + status + ", COUNT(*) FROM " + table + " GROUP BY " + status;
    }
}
