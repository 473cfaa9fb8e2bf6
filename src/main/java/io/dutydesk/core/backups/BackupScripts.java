package io.dutydesk.core.backups;

import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.config.CommandTemplate;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.rollout.ActionScripts;

import java.util.List;
import java.util.Map;

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
    /**
     * The job verified its safety backup complete, printed just before {@link #SAFETY} (the same file):
     * {@code checkedEpoch mtimeEpoch bytes inFolder detail} — when (the server's clock), the file as it was then, 1 when the
     * file is directly in the safety backup's folder (so the listing knows it by folder/name), and what was checked.
     */
    public static final String SAFETY_VERIFIED = "@@SAFETYOK ";
    /** A job stopped before it changed anything (the backup changed, no space, ...): the reason follows. */
    public static final String REFUSE = "@@REFUSE ";
    /** Not enough space for the safety backup: {@code need free folder}. */
    public static final String NOSPACE = "@@NOSPACE ";
    /** A pre-restore backup removed by its retention. */
    public static final String PRUNED = "@@PRUNED ";
    /** A leftover removed: {@code path bytes}. */
    public static final String REMOVED = "@@REMOVED ";
    /** The exit code of a job that stopped before it changed anything ({@link #REFUSE}). */
    public static final int STOPPED = 3;
    /**
     * The variable that carries the database password into a restore job when the console resolved it
     * (dotenv key, keyring, prompt, the console's environment): sent on the exec's input, exported to the job
     * only, and unset before any team command runs.
     */
    public static final String SECRET_VARIABLE = "DUTYDESK_PGPASSWORD";

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
     * Verifies a backup on the server without downloading it: gzip -t, pg_restore --list and pg_restore -f /dev/null
     * (which reads every data block: a custom dump cut in its data passes --list), the plain-SQL
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
            // --list reads the table of contents only: a dump cut in its data passes it; -f /dev/null reads every block
            case "custom" -> "if ! command -v pg_restore >/dev/null; then say bad 'pg_restore is not installed on the server'; "
                    + "elif ! out=$(pg_restore --list \"$f\" 2>&1); then "
                    + "say bad \"pg_restore --list: $(printf '%s' \"$out\" | tail -n1 | sed 's/^pg_restore: //')\"; "
                    + "elif n=$(printf '%s\\n' \"$out\" | grep -vc '^;'); out=$(pg_restore -f /dev/null \"$f\" 2>&1); then "
                    + "say ok \"pg_restore read every block: $n entries\"; "
                    + "else say bad \"pg_restore -f /dev/null (reading the data): $(printf '%s' \"$out\" | tail -n1 | sed 's/^pg_restore: //')\"; fi; ";
            default -> "r=$(awk " + awk + " \"$f\"); say \"${r%% *}\" \"${r#* }\"; ";
        };
        s += "for a in sha256 md5; do if [ -f \"$f.$a\" ]; then "
                + "want=$(awk '{print $1; exit}' \"$f.$a\"); got=$(${a}sum \"$f\" | awk '{print $1}'); "
                + "if [ \"$want\" = \"$got\" ]; then say ok \"$a matches $(basename \"$f\").$a\"; "
                + "else say bad \"$a mismatch: $(basename \"$f\").$a says ${want:-nothing}, the file is $got\"; fi; fi; done";
        return s;
    }

    /** How long a leftover must have been left alone before it may be removed. */
    public static final int LEFTOVER_QUIET_MINUTES = 10;

    /** What a leftover's removal cannot see, said where it is confirmed (the window, the terminal). */
    public static final String LEFTOVER_LIMITS = "only a .part file of the SSH user's own that nothing wrote for "
            + LEFTOVER_QUIET_MINUTES + " minutes and none of the user's processes has open is removed; the processes of other users (a root or postgres "
            + "cron backup) cannot be seen, so their .part files are refused";

    /**
     * Removes one leftover {@code .part} file, under the action lock ({@code lock}: see
     * {@code ActionScripts.lockOrBusy}) so no job of a console writes it, and only if it is the SSH user's own,
     * nothing touched it for {@link #LEFTOVER_QUIET_MINUTES} minutes and no process has it open (a cron backup
     * writing it). The open check sees only the user's own processes (/proc/PID/fd of others is not readable), so
     * a file of another user — a root or postgres cron pg_dump that has waited on a lock for longer than the quiet
     * time — is refused, never guessed at. Prints {@code @@REMOVED path bytes}, or {@code @@REFUSE why} (exit {@link #STOPPED}).
     */
    public static String removeLeftover(String lock, String path) {
        String f = ShellQuote.path(path);
        return lock + "f=" + f + "; "
                + "case \"$f\" in *.part) ;; *) echo \"" + REFUSE + "not a .part file\"; exit " + STOPPED + " ;; esac; "
                + "[ -f \"$f\" ] || { echo \"" + REFUSE + "no such file (removed already?)\"; exit " + STOPPED + "; }; "
                + "u_=$(id -u); o_=$(stat -c %u \"$f\"); if [ \"$o_\" != \"$u_\" ]; then echo \"" + REFUSE
                + "owned by $(stat -c %U \"$f\") (uid $o_), not by $(id -un): a backup of another user may still be writing it, "
                + "and the processes of other users cannot be seen from here; remove it as that user\"; exit " + STOPPED + "; fi; "
                + "if [ -n \"$(find \"$f\" -mmin -" + LEFTOVER_QUIET_MINUTES + " 2>/dev/null)\" ]; then echo \"" + REFUSE
                + "written to in the last " + LEFTOVER_QUIET_MINUTES + " minutes: a backup may still be writing it\"; exit " + STOPPED + "; fi; "
                // test's -ef (same device and inode; a builtin): no readlink forked for each of the server's descriptors; a
                // shell whose test lacks -ef would match no writer: refused, never removed unseen
                + "[ \"$f\" -ef \"$f\" ] || { echo \"" + REFUSE + "this server's shell cannot compare files (test -ef): its writers "
                + "cannot be seen\"; exit " + STOPPED + "; }; "
                + "a_=$(readlink -f \"$f\"); for p_ in /proc/[0-9]*/fd/*; do if [ \"$p_\" -ef \"$f\" ]; then "
                + "q_=${p_#/proc/}; echo \"" + REFUSE + "open by process ${q_%%/*} ($(cat /proc/${q_%%/*}/comm 2>/dev/null)): it may still be written while it is open\"; exit "
                + STOPPED + "; fi; done; "
                + "b_=$(stat -c %s \"$f\"); rm -f \"$f\" && echo \"" + REMOVED + "$a_ $b_\"";
    }

    /** Prints the file's SHA-256 (first word). */
    public static String sha256(String path) {
        return "sha256sum " + ShellQuote.path(path) + " | awk '{print $1}'";
    }

    /**
     * The first words of every clean-up trap: timeout(1) sends TERM twice (to the job and to its group), and a
     * second TERM caught while the clean-up runs would end it half-way (the scratch database not dropped); then
     * it waits for the children of the interrupted pipeline (a child forked just before the TERM may still
     * create its output file after the shell's own clean-up ran).
     */
    static final String IGNORE_SIGNALS = "trap \"\" TERM INT HUP; wait; ";

    /**
     * Sets {@code h_} to the running job's tag (the 8 hex digits that end its action id, from
     * {@link ActionScripts#ACTION_VARIABLE}) and {@code a_} to its state folder's actions, and defines {@code ours_ TAG}:
     * whether TAG is the tag of an action of this state folder. What a job leaves behind (a .part, a scratch database)
     * carries its tag, so a later job removes only what a job of its own lock left — never what another console, with
     * another state folder and so another lock, is still writing. Exits 1 outside a job.
     */
    static final String JOB_TAG = "h_=${" + ActionScripts.ACTION_VARIABLE + "##*-}; a_=${" + ActionScripts.ACTION_VARIABLE + "%/*}; "
            + "case \"$h_\" in " + "[0-9a-f]".repeat(8) + ") ;; *) echo '✖ not run as a dutydesk job (" + ActionScripts.ACTION_VARIABLE
            + " does not name an action): nothing done'; exit 1 ;; esac; "
            + "ours_() { case \"$1\" in " + "[0-9a-f]".repeat(8) + ") ;; *) return 1 ;; esac; "
            + "for m_ in \"$a_\"/*-\"$1\".meta; do [ -f \"$m_\" ] && return 0; done; return 1; }; ";

    /** Whether the job needs the password sent to it (the server cannot read it itself: not a server file, not ~/.pgpass). */
    public static boolean secretSent(SecretRef ref) {
        return !(ref instanceof SecretRef.None) && !(ref instanceof SecretRef.ServerFile);
    }

    /**
     * libpq's connection options for the environment's database (as seen from the server), with its password: a
     * server file is read on the server; a password the console resolved comes from {@link #SECRET_VARIABLE}.
     */
    static String pgEnv(Environment.Postgres pg) {
        String s = "export PGHOST=" + ShellQuote.quote(pg.host()) + " PGPORT=" + pg.port() + " PGUSER=" + ShellQuote.quote(pg.user()) + "; ";
        if (pg.password() instanceof SecretRef.ServerFile f) {
            s += "PGPASSWORD=$(cat " + ShellQuote.path(f.path()) + ") || exit 1; export PGPASSWORD; ";
        } else if (secretSent(pg.password())) {
            s += "[ -n \"${" + SECRET_VARIABLE + ":-}\" ] || { echo '✖ the database password (" + pg.password().describe().replace("'", "")
                    + ") did not reach the job'; exit 1; }; PGPASSWORD=$" + SECRET_VARIABLE + "; export PGPASSWORD; ";
        }
        return s; // None: the server's ~/.pgpass
    }

    /** A team's configured command, run without the console's secret in its environment. */
    static String teamCommand(String command) {
        return "( unset " + SECRET_VARIABLE + "; " + command + "\n)";
    }

    /**
     * Stops the job ({@link #REFUSE}, exit {@link #STOPPED}) unless {@code path} still has the size and
     * modification time (epoch seconds) the console checked: the backup verified is the backup restored.
     */
    static String unchanged(String path, long size, long mtimeEpoch) {
        String want = size + " " + mtimeEpoch;
        return "now_=$(stat -c '%s %Y' " + ShellQuote.path(path) + " 2>/dev/null); if [ \"$now_\" != '" + want + "' ]; then echo \""
                + REFUSE + "the backup changed since the console checked it (size and time now: ${now_:-no such file}; checked: "
                + want + "); nothing was restored\"; exit " + STOPPED + "; fi; ";
    }

    /**
     * Stops the job ({@link #NOSPACE}, exit {@link #STOPPED}) unless the volume of {@code folderWord} has at
     * least the database's size free: a safety backup that fills the disk in an emergency is worse than none.
     * Needs {@link #pgEnv}.
     */
    static String spaceGuard(Environment.Postgres pg, String folderWord) {
        // an assignment expands a leading ~ (spliced into a message mid-word it would stay a literal "~/…")
        return "sp_=" + folderWord + "; "
                + "need_=$(psql -X -qtA -v ON_ERROR_STOP=1 -d " + ShellQuote.quote(pg.database())
                + " -c 'SELECT pg_database_size(current_database())') && [ -n \"$need_\" ] "
                + "|| { echo '✖ could not read the size of the database " + pg.database().replace("'", "")
                + " for the safety backup: nothing restored'; exit 1; }; "
                + "free_=$(df -P -B1 \"$sp_\" 2>/dev/null | awk 'NR==2{print $4}'); "
                + "[ -n \"$free_\" ] || { echo \"✖ could not read the free space of $sp_: nothing restored\"; exit 1; }; "
                + "if [ \"$need_\" -gt \"$free_\" ]; then echo \"" + NOSPACE + "$need_ $free_ $sp_\"; "
                + "echo \"✖ the safety backup needs up to $need_ bytes (the size of the database) and $sp_ has $free_ bytes free: "
                + "nothing written, nothing restored\"; exit " + STOPPED + "; fi; "
                + "echo \"free space for the safety backup: $free_ bytes in $sp_ (the database is $need_ bytes)\"; ";
    }

    /** Sets {@code r_} to "ok …" or "bad …": whether the file named by {@code $p_} is a complete dump (by its extension). */
    static String completeCheck() {
        String awk = ShellQuote.quote(SQL_STRUCTURE_AWK);
        return "case \"$p_\" in "
                + "*.dump) if out_=$(pg_restore -f /dev/null \"$p_\" 2>&1); then r_='ok pg_restore read every block'; "
                + "else r_=\"bad pg_restore -f /dev/null (reading the data): $(printf '%s' \"$out_\" | tail -n1 | sed 's/^pg_restore: //')\"; fi ;; "
                + "*.gz) " + gzipDumpCheck("\"$p_\"") + " ;; "
                + "*) r_=$(awk " + awk + " \"$p_\") ;; esac; ";
    }

    /**
     * Sets {@code r_} for a gzipped plain dump ({@code fileWord}: one shell word): gzip -t first — gzip -dc writes out
     * everything and only then finds a broken CRC, so the dump inside looks complete — then pg_dump's structure.
     */
    static String gzipDumpCheck(String fileWord) {
        return "if out_=$(gzip -t " + fileWord + " 2>&1); then r_=$(gzip -dc " + fileWord + " 2>/dev/null | awk "
                + ShellQuote.quote(SQL_STRUCTURE_AWK) + "); "
                + "else r_=\"bad gzip -t: $(printf '%s' \"$out_\" | tail -n1 | sed 's/^gzip: //')\"; fi";
    }

    /**
     * The built-in pre-restore safety backup into {@code folder}: the free space checked against the
     * database's size first; pg_dump (--clean, so it restores over the live database) streamed through gzip
     * into dutydesk_prerestore_STAMP.sql.gz.TAG.part (TAG: the job's, {@link #JOB_TAG}), both exit codes checked (sh
     * has no pipefail), then verified intact and complete (gzip -t, pg_dump's completion footer), renamed without
     * ever replacing a file (a second one of the same second gets {@code _2}, …), given a .sha256 sidecar;
     * pre-restore backups older than {@code retentionDays} are pruned ({@code @@PRUNED path}). Prints
     * {@code @@SAFETY path bytes}; exits {@link #STOPPED} when refused (no space), non-zero when it failed; a killed
     * one leaves no .part (SIGKILL aside: the next one of this state folder removes it).
     */
    public static String builtinSafetyBackup(Environment.Postgres pg, String folder, int retentionDays) {
        return "( " + pgEnv(pg) + JOB_TAG + "cd " + ShellQuote.path(folder) + " || exit 1; "
                // a .part of a job of this state folder is what a killed one left (inside the lock none runs; SIGKILL runs
                // no trap); another console's (another state folder, another lock) may be being written: left alone
                + "for o_ in dutydesk_prerestore_*.part dutydesk_prerestore_*.rc; do [ -f \"$o_\" ] || continue; x_=${o_%.*}; "
                + "ours_ \"${x_##*.}\" && rm -f \"$o_\" && echo \"removed $o_, left by a safety backup that was killed\"; done; "
                + spaceGuard(pg, "\"$PWD\"")
                + "ts_=$(date -u +%Y%m%d_%H%M%S); i_=1; n=dutydesk_prerestore_$ts_.sql.gz; "
                + "while [ -e \"$n\" ]; do i_=$((i_+1)); n=dutydesk_prerestore_${ts_}_$i_.sql.gz; done; w_=$n.$h_; "
                + "trap '" + IGNORE_SIGNALS + "rm -f \"$w_.part\" \"$w_.rc\"' EXIT; trap 'exit 143' TERM INT HUP; "
                + "echo \"Pre-restore safety backup into $(pwd)/$n ...\"; "
                + "{ pg_dump -d " + ShellQuote.quote(pg.database()) + " --clean --if-exists --no-owner; echo $? > \"$w_.rc\"; } "
                + "| gzip -c > \"$w_.part\"; g_=$?; d_=$(cat \"$w_.rc\" 2>/dev/null); "
                + "if [ \"$d_\" != 0 ] || [ \"$g_\" != 0 ]; then echo \"✖ the safety backup failed (pg_dump exit ${d_:-none}, "
                + "gzip exit $g_): nothing restored\"; exit 1; fi; "
                + gzipDumpCheck("\"$w_.part\"") + "; "
                + "case \"$r_\" in ok*) ;; *) echo \"✖ the safety backup is not complete: ${r_#* }: nothing restored\"; exit 1 ;; esac; "
                // mv -n never replaces a file (one written meanwhile by another console): then the next free name
                + "until mv -n \"$w_.part\" \"$n\" 2>/dev/null; [ ! -e \"$w_.part\" ]; do "
                + "[ -e \"$n\" ] || { echo '✖ could not keep the safety backup: nothing restored'; exit 1; }; "
                + "i_=$((i_+1)); n=dutydesk_prerestore_${ts_}_$i_.sql.gz; done; "
                + "sha256sum \"$n\" > \"$n.sha256\" || { echo '✖ could not keep the safety backup: nothing restored'; exit 1; }; "
                + "echo \"✔ safety backup verified complete: $(pwd)/$n ($(stat -c %s \"$n\") bytes; ${r_#* })\"; "
                + prune(retentionDays)
                + "echo \"" + SAFETY_VERIFIED + "$(date -u +%s) $(stat -c '%Y %s' \"$n\") 1 gzip -t: intact; ${r_#* }\"; "
                + "echo \"" + SAFETY + "$(pwd)/$n $(stat -c %s \"$n\")\" )";
    }

    private static final String STAMP = "[0-9]".repeat(8) + "_" + "[0-9]".repeat(6);

    /** In the current folder: removes the console's own pre-restore backups (and sidecars) older than the retention, never $n. */
    static String prune(int retentionDays) {
        return "cut_=$(date -u -d \"@$(( $(date -u +%s) - " + retentionDays + " * 86400 ))\" +%Y%m%d_%H%M%S 2>/dev/null); "
                + "[ -n \"$cut_\" ] && for o_ in dutydesk_prerestore_*.sql.gz; do [ -f \"$o_\" ] && [ \"$o_\" != \"$n\" ] || continue; "
                + "s_=${o_#dutydesk_prerestore_}; s_=${s_%.sql.gz}; "
                + "case \"$s_\" in " + STAMP + "|" + STAMP + "_[0-9]*) ;; *) continue ;; esac; s_=${s_%\"${s_#" + "?".repeat(15) + "}\"}; "
                + "if [ \"$s_\" \\< \"$cut_\" ]; then rm -f \"$o_\" \"$o_.sha256\" && echo \"" + PRUNED + "$(pwd)/$o_\" "
                + "&& echo \"pruned $o_ (pre-restore backups are kept " + retentionDays + " days)\"; fi; done; ";
    }

    /**
     * A team's configured safety backup ({@code backups.commands.safetyBackup}, {@code {folder}} filled in), run
     * by bash with errexit and pipefail (a failed pg_dump in {@code pg_dump | gzip > f; echo done} fails it),
     * after the free-space check.
     * It must name the file it wrote: a {@code @@SAFETY path} line (the rest of the line; if that is no file, its first
     * word), else the last absolute path it printed (split at blanks: a path with spaces needs the marker line) that
     * is a file written since it started — its modification time not older than a mark made before it started, to
     * the precision its file system keeps — and that file is then verified intact and complete. Prints
     * {@code @@SAFETY path bytes}.
     */
    public static String configuredSafetyBackup(Environment.Postgres pg, String template, String folder) {
        String command = CommandTemplate.fill("backups.commands.safetyBackup", template, Map.of(CommandTemplate.FOLDER, folder));
        String marker = SAFETY.strip();
        return "( ( " + pgEnv(pg) + spaceGuard(pg, ShellQuote.path(folder)) + ") || exit $?; "
                + "command -v bash >/dev/null 2>&1 || { echo '✖ bash is needed to run backups.commands.safetyBackup with pipefail: nothing restored'; exit 1; }; "
                + "o_=$(mktemp) || exit 1; trap '" + IGNORE_SIGNALS + "rm -f \"$o_\" \"$o_.rc\" \"$o_.t\"' EXIT; trap 'exit 143' TERM INT HUP; "
                // the mark: its time as the file system keeps it (nanoseconds where it can), in UTC so that strings compare
                + ": > \"$o_.t\" && m_=$(TZ=UTC0 stat -c %y \"$o_.t\") || exit 1; "
                // written since the mark: compared to the nanosecond, or to the second where the file's file system keeps only seconds
                + "new_() { t_=$(TZ=UTC0 stat -c %y \"$1\" 2>/dev/null) || return 1; case \"$t_\" in *.000000000\\ *) "
                + "! [ \"${t_%%.*}\" \\< \"${m_%%.*}\" ] ;; *) ! [ \"$t_\" \\< \"$m_\" ] ;; esac; }; "
                + "echo 'Pre-restore safety backup (backups.commands.safetyBackup) ...'; "
                + "( unset " + SECRET_VARIABLE + "; bash -e -o pipefail -c " + ShellQuote.quote(command + "\n") + "; echo $? > \"$o_.rc\" ) 2>&1 "
                + "| tee \"$o_\" | grep -v '^" + marker + "'; "
                + "c_=$(cat \"$o_.rc\" 2>/dev/null); [ \"$c_\" = 0 ] || { echo \"✖ the safety backup command exited ${c_:-without an exit code}: nothing restored\"; exit 1; }; "
                + "p_=$(sed -n 's/^" + marker + " //p' \"$o_\" | tail -n 1 | sed 's/[[:space:]]*$//'); "
                + "[ -n \"$p_\" ] && [ ! -f \"$p_\" ] && [ -f \"${p_%% *}\" ] && p_=${p_%% *}; "
                // never a word of the output spliced into the shell: read line by line, no glob, no split
                + "if [ -z \"$p_\" ]; then p_=$(tr -s ' \\t()\"' '\\n' < \"$o_\" | grep '^/' | while IFS= read -r w_; do "
                + "[ -f \"$w_\" ] && new_ \"$w_\" && printf '%s\\n' \"$w_\"; done | tail -n 1); fi; "
                + "[ -n \"$p_\" ] || { echo '✖ the safety backup command did not name the file it wrote (print its path, or a line "
                + "\"@@SAFETY PATH\" — a path with spaces needs that line): nothing restored'; exit 1; }; "
                + "[ -f \"$p_\" ] && new_ \"$p_\" || { echo \"✖ the safety backup command named $p_, which it did not write: nothing restored\"; exit 1; }; "
                + completeCheck()
                + "case \"$r_\" in ok*) ;; *) echo \"✖ the safety backup $p_ is not complete: ${r_#* }: nothing restored\"; exit 1 ;; esac; "
                + "echo \"✔ safety backup verified complete: $p_ ($(stat -c %s \"$p_\") bytes; ${r_#* })\"; "
                + "in_=0; [ \"$(cd \"$(dirname \"$p_\")\" 2>/dev/null && pwd -P)\" = \"$(cd " + ShellQuote.path(folder)
                + " 2>/dev/null && pwd -P)\" ] && in_=1; "
                + "echo \"" + SAFETY_VERIFIED + "$(date -u +%s) $(stat -c '%Y %s' \"$p_\") $in_ ${r_#* }\"; "
                + "echo \"" + SAFETY + "$p_ $(stat -c %s \"$p_\")\" )";
    }

    /**
     * Restores {@code path} into {@code database}: plain SQL (gzipped or not) through {@link #RESTORE_GUARD} into psql,
     * committed only when the whole dump arrived; pg_restore in one transaction for custom dumps.
     */
    public static String builtinRestore(Environment.Postgres pg, String path, String format, String database) {
        return "( " + pgEnv(pg) + restoreInto(path, format, ShellQuote.quote(database)) + " )";
    }

    /**
     * The guard between a plain dump's reader and psql (awk, {@code -v k=TOKEN}; the reader prints a newline and the
     * line TOKEN after it exited 0: the newline ends a last line that had none, and the guard, one line behind,
     * drops it when it was an empty line of its own — inside a cut COPY block it would be a row). psql is never asked to commit what did not arrive whole: psql treats the end of its input
     * as the end of a COPY's data and {@code --single-transaction} commits at the end of input, so a reader that
     * died mid-stream (sh has no pipefail) committed half a database. So the transaction is the guard's: it sends
     * {@code BEGIN} first and {@code COMMIT} only when pg_dump's completion footer was the last thing in the dump
     * (comments, blank lines and {@code unrestrict} aside) and the reader's TOKEN line followed; then
     * {@code SELECT 'TOKEN'}, the proof the commit ran. Anything else — cut inside a COPY block (the block is ended
     * with {@code \.}), cut between statements or inside one, the reader failed after the footer — ends the stream
     * with an exception, so ON_ERROR_STOP stops psql and nothing is committed; a guard that dies itself sends no
     * COMMIT, and PostgreSQL rolls back when psql leaves.
     */
    static final String RESTORE_GUARD = """
            BEGIN { print "BEGIN;" }
            $0 == k { s = 1; if (held && h != "") print h; held = 0; next }
            { if (held) print h; h = $0; held = 1; s = 0 }
            c { if ($0 == "\\\\.") c = 0; next }
            /^COPY .* FROM stdin;$/ { c = 1; ok = 0; next }
            /^-- PostgreSQL database dump complete/ { ok = 1; next }
            /^--/ || /^[ \\t\\r]*$/ || /^\\\\unrestrict / { next }
            { ok = 0 }
            END {
              if (held) print h;
              if (ok && s) { print "COMMIT;"; print "SELECT '" k "';"; exit 0 }
              if (c) print "\\\\.";
              why = ok ? "reading the backup failed after pg_dump's completion footer" \\
                : "the backup ended before pg_dump's completion footer (cut short, or reading it failed)";
              print "✖ " why ": nothing is committed" > "/dev/stderr";
              gsub(/'/, "''", why);
              print "DO $dutydesk_guard$ BEGIN RAISE EXCEPTION 'dutydesk: %', '" why "'; END $dutydesk_guard$;";
            }""";

    /** What follows the guard's output when the guard itself failed: ends a COPY block if one is open, then an error. */
    private static final String GUARD_FAILED = "DO $dutydesk_guard$ BEGIN RAISE EXCEPTION 'dutydesk: the restore guard failed: nothing restored'; END $dutydesk_guard$;";

    /** {@code dbWord}: the target database as one shell word (quoted, or a "$VAR"). */
    private static String restoreInto(String path, String format, String dbWord) {
        String f = ShellQuote.path(path);
        String head = "T=" + dbWord + "; echo \"Restoring $(basename " + f + ") into $T ...\"; ";
        if (format.equals("custom")) {
            return head + "pg_restore --clean --if-exists --no-owner --single-transaction -d \"$T\" " + f + " && echo \"✔ restore into $T completed\"";
        }
        String reader = format.equals("gzip") ? "gzip -dc " + f : "cat " + f;
        return head + (format.equals("gzip") ? "gzip -t " + f + " && " : "[ -r " + f + " ] && ")
                + "{ k_=dutydesk-end-$$-$(od -An -N8 -tx1 /dev/urandom 2>/dev/null | tr -dc 0-9a-f); "
                + "o_=$( { " + reader + " && printf '\\n%s\\n' \"$k_\"; } | { awk -v k=\"$k_\" " + ShellQuote.quote(RESTORE_GUARD)
                + " || printf '\\n\\\\.\\n%s\\n' " + ShellQuote.quote(GUARD_FAILED) + "; } "
                + "| psql -X -q -tA -v ON_ERROR_STOP=1 -d \"$T\" ); p_=$?; "
                + "case \"$p_:$o_\" in 0:*\"$k_\") echo \"✔ restore into $T completed\" ;; "
                + "*) echo \"✖ the restore into $T did not complete (psql exit $p_): nothing was committed, $T is as it was\"; false ;; esac; }";
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
     * The built-in scratch restore: creates a scratch database named after the job
     * ({@code BASE_scratch_STAMP_TAG}, {@link #JOB_TAG}), restores {@code path} into it, prints the row counts of every
     * table in it and in the live database, and drops it (also on failure).
     */
    public static String builtinScratchRestore(Environment.Postgres pg, String path, String format) {
        String base = scratchBase(pg);
        String drop = "{ dropdb --force --if-exists \"$S\" 2>/dev/null || dropdb --if-exists \"$S\"; }";
        return "( " + pgEnv(pg) + JOB_TAG + dropLeftoverScratch(pg)
                + "S=" + base + "_scratch_$(date -u +%Y%m%d%H%M%S)_$h_; "
                + "createdb -T template0 \"$S\" || { echo '✖ could not create the scratch database'; exit 1; }; "
                // killed (TERM from the bound, INT, HUP) or ended: the scratch database goes; a SIGKILLed job's is dropped by the next one
                + "trap '" + IGNORE_SIGNALS + drop + " && echo \"scratch database $S dropped\"' EXIT; trap 'exit 143' TERM INT HUP; "
                + "echo \"scratch database $S created\"; "
                + "( " + restoreInto(path, format, "\"$S\"") + " ) || exit 1; "
                + counts("\"$S\"", "scratch") + "; "
                + counts(ShellQuote.quote(pg.database()), "live") + " )";
    }

    /** The scratch databases' prefix: the database's name when it is short and plain (the name stays within PostgreSQL's 63 bytes). */
    static String scratchBase(Environment.Postgres pg) {
        return pg.database().matches("[A-Za-z0-9_]{1,31}") ? pg.database() : "dutydesk";
    }

    /** The prefix scratch databases had before they carried their job's tag. */
    static String untaggedScratchBase(Environment.Postgres pg) {
        return pg.database().matches("[A-Za-z0-9_]{1,40}") ? pg.database() : "dutydesk";
    }

    /**
     * Drops the scratch databases that killed scratch restores of this state folder left (SIGKILL runs no trap): those
     * whose tag is a job of this state folder ({@link #JOB_TAG}) — inside the lock, so none of them runs. A scratch
     * database of another console (another state folder, another lock: it may be restoring into it right now) is left
     * alone, and one named before scratch databases carried their job is dropped only while nobody is connected to it.
     */
    static String dropLeftoverScratch(Environment.Postgres pg) {
        String sql = "SELECT datname FROM pg_database WHERE datname ~ '^(" + scratchBase(pg) + "_scratch_[0-9]{14}_[0-9a-f]{8}|"
                + untaggedScratchBase(pg) + "_scratch_[0-9]{14})$'";
        return "for o_ in $(psql -X -qtA -d " + ShellQuote.quote(pg.database()) + " -c " + ShellQuote.quote(sql) + " 2>/dev/null); do "
                + "case \"$o_\" in *_scratch_" + "[0-9]".repeat(14) + ") "
                + "if dropdb --if-exists \"$o_\" 2>/dev/null; then echo \"dropped the scratch database $o_ left by a scratch restore that was killed\"; "
                + "else echo \"left the scratch database $o_: in use (by a console from before scratch databases named their job?)\"; fi ;; "
                + "*) if ours_ \"${o_##*_}\"; then { dropdb --force --if-exists \"$o_\" 2>/dev/null || dropdb --if-exists \"$o_\"; } "
                + "&& echo \"dropped the scratch database $o_ left by a scratch restore that was killed\"; "
                + "else echo \"left the scratch database $o_: not made by a job of this console's state folder (another console's scratch "
                + "restore may be using it)\"; fi ;; esac; done; ";
    }
}
