package io.dutydesk.core.backups;

import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.SecretRef;

import java.util.List;

/**
 * The shell the console sends for backups. Pure text: every path, name and value is quoted
 * ({@link ShellQuote}; the team's commands are filled by {@link io.dutydesk.core.config.CommandTemplate}); results come back as marker lines ({@code @@CHECK}, {@code @@FREE},
 * {@code @@COUNT}) that {@link BackupsService} parses.
 */
public final class BackupScripts {
    public static final String CHECK = "@@CHECK ";
    public static final String FREE = "@@FREE ";
    public static final String COUNT = "@@COUNT ";
    public static final String SAFETY = "@@SAFETY ";

    private BackupScripts() {}

    /** One {@code @@FREE index bytes} line per folder: the free space of the folder's volume (-1 if unknown). */
    public static String freeSpace(List<String> folders) {
        StringBuilder sb = new StringBuilder("i=0; for d in");
        for (String f : folders) {
            sb.append(' ').append(ShellQuote.path(f));
        }
        return sb.append("; do b=$(df -P -B1 \"$d\" 2>/dev/null | awk 'NR==2{print $4}'); echo \"")
                .append(FREE).append("$i ${b:--1}\"; i=$((i+1)); done").toString();
    }

    /** pg_dump's plain-SQL structure: header, every COPY block terminated by "\.", the completion footer. */
    static final String SQL_STRUCTURE_AWK = """
            NR<=30 && /^-- PostgreSQL database dump/ {h=1}
            c { if ($0 == "\\\\.") {c=0; n++}; next }
            /^COPY .* FROM stdin;$/ {c=1; t=$2; next}
            /^-- PostgreSQL database dump complete/ {done=1}
            END {
              if (!h) print "bad plain SQL: no pg_dump header in the first 30 lines";
              else if (c) print "bad plain SQL: the COPY block of " t " is not terminated (truncated?)";
              else if (!done) print "bad plain SQL: no \\"dump complete\\" footer (truncated?)";
              else print "ok plain SQL: pg_dump header, " n " COPY blocks terminated, completion footer";
            }""";

    /**
     * Verifies a backup on the server without downloading it: gzip -t, pg_restore --list, the plain-SQL
     * structure, and a .sha256/.md5 sidecar when there is one. One {@code @@CHECK ok|bad detail} line per check.
     */
    public static String verify(String path, String format) {
        String awk = ShellQuote.quote(SQL_STRUCTURE_AWK);
        String s = "f=" + ShellQuote.path(path) + "; "
                + "say() { echo \"" + CHECK + "$1 $2\"; }; "
                + "if [ ! -f \"$f\" ]; then say bad 'no such file'; exit 0; fi; "
                + "if [ ! -r \"$f\" ]; then say bad 'not readable'; exit 0; fi; ";
        s += switch (format) {
            case "gzip" -> "if out=$(gzip -t \"$f\" 2>&1); then say ok 'gzip -t: intact'; "
                    + "r=$(gzip -dc \"$f\" | awk " + awk + "); say \"${r%% *}\" \"${r#* }\"; "
                    + "else say bad \"gzip -t: $(printf '%s' \"$out\" | tail -n1 | sed 's/^gzip: //')\"; fi; ";
            case "custom" -> "if ! command -v pg_restore >/dev/null; then say bad 'pg_restore is not installed on the server'; "
                    + "elif out=$(pg_restore --list \"$f\" 2>&1); then "
                    + "say ok \"pg_restore --list: $(printf '%s\\n' \"$out\" | grep -vc '^;') entries\"; "
                    + "else say bad \"pg_restore --list: $(printf '%s' \"$out\" | tail -n1 | sed 's/^pg_restore: //')\"; fi; ";
            default -> "r=$(awk " + awk + " \"$f\"); say \"${r%% *}\" \"${r#* }\"; ";
        };
        s += "for a in sha256 md5; do if [ -f \"$f.$a\" ]; then "
                + "want=$(awk '{print $1; exit}' \"$f.$a\"); got=$(${a}sum \"$f\" | awk '{print $1}'); "
                + "if [ \"$want\" = \"$got\" ]; then say ok \"$a matches $(basename \"$f\").$a\"; "
                + "else say bad \"$a mismatch: $(basename \"$f\").$a says ${want:-nothing}, the file is $got\"; fi; fi; done";
        return s;
    }

    /** Prints the file's SHA-256 (first word). */
    public static String sha256(String path) {
        return "sha256sum " + ShellQuote.path(path) + " | awk '{print $1}'";
    }

    /** libpq's connection options for the environment's database (as seen from the server), with its password when it is a server file. */
    static String pgEnv(Environment.Postgres pg) {
        String s = "export PGHOST=" + ShellQuote.quote(pg.host()) + " PGPORT=" + pg.port() + " PGUSER=" + ShellQuote.quote(pg.user()) + "; ";
        if (pg.password() instanceof SecretRef.ServerFile f) {
            s += "PGPASSWORD=$(cat " + ShellQuote.path(f.path()) + ") || exit 1; export PGPASSWORD; ";
        }
        return s; // otherwise the server's ~/.pgpass
    }

    /**
     * The built-in pre-restore safety backup: a plain pg_dump (--clean, so it restores over the live
     * database) gzipped into {@code folder} as dutydesk_prerestore_STAMP.sql.gz with a .sha256 sidecar.
     * Prints {@code @@SAFETY path} on success; fails (non-zero) otherwise.
     */
    public static String builtinSafetyBackup(Environment.Postgres pg, String folder) {
        return "( " + pgEnv(pg) + "cd " + ShellQuote.path(folder) + " || exit 1; "
                + "n=dutydesk_prerestore_$(date -u +%Y%m%d_%H%M%S).sql.gz; "
                + "echo \"Pre-restore safety backup into $(pwd)/$n ...\"; "
                + "pg_dump -d " + ShellQuote.quote(pg.database()) + " --clean --if-exists --no-owner > \"$n.sql.part\" "
                + "&& gzip -c \"$n.sql.part\" > \"$n.part\" && rm -f \"$n.sql.part\" && mv \"$n.part\" \"$n\" "
                + "&& sha256sum \"$n\" > \"$n.sha256\" "
                + "|| { rm -f \"$n.sql.part\" \"$n.part\"; echo '✖ safety backup failed'; exit 1; }; "
                + "echo \"" + SAFETY + "$(pwd)/$n $(stat -c %s \"$n\")\" )";
    }

    /** Restores {@code path} into {@code database}: psql in one transaction for plain SQL, pg_restore for custom dumps. */
    public static String builtinRestore(Environment.Postgres pg, String path, String format, String database) {
        return "( " + pgEnv(pg) + restoreInto(path, format, ShellQuote.quote(database)) + " )";
    }

    /** {@code dbWord}: the target database as one shell word (quoted, or a "$VAR"). */
    private static String restoreInto(String path, String format, String dbWord) {
        String f = ShellQuote.path(path);
        String body = switch (format) {
            case "gzip" -> "gzip -t " + f + " && gzip -dc " + f + " | psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d " + dbWord + " >/dev/null";
            case "custom" -> "pg_restore --clean --if-exists --no-owner --single-transaction -d " + dbWord + " " + f;
            default -> "psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d " + dbWord + " -f " + f + " >/dev/null";
        };
        return "T=" + dbWord + "; echo \"Restoring $(basename " + f + ") into $T ...\"; "
                + body + " && echo \"✔ restore into $T completed\"";
    }

    /** Prints {@code @@COUNT label schema.table rows} for every table of the database {@code dbWord} (exact counts). */
    static String counts(String dbWord, String label) {
        String sql = "SELECT format('%I.%I', table_schema, table_name) || ' ' || "
                + "(xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text "
                + "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                + "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1";
        return "psql -X -qtA -v ON_ERROR_STOP=1 -d " + dbWord + " -c " + ShellQuote.quote(sql)
                + " | sed 's/^/" + COUNT + label + " /'";
    }

    /**
     * The built-in scratch restore: creates a scratch database, restores {@code path} into it, prints the
     * row counts of every table in it and in the live database, and drops it (also on failure).
     */
    public static String builtinScratchRestore(Environment.Postgres pg, String path, String format) {
        String base = pg.database().matches("[A-Za-z0-9_]{1,40}") ? pg.database() : "dutydesk";
        return "( " + pgEnv(pg) + "S=" + base + "_scratch_$(date -u +%Y%m%d%H%M%S); "
                + "createdb -T template0 \"$S\" || { echo '✖ could not create the scratch database'; exit 1; }; "
                + "trap 'dropdb --if-exists \"$S\" && echo \"scratch database $S dropped\"' EXIT; "
                + "echo \"scratch database $S created\"; "
                + "( " + restoreInto(path, format, "\"$S\"") + " ) || exit 1; "
                + counts("\"$S\"", "scratch") + "; "
                + counts(ShellQuote.quote(pg.database()), "live") + " )";
    }
}
