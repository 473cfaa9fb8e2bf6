package io.dutydesk.ui.fx;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.HealthSnapshot;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one rule by which a pane takes the header's health ({@link PaneModel#health}): of the backends it reads through,
 * those down or misconfigured now (a misconfigured one answers, but not with what the environments file names: what
 * is read through it cannot be read as named either) make what it shows from them not as of now — unknown, never
 * green, a known warn or fail kept. Another environment's health is not the pane's: a late snapshot of the environment
 * just left, or one before the pane shows any, says nothing of what it shows. The Slots and Backups panes took only
 * DOWN and every environment's health as theirs, where the Outbox pane did both right.
 */
public final class PaneSources {
    private PaneSources() {}

    /**
     * Tells {@code to} what of {@code through} is down or misconfigured in {@code now} ({@link #down}), null when all of
     * them answer; tells it nothing when {@code now} is not {@code environment}'s health (another environment's, or the
     * pane shows none: {@code environment} null).
     *
     * @param withError the backends whose words end with their error (": no such file or folder")
     */
    public static void tell(HealthSnapshot now, String environment, Collection<Backend> through, Set<Backend> withError,
                            Clock clock, Consumer<String> to) {
        if (isOf(now, environment)) {
            to.accept(down(now, through, withError, clock));
        }
    }

    /** Whether {@code now} is the health of {@code environment} (the one the pane shows; null: none). */
    public static boolean isOf(HealthSnapshot now, String environment) {
        return now != null && environment != null && environment.equals(now.environment());
    }

    /**
     * The backends of {@code through} down or misconfigured in {@code now}, as the status bar says them ({@link Outage}):
     * "SSH down; last answer at 09:41:55, Docker misconfigured; last good answer at 09:40:00"; null when all answer.
     */
    public static String down(HealthSnapshot now, Collection<Backend> through, Set<Backend> withError, Clock clock) {
        List<String> down = new ArrayList<>();
        for (Backend b : through) {
            BackendStatus st = now.get(b);
            if (st.state() == BackendStatus.State.DOWN || st.state() == BackendStatus.State.MISCONFIGURED) {
                down.add(b.label() + " " + Outage.of(st.state() == BackendStatus.State.MISCONFIGURED, st.lastOkAt(), clock)
                        + (withError.contains(b) && st.error() != null ? ": " + st.error() : ""));
            }
        }
        return down.isEmpty() ? null : String.join(", ", down);
    }
}
