package io.dutydesk.core;

/**
 * A command bounded on the server as {@code timeout -k GRACE SECONDS} bounds it, whether or not the server has coreutils'
 * timeout(1) ({@link #BOUNDED}), and the one bound of a read of the server's state ({@link #checked}): inside the action
 * lock, after a job in its exec, and the plain read of the slots. Shell text only, run by the server's sh.
 */
public final class ServerBound {
    private ServerBound() {
    }

    /**
     * How long a read of the server's state may take (a Docker that does not answer, a live-slot command that hangs): the
     * checks inside the lock, the state read there and after a job, the plain read of the slots. The server's environment
     * may set DUTYDESK_CHECK_SECONDS (tests do).
     */
    public static final int CHECK_SECONDS = 30;

    /**
     * The watchdog of {@link #PORTABLE_TIMEOUT} (run by {@code sh -c}, its arguments the bound, the grace and the pid to tell):
     * sleeps the bound, tells its parent (ALRM), sleeps the grace, tells it again — only while that pid is still its parent
     * (its /proc stat's ppid): a watchdog whose parent was killed never signals the process that got its pid since. A sleep
     * that fails (a bound that is not a number) tells at once: the bound fails closed, never open.
     */
    private static final String WATCHDOG = "p_=$3; al_() { l_=; if read -r l_ 2>/dev/null < \"/proc/$$/stat\"; then l_=${l_##*\\) }; "
            + "set -- $l_; [ \"${2:-}\" = \"$p_\" ] || exit 0; fi; kill -ALRM \"$p_\" 2>/dev/null || exit 0; }; "
            + "sleep \"$1\"; al_; sleep \"$2\"; al_";

    /**
     * timeout(1)'s {@code timeout -k GRACE SECONDS COMMAND…} in POSIX sh, for a server without it (run by {@code sh -c}, its
     * arguments GRACE, SECONDS and the command): the command runs in the background with this shell's input, in a session of
     * its own where the server has setsid (so what it starts — a docker CLI stuck on a paused daemon, holding the output — is
     * stopped with it); a watchdog (a session of its own too: it and its sleep stopped as one) sends ALRM at the bound, which
     * interrupts the {@code wait}: the command's session gets TERM, and KILL at the second ALRM, GRACE later. Whatever the
     * command left in its session is killed once it ended, the watchdog is killed and reaped before this shell exits (its own
     * exit status, or 124 when the bound stopped it, as timeout's): no process of it outlives it, and none holds the lock (the
     * caller closes fd 8 and 9 for it). {@code wait}'s job reports are silenced (bash and ash print "Killed" for a killed job).
     * A group is signalled as {@code kill -SIG -PGID}, the one form dash ({@code -s SIG -PGID} is an option error there),
     * bash and busybox ({@code --} is an error there) all take.
     */
    static final String PORTABLE_TIMEOUT = "k_=$1; s_=$2; shift 2; n_=0; m_=0; g_=; command -v setsid >/dev/null 2>&1 && g_=setsid; "
            + "kl_() { { [ -n \"$g_\" ] && kill -\"$1\" -\"$2\"; } 2>/dev/null || kill -\"$1\" \"$2\" 2>/dev/null; }; "
            + "trap 'n_=$((n_+1))' ALRM; exec 3<&0; $g_ \"$@\" <&3 3<&- & c_=$!; exec 3<&-; "
            + "$g_ sh -c " + ShellQuote.quote(WATCHDOG) + " wd_ \"$s_\" \"$k_\" $$ </dev/null >/dev/null 2>&1 & w_=$!; "
            + "while :; do if [ \"$n_\" != \"$m_\" ]; then m_=$n_; if [ \"$n_\" -gt 1 ]; then kl_ KILL \"$c_\"; else kl_ TERM \"$c_\"; fi; fi; "
            + "wait \"$c_\" 2>/dev/null; r_=$?; [ \"$n_\" = \"$m_\" ] && break; done; t_=$n_; "
            + "[ -n \"$g_\" ] && kill -KILL -\"$c_\" 2>/dev/null; kl_ KILL \"$w_\"; wait \"$w_\" 2>/dev/null; "
            + "[ \"$t_\" = 0 ] || exit 124; exit \"$r_\"";

    /**
     * {@code tm_ GRACE SECONDS COMMAND…}: the command bounded as {@code timeout -k GRACE SECONDS} bounds it — by timeout(1)
     * where the server has coreutils' (it signals its whole process group: what the command started ends with it), else by
     * {@link #PORTABLE_TIMEOUT}: on a server without timeout(1) both waits were unbounded (a paused Docker or a stalled
     * console held the lock for ever), and busybox's timeout (an applet the shell finds without a path, or a link to
     * busybox) signals the command alone — a docker CLI it started, stuck on a paused daemon, held the read's output and the
     * lock as long. Which one is chosen once per script (one fork); exit 124 when the bound stopped the command.
     */
    public static final String BOUNDED = "tq_=$(command -v timeout 2>/dev/null); case $tq_ in /*) { [ \"$tq_\" -ef /bin/busybox ] "
            + "|| [ \"$tq_\" -ef /usr/bin/busybox ]; } && tq_= ;; *) tq_= ;; esac; "
            + "tm_() { if [ -n \"$tq_\" ]; then tk_=$1; ts_=$2; shift 2; \"$tq_\" -k \"$tk_\" \"$ts_\" \"$@\"; "
            + "else sh -c " + ShellQuote.quote(PORTABLE_TIMEOUT) + " tm_ \"$@\"; fi; }; ";

    /**
     * {@code script} run by the user's shell within {@link #CHECK_SECONDS} ({@link #BOUNDED}; 124 when cut, what it started
     * stopped with it), with no input and fd 8 and 9 (the action lock's) closed: a read that hangs — a paused Docker, a
     * live-slot command that does not answer — ends at the bound with everything it started, whether or not anyone still
     * reads its output (a console killed, or one that gave up at its own timeout and closed the channel).
     */
    public static String checked(String script) {
        return "{ " + BOUNDED + "tm_ 5 \"${DUTYDESK_CHECK_SECONDS:-" + CHECK_SECONDS + "}\" \"${SHELL:-sh}\" -c " + ShellQuote.quote(script)
                + " </dev/null 8>&- 9>&-; }";
    }
}
