package io.dutydesk.core.rollout;

import io.dutydesk.core.ServerBound;
import io.dutydesk.core.ShellQuote;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shell the console sends to run an action detached on the server, under the server-side
 * lock, and to follow its output. Pure text: every value from the user, the config or the
 * server that is not itself a configured command is quoted; action ids are checked against
 * {@link #ID} before they reach a shell.
 *
 * <p>Server layout under the state folder (default ~/.dutydesk, created 0700):
 * {@code action.lock} (the lock: {@code flock(1)} on this file), {@code action.holder} (the id of the action
 * that took it, informational), {@code actions/ID.meta|.log|.start|.pid|.exit}.
 *
 * <p>Whether a job still runs: no exit file, its pid alive, and that pid's start time (field 22 of
 * {@code /proc/PID/stat}, recorded in {@code .start} before {@code .pid}) the job's own — a pid reused by another
 * process after the job was killed is not the job ({@link #ALIVE}).
 *
 * <p>The lock: the starting shell opens {@code action.lock} on fd 9 and takes {@code flock -n} on it —
 * atomic, so of many simultaneous starts exactly one wins. The detached job inherits fd 9 and
 * keeps the lock for as long as it lives; the configured command runs with fd 9 closed. So the
 * lock is released only by its holder, when it ends — even when it is killed (the kernel drops
 * the lock with the last descriptor): there is no stale lock to break, and nobody else may break it.
 *
 * <p>The precondition (e.g. "the live slot is still blue") runs inside the job, so inside the
 * lock, before the configured command: if it does not hold, the command is not run, the log gets
 * a {@link #REFUSED} line and the exit file says {@code refused}.
 */
public final class ActionScripts {
    public static final String STARTED = "@@DUTYDESK-STARTED ";
    public static final String BUSY = "@@DUTYDESK-BUSY ";
    public static final String EXIT = "@@DUTYDESK-EXIT ";
    public static final String IDLE = "@@DUTYDESK-IDLE";
    public static final String REFUSED = "@@DUTYDESK-REFUSED ";
    public static final String STATE = "@@DUTYDESK-STATE ";

    /** What the exit file holds when the precondition failed and the command was not run. */
    public static final String EXIT_REFUSED = "refused";
    /**
     * What the exit file holds when the job never started: a console completing an open entry found no trace of its request
     * and marked it so under the lock ({@link #states}); a start of that id that comes late finds it and runs nothing.
     */
    public static final String EXIT_NEVER = "never";
    /** What {@link #follow} prints when the job ended without an exit file (killed). */
    public static final String EXIT_NONE = "none";

    /** Action ids: "20260101-120000-rollback-0a1b2c3d". Anything else read from the server is refused. */
    public static final Pattern ID = Pattern.compile("[0-9]{8}-[0-9]{6}-[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9a-f]{8}");
    /** Action names (a part of the id): "rollback", "backup-now". */
    public static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /**
     * The variable a job's command finds its action's path prefix in ({@code STATE/actions/ID}): e.g. the scratch
     * restore names its database after the action, so that a later job can tell whose it was.
     */
    public static final String ACTION_VARIABLE = "DUTYDESK_ACTION";

    /** {@code st_ PID}: prints the process's start time (clock ticks after boot, field 22 of /proc/PID/stat; the name in field 2 may hold anything). */
    static final String START_TIME = "st_() { l_=; read -r l_ 2>/dev/null < \"/proc/$1/stat\" || return 1; l_=${l_##*\\) }; set -- $l_; "
            + "[ -n \"${20:-}\" ] && printf '%s\\n' \"${20}\"; }; ";

    /**
     * {@code left_ SID [PID]}: prints "pid (name)" of each live process of session {@code SID} (zombies not counted),
     * space-separated, leaving out {@code PID} and its direct children: what of a job still runs. Only the process
     * name is printed (never its command line: a job's shell's command line is the whole job). Builtins and pgrep only:
     * a caller in the session that runs it in a command substitution (a child of PID) does not count itself, pgrep never
     * names itself, and the subshell that ran pgrep has ended before the processes it named are checked.
     */
    static final String LEFT = "left_() { ls_=$1; lx_=${2:-}; lo_=; lk_=2; "
            // pgrep -s names the session's processes (never itself) in ~15 ms where reading every /proc/N/stat with builtins
            // takes ~40 ms on a host with 150 processes: the end of every job waits for this. Each one it names is read and
            // checked as the full scan checks it (a pid gone or given to another process since is not counted); pgrep missing
            // or failing (exit 2, 3; or anything but pids in its answer — a pgrep without -s prints its usage, exit 1): the full scan
            + "if command -v pgrep >/dev/null 2>&1; then lq_=$(pgrep -s \"$ls_\" 2>&1); lk_=$?; "
            + "if [ $lk_ -eq 1 ] && [ -n \"$lq_\" ]; then lk_=2; fi; for lv_ in $lq_; do case $lv_ in *[!0-9]*) lk_=2 ;; esac; done; fi; "
            + "case $lk_ in 0) set --; for lv_ in $lq_; do set -- \"$@\" \"/proc/$lv_/stat\"; done ;; 1) set -- ;; "
            + "*) set -- /proc/[0-9]*/stat ;; esac; for lf_ in \"$@\"; do lr_=; "
            + "read -r lr_ 2>/dev/null < \"$lf_\" || continue; lp_=${lr_%% *}; lc_=${lr_#*\\(}; lc_=${lc_%\\)*}; lr_=${lr_##*\\) }; "
            + "set -- $lr_; [ \"${4:-}\" = \"$ls_\" ] && [ \"$1\" != Z ] && [ \"$lp_\" != \"$lx_\" ] && [ \"$2\" != \"$lx_\" ] "
            + "&& lo_=\"$lo_${lo_:+, }$lp_ ($lc_)\"; done; [ -n \"$lo_\" ] && printf '%s\\n' \"$lo_\"; }; ";

    /**
     * {@code rd_ FILE}: the first line of a one-line file of ours into {@code r_} (empty if it cannot be read), by
     * the shell's own {@code read}: no {@code cat} started (each a fork and an exec: ~5 ms on a loaded host, and a
     * start or a follow reads several). False when the file gave nothing.
     */
    static final String READ = "rd_() { r_=; read -r r_ 2>/dev/null < \"$1\"; [ -n \"$r_\" ]; }; ";

    /**
     * The file a job writes before its exit file once it saw nothing of its session run any more: then an ended job is over
     * without a scan of every process. An exit file without it (a job that let the lock go though what its command left
     * still ran, a refusal after its checks, a job of an earlier version that wrote none) is asked of every process.
     */
    public static final String CLEAR_FILE = ".clear";

    /**
     * The file a job holds an exclusive lock on (flock) for as long as its shell runs, taken before its pid is written:
     * a follower blocks on a shared lock of it and so sees the job's end at once without looking every 10 ms (each look
     * a fork beside the action on a loaded host). A job of an earlier version has none: followed as before.
     */
    public static final String RUN_FILE = ".run";

    /**
     * {@code shell_ PREFIX}: whether the job's own shell ({@code PREFIX.pid}) is alive — its pid signalable by us and,
     * when the job recorded it ({@code PREFIX.start}), started when the job did: a pid the system gave to another
     * process after the job died is not the job. {@code alive_ PREFIX}: whether anything of the job still runs —
     * its shell (until its exit file is written), or any process of its session ({@code PREFIX.sid}: the job is a
     * session leader, setsid) though its shell is gone: a team's script whose shell was killed (kill -9) goes on in
     * its children, which hold no lock of their own. A pid in the session cannot be given to another process while
     * any process of the session lives; once the shell's pid belongs to another process, the session is over.
     */
    static final String ALIVE = START_TIME + LEFT + READ
            + "shell_() { rd_ \"$1.pid\" && p_=$r_ && [ -n \"$p_\" ] && kill -0 \"$p_\" 2>/dev/null || return 1; "
            + "[ -f \"$1.start\" ] || return 0; rd_ \"$1.start\"; [ \"$(st_ \"$p_\")\" = \"$r_\" ]; }; "
            // an exit file with a CLEAR_FILE: the job saw nothing of its session run before writing it (a session gains
            // processes only by a fork of one of its own): over, without a scan of every process
            + "alive_() { if [ -f \"$1.exit\" ]; then [ -f \"$1" + CLEAR_FILE + "\" ] && return 1; elif shell_ \"$1\"; then return 0; fi; "
            + "rd_ \"$1.pid\"; q_=$r_; [ -n \"$q_\" ] && [ -f \"$1.sid\" ] || return 1; "
            + "if [ -e \"/proc/$q_\" ] && [ -f \"$1.start\" ] && rd_ \"$1.start\" && [ \"$(st_ \"$q_\")\" != \"$r_\" ]; then return 1; fi; "
            + "rd_ \"$1.sid\"; [ -n \"$(left_ \"$r_\" \"$q_\")\" ]; }; "
            // held_ PREFIX: a HELD line saying what still runs when the job's shell is gone (nothing while the shell runs)
            + "held_() { [ ! -f \"$1.exit\" ] && shell_ \"$1\" && return 0; [ -f \"$1.sid\" ] || return 0; "
            + "if [ -f \"$1.exit\" ]; then hw_=\"it exited $(cat \"$1.exit\" 2>/dev/null)\"; else hw_='its shell ended without an exit code (killed?)'; fi; "
            + "rd_ \"$1.pid\"; hp_=$r_; rd_ \"$1.sid\"; hl_=$(left_ \"$r_\" \"$hp_\"); "
            + "[ -n \"$hl_\" ] && echo \"" + "@@DUTYDESK-HELD " + "$hw_, but what it started still runs: $hl_\"; return 0; }; ";

    /** What {@link #start} and {@link #current} print after BUSY when the holder's shell is gone but its processes run. */
    public static final String HELD = "@@DUTYDESK-HELD ";

    private ActionScripts() {}

    /**
     * A check run on the server inside the lock, before the command: {@code command} (run in
     * the workdir) must print something where {@code pattern}'s first group, lower-cased, is
     * {@code expected}. The pattern is the environment's Java regex; the server matches it with
     * perl (the same syntax for what a live-slot pattern needs), passed in the environment, never
     * spliced into code.
     *
     * @param what e.g. "live" — the refusal reads "state changed since you confirmed: live is now X"
     * @param next  a further check that must hold too (checked after this one), see {@link #and}
     */
    public record Precondition(String command, Pattern pattern, String expected, String what, Optional<Precondition> next) {
        public Precondition(String command, Pattern pattern, String expected, String what) {
            this(command, pattern, expected, what, Optional.empty());
        }

        /** This check and then {@code other}: the command runs only if all hold. */
        public Precondition and(Precondition other) {
            return new Precondition(command, pattern, expected, what, Optional.of(next.map(n -> n.and(other)).orElse(other)));
        }

        /** This check and those after it, in order. */
        public List<Precondition> all() {
            List<Precondition> out = new java.util.ArrayList<>();
            for (Optional<Precondition> p = Optional.of(this); p.isPresent(); p = p.get().next()) {
                out.add(p.get());
            }
            return out;
        }
    }

    /**
     * How long each check inside the lock may take (a Docker that does not answer): then the action is refused. The server's
     * environment may set DUTYDESK_CHECK_SECONDS (tests do). {@link ServerBound#CHECK_SECONDS}, as every read of the state.
     */
    public static final int CHECK_SECONDS = ServerBound.CHECK_SECONDS;

    /** What {@link #slotHealthy}'s command prints: "slot-health: healthy" or "slot-health: unhealthy (NAME: CONDITION, …)". */
    static final Pattern SLOT_HEALTH = Pattern.compile("(?m)^slot-health: (.+)$");

    /**
     * The check that slot {@code slot}'s containers are all healthy (or running without a healthcheck), as
     * Docker on the server says inside the lock: e.g. the target of a switch or rollback, which must still
     * be what the user confirmed ("green 4/4 healthy"). A container that is missing, stopped, starting or
     * unhealthy refuses it: "state changed since you confirmed: the green slot is now unhealthy
     * (selfology-analysis-worker-green: unhealthy); nothing was run" — the same words and conditions as
     * {@link io.dutydesk.core.slots.SlotState#problems}. Containers are found as the slots reader finds
     * them: by the environment's labels when it names them, else by the container-name convention.
     */
    public static Precondition slotHealthy(io.dutydesk.core.config.Environment env, String slot) {
        var slots = env.slots();
        boolean labels = !slots.slotLabel().isEmpty() && !slots.serviceLabel().isEmpty();
        StringBuilder b = new StringBuilder();
        b.append("DOCKER_HOST=").append(ShellQuote.quote("unix://" + env.docker().socket())).append("; export DOCKER_HOST; ");
        // one docker call for the whole slot (each call is a Go program started and an API round trip: inside the lock,
        // on every switch and rollback): "KEY<tab>STATUS[ HEALTH]" per container found, KEY its name or its service label
        String key = labels ? "{{index .Config.Labels " + ShellQuote.goString(slots.serviceLabel()) + "}}" : "{{.Name}}";
        String format = ShellQuote.quote(key + "\t{{.State.Status}}{{if .State.Health}} {{.State.Health.Status}}{{end}}");
        if (labels) { // the slot's containers by its label, newest first (as the slots reader finds them)
            b.append("i_=$(docker ps -aq --filter ").append(ShellQuote.quote("label=" + slots.slotLabel() + "=" + slot))
                    .append(" 2>/dev/null) || { echo \"docker on the server does not answer\"; exit 0; }; ")
                    .append("o_=; [ -z \"$i_\" ] || o_=$(docker inspect --format ").append(format).append(" $i_ 2>/dev/null); ");
        } else {
            b.append("o_=$(docker inspect --format ").append(format);
            for (String service : slots.services()) {
                b.append(' ').append(ShellQuote.quote(slots.container(service, slot)));
            }
            // nothing found: every container missing, or no Docker to ask — told apart only then
            b.append(" 2>/dev/null); [ -n \"$o_\" ] || docker version >/dev/null 2>&1 || { echo \"docker on the server does not answer\"; exit 0; }; ");
        }
        // c_ NAME KEY: the first line of KEY (builtins only), else missing; a condition other than healthy or running is named
        b.append("b_=; t_='\t'; n_='\n'; c_() { s_=missing; set -f; oi_=$IFS; IFS=$n_; for l_ in $o_; do case \"$l_\" in ")
                .append("\"$2$t_\"*) s_=${l_#*\"$t_\"}; break ;; esac; done; IFS=$oi_; set +f; case \"$s_\" in \"running healthy\"|running) ;; ")
                .append("\"running \"*) b_=\"$b_${b_:+, }$1: ${s_#running }\" ;; *) b_=\"$b_${b_:+, }$1: ${s_%% *}\" ;; esac; }; ");
        for (String service : slots.services()) {
            String name = slots.container(service, slot);
            b.append("c_ ").append(ShellQuote.quote(name)).append(' ').append(ShellQuote.quote(labels ? service : "/" + name)).append("; ");
        }
        b.append("if [ -z \"$b_\" ]; then echo 'slot-health: healthy'; else echo \"slot-health: unhealthy ($b_)\"; fi");
        return new Precondition(b.toString(), SLOT_HEALTH, "healthy", "the " + slot + " slot");
    }

    /** The id if it is a well-formed action id, else empty. */
    public static Optional<String> validId(String s) {
        return s != null && ID.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    static String requireId(String id) {
        return validId(id).orElseThrow(() -> new IllegalArgumentException("not an action id: '" + RolloutRules.printable(
                String.valueOf(id)) + "'"));
    }

    /** "~/.dutydesk" becomes "$HOME/.dutydesk", to be used inside double quotes (the config allows only [A-Za-z0-9_./-]). */
    public static String dir(String stateDir) {
        return stateDir.startsWith("~") ? "$HOME" + stateDir.substring(1) : stateDir;
    }

    private static String atomicWrite(String value, String file) {
        return "printf '%s\\n' " + value + " > " + file + ".tmp && mv " + file + ".tmp " + file;
    }

    /**
     * The detached job (run by {@code sh -c}, with $0 = the action's path prefix): records its
     * pid, checks the precondition, runs the command (fd 9 closed, bounded by {@code timeout}
     * when the server has it; {@code null}: not bounded), records the exit code. Public for tests.
     */
    public static String job(String workdir, String command, Optional<Precondition> pre, Duration timeout) {
        StringBuilder b = new StringBuilder();
        // its start time and its session (it is the session's leader: setsid; what of the job runs on after its shell is
        // killed is found by it) from one read of its /proc stat, by builtins; then its pid, renamed into place: every
        // reader looks at .start and .sid only once it has read .pid, so those two are written straight (no mv started:
        // the console's start waits for the pid, on every action)
        b.append(START_TIME).append(LEFT).append("s_=; d_=; l_=; if read -r l_ 2>/dev/null < \"/proc/$$/stat\"; then l_=${l_##*\\) }; ")
                .append("set -- $l_; s_=${20:-}; d_=${4:-}; set --; fi; ")
                .append("[ -n \"$s_\" ] && printf '%s\\n' \"$s_\" > \"$0.start\"; [ -n \"$d_\" ] && printf '%s\\n' \"$d_\" > \"$0.sid\"; ");
        // a lock of its own on RUN_FILE for its whole life (fd 8, closed for the checks and the command): a follower
        // waits on it (flock -s) instead of looking every 10 ms; taken before the pid is written, so a follower that
        // saw the pid finds it held until the job's shell ends (its exit, or a kill: the kernel lets it go)
        b.append("if : 2>/dev/null >> \"$0").append(RUN_FILE).append("\"; then exec 8>> \"$0").append(RUN_FILE)
                .append("\"; flock -n 8 2>/dev/null; fi; ");
        b.append("echo $$ > \"$0.pid.tmp\" && mv \"$0.pid.tmp\" \"$0.pid\"; ");
        b.append(ACTION_VARIABLE).append("=\"$0\"; export ").append(ACTION_VARIABLE).append("; ");
        b.append("done_() { printf '%s\\n' \"$1\" > \"$0.exit.tmp\"; mv \"$0.exit.tmp\" \"$0.exit\"; exit 0; }; ");
        b.append("cd ").append(ShellQuote.path(workdir)).append(" || { echo \"dutydesk: cannot cd to the workdir\"; done_ 91; }; ");
        pre.ifPresent(first -> {
            String refused = "echo \"" + REFUSED;
            List<Precondition> all = first.all();
            if (all.stream().anyMatch(p -> p.pattern() != SLOT_HEALTH)) { // a pattern of the environment's: matched by perl
                b.append("command -v perl >/dev/null 2>&1 || { ").append(refused)
                        .append("the server has no perl to check the plan against its state; nothing was run\"; done_ ")
                        .append(EXIT_REFUSED).append("; }; ");
            }
            // every check after the first runs at once, in the background, its output in a file of the job's (0600: the
            // job's umask); the first in the foreground; all are waited for, then judged in order (the first that fails
            // is the refusal): the lock is held for the slowest check, not for their sum. Like the command, the checks run
            // with fd 9 closed (the job's shell holds the lock): what a check leaves running never holds it
            // each check bounded (CHECK_SECONDS; a paused Docker would hold the lock, and run the action, whenever it woke),
            // with or without the server's timeout(1) (BOUNDED)
            b.append("cs_=${DUTYDESK_CHECK_SECONDS:-").append(CHECK_SECONDS).append("}; ").append(BOUNDED)
                    .append("ck_() { tm_ 5 \"$cs_\" sh -c \"$1\"; }; ");
            for (int i = 1; i < all.size(); i++) {
                b.append("{ ck_ ").append(ShellQuote.quote(all.get(i).command())).append(" > \"$0.pre").append(i)
                        .append("\" 2>&1 8>&- 9>&-; } & pw").append(i).append("_=$!; ");
            }
            b.append("o0_=$(ck_ ").append(ShellQuote.quote(first.command())).append(" 2>&1 8>&- 9>&-); r0_=$?; ");
            // what each check says is read from its output as soon as that is in: the first's (a perl started for an
            // environment's pattern) while the others still run, not after the slowest
            extract(b, first, 0);
            // every output read, then every file removed, before any is judged: a refusal (done_ exits) leaves none behind
            StringBuilder files = new StringBuilder();
            for (int i = 1; i < all.size(); i++) {
                b.append("wait \"$pw").append(i).append("_\"; r").append(i).append("_=$?; o").append(i).append("_=$(cat \"$0.pre").append(i)
                        .append("\" 2>/dev/null); ");
                extract(b, all.get(i), i);
                files.append(" \"$0.pre").append(i).append('"');
            }
            if (all.size() > 1) {
                b.append("rm -f").append(files).append("; ");
            }
            for (int i = 0; i < all.size(); i++) {
                Precondition p = all.get(i);
                String what = "\"" + ShellQuote.quote(p.what()) + "\""; // inside the echo's double quotes: closed, quoted, reopened
                b.append("out_=$o").append(i).append("_; now_=$n").append(i).append("_; ");
                b.append("case $r").append(i).append("_ in 124|137) ").append(refused).append(what)
                        .append(" could not be checked: the server did not answer within $cs_ s; nothing was run\"; done_ ").append(EXIT_REFUSED).append(" ;; esac; ");
                b.append("if [ -z \"$now_\" ]; then ").append(refused).append("could not read ").append(what)
                        .append(" on the server to check the plan; nothing was run\"; printf '%s\\n' \"$out_\" | head -n 5; done_ ")
                        .append(EXIT_REFUSED).append("; fi; ");
                b.append("if [ \"$now_\" != ").append(ShellQuote.quote(p.expected())).append(" ]; then ").append(refused)
                        .append("state changed since you confirmed: ").append(what).append(" is now $now_; nothing was run\"; done_ ")
                        .append(EXIT_REFUSED).append("; fi; ");
            }
        });
        // the command as a file of its own (0600: the job's umask): its shell runs "sh ID.cmd", so neither a process list nor a
        // shell's report of a killed command ("Killed  sh -c '…'", bash) carries the whole script, only the file's name
        b.append("printf '%s\\n' ").append(ShellQuote.quote(wrapped(command))).append(" > \"$0.cmd\" || done_ 94; ");
        b.append(run("\"$0.cmd\"", timeout)).append("; ");
        // the lock is held until nothing the command started runs any more: a team's script killed (or one that put
        // work in the background and exited) leaves children in the job's session; the exit file waits for them
        // It waits for them at most LEFTOVER_WAIT (a bounded job: its bound again), then TERMs what is left, KILLs it
        // 30 s on, and 30 s after that stops waiting and says what it could not stop: a job never holds the lock for
        // ever because its script left a daemon in its session. By the clock, not by turns (a /proc scan takes time).
        long secs = leftoverWait(timeout).toSeconds();
        b.append("rc_=$?; g_=; if [ -n \"${d_:-}\" ]; then w_=$(left_ \"$d_\" $$); if [ -n \"$w_\" ]; then echo \"dutydesk: the command ended "
                + "(exit $rc_) but what it started still runs: $w_; the server lock is held until it ends (at most " + secs + " s more)\"; "
                + "dl_=$(( $(date +%s) + " + secs + " )); t_=; "
                + "while l_=$(left_ \"$d_\" $$); [ -n \"$l_\" ]; do n_=$(date +%s); if [ \"$n_\" -ge \"$dl_\" ]; then "
                + "if [ \"$n_\" -ge $((dl_ + 60)) ]; then echo \"dutydesk: could not stop what the command left: $l_; the lock is let go\"; g_=1; break; fi; "
                + "[ -z \"$t_\" ] && echo \"dutydesk: still running after the wait, stopped: $l_\"; t_=1; "
                + "s_=TERM; [ \"$n_\" -ge $((dl_ + 30)) ] && s_=KILL; "
                // builtins only (a pipeline's processes would be in the session and counted themselves)
                + "set -f; i_=$IFS; IFS=,; for e_ in $l_; do e_=${e_# }; e_=${e_%% *}; "
                + "case $e_ in ''|*[!0-9]*) ;; *) kill -$s_ \"$e_\" 2>/dev/null;; esac; done; IFS=$i_; set +f; fi; "
                + "sleep 0.5; done; [ -n \"$g_\" ] || echo \"dutydesk: what the command started has ended\"; fi; "
                + "[ -n \"$g_\" ] || : > \"$0" + CLEAR_FILE + "\"; fi; ");
        b.append("done_ $rc_");
        return b.toString();
    }

    /** Sets {@code n<i>_} to what check {@code i} says, read from its output {@code o<i>_}. */
    private static void extract(StringBuilder b, Precondition p, int i) {
        if (p.pattern() == SLOT_HEALTH) { // our own line: its first "slot-health: " line, by builtins (no perl started)
            b.append("n").append(i).append("_=; set -f; oi_=$IFS; IFS='\n'; for l_ in $o").append(i).append("_; do case \"$l_\" in ")
                    .append("'slot-health: '?*) n").append(i).append("_=${l_#slot-health: }; break ;; esac; done; IFS=$oi_; set +f; ");
        } else {
            b.append("n").append(i).append("_=$(printf '%s' \"$o").append(i).append("_\" | P_=").append(ShellQuote.quote(p.pattern().pattern()))
                    .append(" perl -0777 -ne 'print lc $1 if /$ENV{P_}/' 2>/dev/null); ");
        }
    }

    /** How long a job waits for what its command left running before it stops it: its bound again, else 10 minutes. */
    public static Duration leftoverWait(Duration timeout) {
        return timeout == null ? Duration.ofMinutes(10) : Duration.ofSeconds(Math.max(1, timeout.toSeconds()));
    }

    /**
     * The longest a bounded job can hold the lock: its bound, timeout's 30 s kill grace, the wait for leftovers and the
     * minute of stopping them, and slack for the scans.
     */
    public static Duration longestHold(Duration timeout) {
        return Duration.ofSeconds(Math.max(1, timeout.toSeconds())).plusSeconds(30).plus(leftoverWait(timeout)).plusSeconds(90);
    }

    /**
     * {@code command} run by {@code sh -c} with fd 9 closed, under {@code timeout} when there is a bound (and the
     * server has timeout(1)). Its shell catches TERM/INT/HUP ({@code exit 143}): a caught signal waits for the
     * foreground command, so when the bound TERMs the whole process group, a subshell's clean-up trap (the scratch
     * database dropped, a {@code .part} removed) finishes before this shell ends — and so before the job writes its
     * exit file and lets the lock go. Without it the outer shell died at once and the job was "over" while its
     * clean-up still ran. Public for tests.
     */
    public static String bounded(String command, Duration timeout) {
        return run("-c " + ShellQuote.quote(wrapped(command)), timeout);
    }

    /** The command's script: TERM/INT/HUP caught (see {@link #bounded(String, Duration)}), then the command. */
    private static String wrapped(String command) {
        return "trap 'exit 143' TERM INT HUP\n" + command + "\n";
    }

    /** {@code sh ARGS} (a script file, or {@code -c} and the quoted script) with fd 9 closed, under timeout when bounded. */
    private static String run(String args, Duration timeout) {
        if (timeout == null) {
            return "sh " + args + " 8>&- 9>&-";
        }
        long secs = Math.max(1, timeout.toSeconds());
        return "if command -v timeout >/dev/null 2>&1; then timeout -k 30 " + secs + " sh " + args
                + " 8>&- 9>&-; else sh " + args + " 8>&- 9>&-; fi";
    }

    /**
     * Takes the lock (or prints BUSY with the holder's id and exits 75), records the action's
     * meta, starts the {@link #job} with setsid + nohup so a dropped connection does not stop it
     * (it inherits the lock), and prints STARTED.
     */
    public static String start(String stateDir, String id, String job, String meta) {
        return start(stateDir, id, job, meta, Optional.empty());
    }

    /** A secret's variable name: what {@link #start} reads from its input into the job's environment. */
    public static final Pattern SECRET_VARIABLE = Pattern.compile("DUTYDESK_[A-Z0-9_]{1,40}");

    /**
     * {@link #start}, and first reads one line of its standard input into the variable {@code secretVariable},
     * exported to the detached job (and the commands it runs) only: the secret is never in a file, in the
     * job's text or on a command line (a process list shows those), and the shell that follows the log unsets it.
     */
    public static String start(String stateDir, String id, String job, String meta, Optional<String> secretVariable) {
        requireId(id);
        secretVariable.ifPresent(v -> {
            if (!SECRET_VARIABLE.matcher(v).matches()) {
                throw new IllegalArgumentException("not a secret variable name: " + v);
            }
        });
        String read = secretVariable.map(v -> "IFS= read -r " + v + " || { echo 'dutydesk: no secret on the input'; exit 93; }; export "
                + v + "; ").orElse("");
        String unset = secretVariable.map(v -> "unset " + v + "; ").orElse("");
        return "umask 077; " + read + locked(stateDir, id) + detach(id, job, meta, unset);
    }

    /**
     * The lock taken on fd 9 ({@code $D} the state folder), or BUSY with the last holder's id (exit 75) when another holds
     * it — flock's exit 1 only: any other failure (no flock on the server's PATH, 127; a bad descriptor) says so and exits 90
     * (it was told BUSY, naming the action that last held the lock, as if that still ran).
     */
    private static final String FLOCK_OR_BUSY = "flock -n 9 || { fl_=$?; if [ \"$fl_\" -eq 1 ]; then echo \"" + BUSY
            + "$(cat \"$D/action.holder\" 2>/dev/null)\"; exit 75; fi; echo \"dutydesk: the server lock could not be taken (flock exit $fl_; "
            + "flock must be on the server's PATH)\"; exit 90; }; ";

    /** The first line of {@link #startAnswered}'s state, printed once the lock is held. */
    public static final String STATE_BEGIN = "@@DUTYDESK-STATE-BEGIN";
    /** The line after {@link #startAnswered}'s state: the script waits for the console's answer from here. */
    public static final String STATE_END = "@@DUTYDESK-STATE-END";

    /**
     * {@link #STATE_END}'s line in {@link #startAnswered}'s output for action {@code id}: the mark and the action's id, which
     * what prints the state cannot know — so no line of the state (the live-slot command's words, a container's label) ends
     * it early, and nothing after such a line is taken for the console's protocol.
     */
    public static String stateEnd(String id) {
        return STATE_END + " " + requireId(id);
    }

    /** A line the state read wrote on its standard error, replayed after its output (read in order with it). */
    public static final String STATE_ERR = "@@DUTYDESK-STATE-ERR ";
    /** The answer that lets {@link #startAnswered} go on; anything else (or end of input) ends it with nothing run. */
    public static final String GO = "go";
    /** What {@link #startAnswered} prints when the console did not answer {@link #GO}: nothing was run. */
    public static final String NOT_GO = "@@DUTYDESK-NOT-GO";
    /**
     * How long {@link #startAnswered} waits for the console's answer, holding the lock, before it ends with nothing run. The
     * server's environment may set DUTYDESK_ANSWER_SECONDS (tests do).
     */
    public static final int ANSWER_SECONDS = 30;

    /** {@link ServerBound#BOUNDED}: {@code tm_ GRACE SECONDS COMMAND…}, with or without the server's timeout(1). */
    static final String BOUNDED = ServerBound.BOUNDED;

    /**
     * {@link #start}, with the state the plan is made from read inside the lock: takes the lock (or BUSY, as start), runs
     * {@code stateScript} (fd 8 and 9 closed, no input, within {@link #CHECK_SECONDS}) between {@link #STATE_BEGIN} and
     * {@link #stateEnd} (its standard error after its output as {@link #STATE_ERR} lines, then {@link #STATE_RC}),
     * then waits (at most {@link #ANSWER_SECONDS}; both bounds kept by {@link #BOUNDED}, with or without the server's
     * timeout(1)) for one line on its input: {@link #GO}
     * starts the job as start does; anything else, end of input or no answer in time prints {@link #NOT_GO} and exits 77
     * with nothing run and the lock let go. The plan is decided on a state no other action can change before the job runs:
     * no check of it is needed inside the job, and the state read and the start are one exec.
     */
    public static String startAnswered(String stateDir, String id, String job, String meta, String stateScript) {
        requireId(id);
        String a = "\"$D/actions/" + id;
        // the holder and the meta first: while the plan is made, a start elsewhere is told BUSY naming this action, not the
        // one before it; the state read bounded (CHECK_SECONDS, as the checks inside a job: a paused Docker never holds the
        // lock), its exit status said; an answer other than go leaves no trace of the action (its meta removed): a console
        // that wrote its started entry and whose go came too late completes it as never started (OpenEntries)
        // PIPE ignored until the answer: a console gone while the state is printed (killed, its connection dropped) no longer
        // kills the script at a write before its wait, which reads the end of input and removes the meta (else left behind,
        // a job folder of a request that never ran); the job gets the default back (a command with SIGPIPE ignored acts
        // otherwise). The read's standard error is kept and replayed after its output (STATE_ERR): on the exec's own
        // stderr it came in no order with the output, and the plan was made without it (a live-slot command's "why")
        // both waits bounded whether or not the server has timeout(1) (BOUNDED), neither holding the lock's descriptor; an
        // answer other than go removes the meta's temporary file too (left by a write that failed: a full disk)
        return "umask 077; " + locked(stateDir, id) + "trap '' PIPE; " + holderAndMeta(id, meta) + BOUNDED
                + "cs_=${DUTYDESK_CHECK_SECONDS:-" + CHECK_SECONDS + "}; as_=${DUTYDESK_ANSWER_SECONDS:-" + ANSWER_SECONDS + "}; "
                + "echo '" + STATE_BEGIN + "'; { se_=$( { tm_ 5 \"$cs_\" \"${SHELL:-sh}\" -c " + ShellQuote.quote(stateScript)
                + " </dev/null 8>&- 9>&-; } 2>&1 >&3 3>&-; echo \"@@rc $?\"); } 3>&1; "
                + "sr_=${se_##*@@rc }; se_=${se_%@@rc *}; echo; "
                + "[ -z \"$se_\" ] || printf '%s\\n' \"$se_\" | sed -n 's/^\\(..*\\)$/" + STATE_ERR + "\\1/p'; "
                + "echo \"" + STATE_RC + "$sr_\"; echo '" + stateEnd(id) + "'; "
                + "a_=$(tm_ 5 \"$as_\" head -n 1 8>&- 9>&-); if [ \"$a_\" != " + GO + " ]; then rm -f " + a + ".meta\" " + a + ".meta.tmp\"; echo '" + NOT_GO + "'; exit 77; fi; "
                + "trap - PIPE; " + detachJob(id, job, "");
    }

    /**
     * {@code script} run in the action's exec once its job is over (the state after it, for the console's verification),
     * bounded as the state read inside the lock is ({@link #CHECK_SECONDS}, {@link #BOUNDED}; 124 when cut): a Docker paused
     * after the job held the exec, and the console waiting on it, for the follow's whole bound (the lock is let go by then).
     */
    public static String after(String script) {
        return ServerBound.checked(script);
    }

    /** The line before {@link #STATE_END}: the state read's exit status (124 or 137: not done within its bound). */
    public static final String STATE_RC = "@@DUTYDESK-STATE-RC ";

    /** The state folder made, the lock taken on fd 9 (or BUSY), a maintenance lock or a never-started mark refused. */
    private static String locked(String stateDir, String id) {
        String d = dir(stateDir);
        String a = "\"$D/actions/" + id;
        return "D=\"" + d + "\"; [ -d \"$D/actions\" ] || mkdir -p \"$D/actions\" || exit 90; "
                + "chmod 700 \"$D\" \"$D/actions\" 2>/dev/null; "
                + "exec 9>>\"$D/action.lock\" || exit 90; "
                + FLOCK_OR_BUSY
                + holderGone()
                + maintenanceHeld()
                // marked as never started by a console that completed its audit entry (the request came too late): nothing runs
                + "if [ -e " + a + ".exit\" ]; then echo \"dutydesk: action " + id + " is marked on the server as never started "
                + "(its audit entry was completed so); nothing was run\"; exit 76; fi; ";
    }

    /** The lock held: the holder and meta written, the job detached (it inherits the lock), STARTED once its pid is there. */
    private static String detach(String id, String job, String meta, String unset) {
        return holderAndMeta(id, meta) + detachJob(id, job, unset);
    }

    private static String holderAndMeta(String id, String meta) {
        String a = "\"$D/actions/" + id;
        return atomicWrite(ShellQuote.quote(id), "\"$D/action.holder\"") + "; "
                + atomicWrite(ShellQuote.quote(meta), a + ".meta\"") + "; ";
    }

    private static String detachJob(String id, String job, String unset) {
        String a = "\"$D/actions/" + id;
        return ": > " + a + ".log\"; "
                + "setsid nohup sh -c " + ShellQuote.quote(job) + " " + a + "\" < /dev/null >> " + a + ".log\" 2>&1 & bp_=$!; "
                + unset + "exec 9>&-; "
                // the job writes its pid first: once STARTED is printed, current() and follow() see it running
                // (its first look comes a few ms after the fork: polled every 10 ms, 5 s at most); a start that failed
                // (no setsid: 127) is seen at once — a setsid that forked exits 0 and the wait goes on
                + "i=0; while [ ! -f " + a + ".pid\" ] && [ ! -f " + a + ".exit\" ] && [ $i -lt 500 ]; do "
                + "if [ -n \"$bp_\" ] && ! kill -0 \"$bp_\" 2>/dev/null; then wait \"$bp_\"; r_=$?; bp_=; [ $r_ = 0 ] || break; fi; "
                + "sleep 0.01; i=$((i+1)); done; "
                + "if [ -f " + a + ".pid\" ] || [ -f " + a + ".exit\" ]; then echo \"" + STARTED + id + "\"; "
                // setsid/nohup missing or the fork refused: say so, never STARTED for a job that is not there
                + "else echo \"dutydesk: the detached job did not start (setsid, nohup and sh must be on the server's PATH)\"; exit 92; fi";
    }

    /**
     * Prints the action's log from line {@code fromLine} (1-based) as it grows, until the job
     * ends, then EXIT and what its exit file says ({@link #EXIT_NONE} if it died without one).
     */
    public static String follow(String stateDir, String id, int fromLine) {
        requireId(id);
        String f = "\"" + dir(stateDir) + "/actions/" + id;
        int from = Math.max(1, fromLine);
        return ALIVE + "f=" + f + "\"; i=0; while [ ! -f \"$f.pid\" ] && [ ! -f \"$f.exit\" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
                // over already (its pid may belong to another process by now): the log as it is
                + "if [ -f \"$f.exit\" ] || [ ! -f \"$f.pid\" ]; then tail -n +" + from + " \"$f.log\"; "
                // running: tail follows a watcher of ours, which ends when the exit file appears or the job is no longer
                // alive (never tail --pid on the job itself: a reused pid, or one of another user's, EPERM, keeps tail forever)
                // its exit file is seen within ~10 ms for its first 500 turns (~5 s: a rollback's whole life), within ~100 ms
                // after that; whether it still lives (forks: cat, st_) is asked every 100 ms — a killed job's end is seen then
                // a job that holds its RUN_FILE: waited for on it (no fork every 10 ms beside the running action), then as before
                + "else ( if [ -f \"$f" + RUN_FILE + "\" ]; then flock -s \"$f" + RUN_FILE + "\" true; fi; n_=0; while [ ! -f \"$f.exit\" ]; do if [ $n_ -ge 500 ] || [ $((n_ % 10)) -eq 0 ]; then alive_ \"$f\" || break; fi; "
                + "if [ $n_ -lt 500 ]; then sleep 0.01; else sleep 0.1; fi; n_=$((n_+1)); done ) </dev/null >/dev/null 2>&1 & w_=$!; "
                + "tail -s 0.01 -n +" + from + " -f --pid=\"$w_\" \"$f.log\"; fi; "
                + "rd_ \"$f.exit\" || r_=" + EXIT_NONE + "; echo \"" + EXIT + "$r_\"";
    }

    /**
     * Shell that takes the action lock on fd 9 for the rest of a short script (released when it exits), or
     * prints BUSY with the holder's id and exits 75: for a short change that must not race a running job.
     */
    public static String lockOrBusy(String stateDir) {
        String d = dir(stateDir);
        return "D=\"" + d + "\"; mkdir -p \"$D\" && chmod 700 \"$D\" 2>/dev/null; exec 9>>\"$D/action.lock\" || exit 90; "
                + FLOCK_OR_BUSY
                + holderGone() + maintenanceHeld();
    }

    // ---------------------------------------------------------------------------------------- the maintenance lock

    /** After {@link #BUSY}: the maintenance lock's meta (one JSON line), when what holds the lock is a maintenance lock. */
    public static final String MAINTENANCE = "@@DUTYDESK-MAINTENANCE ";
    /** {@link #maintenanceLock}'s answer when it took the lock: the lock's id. */
    public static final String LOCKED = "@@DUTYDESK-LOCKED ";
    /** {@link #maintenanceUnlock}'s answer when it released the lock: the lock's id. */
    public static final String UNLOCKED = "@@DUTYDESK-UNLOCKED ";
    /** {@link #maintenanceUnlock}'s and {@link #maintenanceRead}'s answer when no maintenance lock is held. */
    public static final String NOT_LOCKED = "@@DUTYDESK-NOT-LOCKED";
    /** {@link #maintenanceUnlock}'s answer when the lock held is not the one the user confirmed (another took it since). */
    public static final String CHANGED = "@@DUTYDESK-CHANGED";

    /**
     * Inside the lock ({@code $D} the state folder): BUSY (exit 75) with the maintenance lock's id and {@link #MAINTENANCE}
     * with its meta while a maintenance lock is held ({@code $D/maintenance}: its id, then its meta, written whole by
     * one rename). Every start and every short change that takes the action lock runs it: the maintenance lock is the
     * same lock, held by a file instead of a process, so it outlives the console that took it and holds for every
     * console and workstation.
     */
    private static String maintenanceHeld() {
        return "if [ -f \"$D/maintenance\" ]; then mi_=; mm_=; { read -r mi_; read -r mm_; } < \"$D/maintenance\"; "
                + "echo \"" + BUSY + "$mi_\"; echo \"" + MAINTENANCE + "$mm_\"; exit 75; fi; ";
    }

    /** The common head of the lock and unlock scripts: HUP/PIPE ignored (a console killed mid-way never stops it half done). */
    private static String takeLock(String stateDir) {
        String d = dir(stateDir);
        return "trap '' HUP PIPE; umask 077; D=\"" + d + "\"; mkdir -p \"$D/actions\" || exit 90; chmod 700 \"$D\" \"$D/actions\" 2>/dev/null; "
                + "exec 9>>\"$D/action.lock\" || exit 90; "
                + FLOCK_OR_BUSY
                + holderGone();
    }

    /**
     * Takes the maintenance lock {@code id} with {@code meta} (one JSON line): under the action lock, refused (BUSY, exit 75)
     * while an action runs or a maintenance lock is already held; else {@code $D/maintenance} written to a temporary file
     * and renamed into place (a kill at any point leaves the whole lock or none), the action's meta and exit file
     * written (so an audit entry a killed console left open is completed from them), and {@link #LOCKED}.
     */
    public static String maintenanceLock(String stateDir, String id, String meta) {
        requireId(id);
        if (meta.contains("\n") || meta.contains("\r")) {
            throw new IllegalArgumentException("a maintenance lock's meta is one line");
        }
        String a = "\"$D/actions/" + id;
        return takeLock(stateDir) + maintenanceHeld()
                + "printf '%s\\n%s\\n' " + ShellQuote.quote(id) + " " + ShellQuote.quote(meta) + " > \"$D/maintenance.tmp\" || exit 90; "
                + atomicWrite(ShellQuote.quote(meta), a + ".meta\"") + " || exit 90; "
                + "mv \"$D/maintenance.tmp\" \"$D/maintenance\" || exit 90; "
                + atomicWrite("0", a + ".exit\"") + "; "
                + "echo \"" + LOCKED + id + "\"";
    }

    /**
     * Releases the maintenance lock {@code expectedId} — the one the user confirmed — under the action lock: if the lock
     * held now is another ({@link #CHANGED}, {@link #MAINTENANCE} with its meta, exit 77) or none ({@link #NOT_LOCKED}),
     * nothing is removed. The unlock is an action of its own ({@code actionId}, its meta and, once removed, its exit file).
     */
    public static String maintenanceUnlock(String stateDir, String expectedId, String actionId, String meta) {
        requireId(expectedId);
        requireId(actionId);
        if (meta.contains("\n") || meta.contains("\r")) {
            throw new IllegalArgumentException("an action's meta is one line");
        }
        String a = "\"$D/actions/" + actionId;
        return takeLock(stateDir)
                + atomicWrite(ShellQuote.quote(meta), a + ".meta\"") + " || exit 90; "
                + "if [ ! -f \"$D/maintenance\" ]; then " + atomicWrite(EXIT_REFUSED, a + ".exit\"") + "; echo " + NOT_LOCKED + "; exit 0; fi; "
                + "mi_=; mm_=; { read -r mi_; read -r mm_; } < \"$D/maintenance\"; "
                + "if [ \"$mi_\" != " + ShellQuote.quote(expectedId) + " ]; then " + atomicWrite(EXIT_REFUSED, a + ".exit\"") + "; echo " + CHANGED + "; echo \"" + MAINTENANCE
                + "$mm_\"; exit 77; fi; "
                + "rm -f \"$D/maintenance\" || exit 90; " + atomicWrite("0", a + ".exit\"") + "; echo \"" + UNLOCKED + "$mi_\"";
    }

    /** Prints the maintenance lock held ({@link #BUSY} id, {@link #MAINTENANCE} meta) or {@link #NOT_LOCKED}. Reads only. */
    public static String maintenanceRead(String stateDir) {
        return "D=\"" + dir(stateDir) + "\"; if [ -f \"$D/maintenance\" ]; then mi_=; mm_=; { read -r mi_; read -r mm_; } < \"$D/maintenance\"; "
                + "echo \"" + BUSY + "$mi_\"; echo \"" + MAINTENANCE + "$mm_\"; else echo " + NOT_LOCKED + "; fi";
    }

    /**
     * Inside the lock ({@code $D} the state folder): BUSY (exit 75) while anything of the last holder's job still runs
     * though the lock was free — its shell was killed (kill -9) and the kernel dropped the lock with the shell's
     * descriptor, but its script's children (which run without the lock's descriptor) go on. Names the holder and
     * what still runs ({@link #HELD}).
     */
    private static String holderGone() {
        return ALIVE + "rd_ \"$D/action.holder\"; h_=$r_; if [ -n \"$h_\" ] && alive_ \"$D/actions/$h_\"; then "
                + "echo \"" + BUSY + "$h_\"; held_ \"$D/actions/$h_\"; exit 75; fi; ";
    }

    /**
     * Prints BUSY with the id and meta of the action holding the lock, or IDLE. Reads only (never
     * takes the lock, so it cannot make a start fail): the holder is running while its job lives
     * and has no exit file.
     */
    public static String current(String stateDir) {
        return current(stateDir, false);
    }

    /** The line after {@link #BUSY}'s meta when asked for: {@code @@DUTYDESK-SINCE epoch}, when the job's meta was written (the server's clock). */
    public static final String SINCE = "@@DUTYDESK-SINCE ";

    /**
     * {@link #current(String)}; {@code since}: then also {@link #SINCE} with when the running job started, as the server's
     * clock says (what its files' modification times are compared with).
     */
    public static String current(String stateDir, boolean since) {
        String d = dir(stateDir);
        return ALIVE + "D=\"" + d + "\"; id=$(cat \"$D/action.holder\" 2>/dev/null); a=\"$D/actions/$id\"; "
                + "if [ -n \"$id\" ] && alive_ \"$a\"; then "
                + "echo \"" + BUSY + "$id\"; held_ \"$a\"; cat \"$a.meta\" 2>/dev/null; "
                + (since ? "echo; echo \"" + SINCE + "$(stat -c %Y \"$a.meta\" 2>/dev/null)\"; " : "")
                + "else echo " + IDLE + "; fi";
    }

    /** Prints STARTED if the action's job started (its pid file, waited for briefly), else nothing. */
    public static String wasStarted(String stateDir, String id) {
        requireId(id);
        String f = "\"" + dir(stateDir) + "/actions/" + id;
        return "f=" + f + "\"; i=0; while [ -f \"$f.meta\" ] && [ ! -f \"$f.pid\" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; "
                + "[ -f \"$f.pid\" ] && echo \"" + STARTED + id + "\"; true";
    }

    /** Prints the meta of one action. */
    public static String meta(String stateDir, String id) {
        requireId(id);
        return "cat \"" + dir(stateDir) + "/actions/" + id + ".meta\" 2>/dev/null";
    }

    /**
     * For each action, one line: STATE id exit CODE | STATE id running | STATE id gone (started,
     * no exit, not running: killed) | STATE id unknown (no trace).
     */
    public static String states(String stateDir, List<String> ids) {
        return states(stateDir, ids, List.of(), List.of());
    }

    /** A line of an action's log, in {@link #states}' answer: {@code LOG id line}. */
    public static final String LOG = "@@DUTYDESK-LOG ";

    /**
     * {@link #states(String, List)}, and for each of {@code withLog} that is over, its log as a live follow would have
     * read it for the outcome: every marker line ({@code @@…}) and the last 200 other lines, each as {@link #LOG}.
     *
     * <p>Each of {@code requested} (detached jobs whose request a console sent, or was about to, by {@link #start}) that
     * has no file at all in the job folder is first marked as never started ({@link #EXIT_NEVER} in its exit file) — only
     * when that is certain: the folder is there and writable and the action lock is free, taken for the look and the mark
     * (a start of that id still on its way then finds the mark inside the lock and runs nothing). Otherwise it stays
     * unknown. The lock is held for a few file tests only, and only while such an id is open.
     */
    public static String states(String stateDir, List<String> ids, List<String> withLog, List<String> requested) {
        ids.forEach(ActionScripts::requireId);
        withLog.forEach(ActionScripts::requireId);
        requested.forEach(ActionScripts::requireId);
        String d = dir(stateDir);
        String never = requested.isEmpty() ? "" : "nt_() { for x_ in \"$D/actions/$1\".*; do [ -e \"$x_\" ] && return 1; done; return 0; }; "
                + "for id in " + String.join(" ", requested) + "; do if [ -d \"$D/actions\" ] && [ -w \"$D/actions\" ] && nt_ \"$id\"; then "
                + "( exec 8>>\"$D/action.lock\" && flock -n 8 && nt_ \"$id\" && printf '%s\\n' " + EXIT_NEVER + " > \"$D/actions/$id.exit.tmp\" "
                + "&& mv \"$D/actions/$id.exit.tmp\" \"$D/actions/$id.exit\" ) 2>/dev/null; fi; done; ";
        String logs = withLog.isEmpty() ? "" : "for id in " + String.join(" ", withLog) + "; do a=\"$D/actions/$id\"; "
                + "if [ -f \"$a.log\" ] && ! alive_ \"$a\"; then { grep '^@@' \"$a.log\"; grep -v '^@@' \"$a.log\" | tail -n 200; } 2>/dev/null "
                + "| sed \"s/^/" + LOG + "$id /\"; fi; done; ";
        return ALIVE + "D=\"" + d + "\"; " + never + logs + "for id in " + String.join(" ", ids) + "; do a=\"$D/actions/$id\"; "
                + "if [ -f \"$a.exit\" ]; then echo \"" + STATE + "$id exit $(cat \"$a.exit\")\"; "
                + "elif alive_ \"$a\"; then echo \"" + STATE + "$id running\"; "
                + "elif [ -f \"$a.meta\" ]; then echo \"" + STATE + "$id gone\"; "
                + "else echo \"" + STATE + "$id unknown\"; fi; done";
    }

    /** The refusal line of a job's log, if this line is one. */
    static Optional<String> refusal(String line) {
        return line.startsWith(REFUSED) ? Optional.of(line.substring(REFUSED.length()).strip()) : Optional.empty();
    }
}
