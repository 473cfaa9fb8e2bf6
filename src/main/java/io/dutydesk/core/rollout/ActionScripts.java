package io.dutydesk.core.rollout;

import io.dutydesk.core.ShellQuote;

/**
 * The shell the console sends to run an action detached on the server, under a server-side
 * lock, and to follow its output. Pure text: every value from the user or the config that is
 * not itself a command is quoted.
 *
 * <p>Server layout under the state folder (default ~/.dutydesk):
 * {@code lock/} (mkdir is the lock: {@code id}, {@code pid}), {@code actions/ID.meta|.log|.pid|.exit}.
 */
public final class ActionScripts {
    public static final String STARTED = "@@DUTYDESK-STARTED ";
    public static final String BUSY = "@@DUTYDESK-BUSY ";
    public static final String EXIT = "@@DUTYDESK-EXIT ";
    public static final String IDLE = "@@DUTYDESK-IDLE";

    private ActionScripts() {}

    /** "~/.dutydesk" becomes "$HOME/.dutydesk", to be used inside double quotes. */
    static String dir(String stateDir) {
        return stateDir.startsWith("~") ? "$HOME" + stateDir.substring(1) : stateDir;
    }

    /**
     * Takes the lock (or prints BUSY with the holder's id and exits 75), records the action's
     * meta, starts {@code command} in {@code workdir} with setsid + nohup so a dropped connection
     * does not kill it, and prints STARTED. The detached shell writes the exit code, then frees the lock.
     */
    public static String start(String stateDir, String id, String workdir, String command, String meta) {
        String d = dir(stateDir);
        String inner = "cd " + ShellQuote.path(workdir) + " || exit 91; " + command
                + "; rc=$?; echo $rc > \"$0.exit.tmp\"; mv \"$0.exit.tmp\" \"$0.exit\"; rm -rf \"$1\"";
        return "D=\"" + d + "\"; mkdir -p \"$D/actions\" || exit 90; "
                + "if ! mkdir \"$D/lock\" 2>/dev/null; then "
                + "if [ -f \"$D/lock/pid\" ] && kill -0 \"$(cat \"$D/lock/pid\")\" 2>/dev/null; then "
                + "echo \"" + BUSY + "$(cat \"$D/lock/id\" 2>/dev/null)\"; exit 75; fi; "
                + "rm -rf \"$D/lock\"; mkdir \"$D/lock\" || { echo \"" + BUSY + "?\"; exit 75; }; fi; "
                + "echo " + ShellQuote.quote(id) + " > \"$D/lock/id\"; "
                + "printf '%s\\n' " + ShellQuote.quote(meta) + " > \"$D/actions/" + id + ".meta\"; "
                + ": > \"$D/actions/" + id + ".log\"; "
                + "setsid nohup sh -c " + ShellQuote.quote(inner) + " \"$D/actions/" + id + "\" \"$D/lock\" "
                + "< /dev/null >> \"$D/actions/" + id + ".log\" 2>&1 & "
                + "pid=$!; echo $pid > \"$D/actions/" + id + ".pid\"; echo $pid > \"$D/lock/pid\" 2>/dev/null; "
                + "echo \"" + STARTED + id + "\"";
    }

    /**
     * Prints the action's log from line {@code fromLine} (1-based) as it grows, until the action
     * ends, then EXIT and its exit code ("running" if it died without one).
     */
    public static String follow(String stateDir, String id, int fromLine) {
        String f = "\"" + dir(stateDir) + "/actions/" + id;
        return "f=" + f + "\"; i=0; while [ ! -f \"$f.pid\" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; "
                + "tail -s 0.05 -n +" + Math.max(1, fromLine) + " -f --pid=\"$(cat \"$f.pid\")\" \"$f.log\"; "
                + "echo \"" + EXIT + "$(cat \"$f.exit\" 2>/dev/null || echo running)\"";
    }

    /** Prints BUSY with the id and meta of the action holding the lock, or IDLE. */
    public static String current(String stateDir) {
        String d = dir(stateDir);
        return "D=\"" + d + "\"; if [ -f \"$D/lock/pid\" ] && kill -0 \"$(cat \"$D/lock/pid\")\" 2>/dev/null; then "
                + "id=$(cat \"$D/lock/id\"); echo \"" + BUSY + "$id\"; cat \"$D/actions/$id.meta\" 2>/dev/null; "
                + "else echo " + IDLE + "; fi";
    }

    /** Prints STARTED if the action's meta exists (it was started), else nothing. */
    public static String wasStarted(String stateDir, String id) {
        return "[ -f \"" + dir(stateDir) + "/actions/" + id + ".meta\" ] && echo \"" + STARTED + id + "\"; true";
    }

    /** Prints the meta of one action. */
    public static String meta(String stateDir, String id) {
        return "cat \"" + dir(stateDir) + "/actions/" + id + ".meta\" 2>/dev/null";
    }
}
