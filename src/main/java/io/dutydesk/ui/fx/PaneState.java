package io.dutydesk.ui.fx;

import io.dutydesk.core.check.CheckStatus;

import java.time.Instant;
import java.util.Objects;

/**
 * A pane's own state as its view shows it now — the same state its header and banners are drawn from — for the
 * navigation's badge ({@link PaneModel#paneState()}): a badge that follows only the morning check's newest run said "ok"
 * beside the Outbox pane's "PostgreSQL down" banner.
 *
 * @param badge the badge of that state ("down", "warn", "ok" …; unknown is never green)
 * @param asOf  when the pane last read what it shows (a failed read too: it learnt then that the source is down)
 * @param shown the pane is on the screen (and polls); a hidden pane reads nothing, its state is as of {@code asOf}
 */
public record PaneState(NavBadge badge, Instant asOf, boolean shown) {
    public PaneState {
        Objects.requireNonNull(badge);
        Objects.requireNonNull(asOf);
    }

    /** The same state, on the screen or not. */
    public PaneState shown(boolean on) {
        return on == shown ? this : new PaneState(badge, asOf, on);
    }

    /** A pane's state from the badge its header shows, as of its read at {@code asOf}: the tooltip says it is the pane's. */
    public static PaneState of(NavBadge shownBadge, Instant asOf, boolean shown) {
        return new PaneState(new NavBadge(shownBadge.state(), shownBadge.text(), shownBadge.tooltip() + " (as the pane shows it)"),
                asOf, shown);
    }

    /** Marks a pane's state (if it has one) on the screen or not: what a pane does as it is shown and hidden. */
    public static void markShown(javafx.beans.property.ObjectProperty<PaneState> state, boolean on) {
        PaneState st = state.get();
        if (st != null) {
            state.set(st.shown(on));
        }
    }

    /**
     * The navigation's badge of a pane from the newest run's ({@code run}, of the run at {@code runAt}; null for none) and
     * the pane's own state ({@code pane}; null while it has read nothing): the pane's when its read is as new as the run
     * or newer — it is the state its banner shows, so the badge never says better than the pane; when the run is newer,
     * the worse of the two while the pane is on the screen (never better than what it shows, until it reads again), the
     * run's while it is hidden (it reads nothing; shown again it is on the screen, so never better than it, and reads at
     * once).
     */
    public static NavBadge badge(NavBadge run, Instant runAt, PaneState pane) {
        if (pane == null) {
            return run;
        }
        if (run == null || runAt == null || !pane.asOf().isBefore(runAt)) {
            return pane.badge();
        }
        if (!pane.shown()) {
            return run;
        }
        return severity(run.state()) > severity(pane.badge().state()) ? run : pane.badge();
    }

    /** pass &lt; unknown &lt; warn &lt; fail, as the checks order them ({@link CheckStatus#severity}). */
    private static int severity(String state) {
        return CheckStatus.parse(state).severity();
    }
}
