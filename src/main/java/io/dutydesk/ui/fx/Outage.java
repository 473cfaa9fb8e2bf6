package io.dutydesk.ui.fx;

import java.time.Clock;
import java.time.Instant;

/**
 * The one way the window says that something does not answer — the header's statement, the status bar, every pane's
 * banner, the Today pane's rows and badges: by its <em>last answer</em> (T1: what is shown from it is as of then),
 * "down; last answer at 09:41:55". Never by the first failed check (T2, a poll later): for one outage the header said
 * "stale since T1" and the status bar "down since T2", two times for one outage. Where both times help (a hover text)
 * the first failure is said apart and labelled ({@link #firstFailure}). Times as {@link Times#since} (the date for
 * another day).
 */
public final class Outage {
    private Outage() {}

    /** "last answer at 09:41:55" ("… at Nov 21 23:59:58" another day), or "no answer yet" when it never answered. */
    public static String lastAnswer(Instant lastAnswer, Clock clock) {
        return lastAnswer == null ? "no answer yet" : "last answer at " + Times.since(lastAnswer, clock);
    }

    /** "down; last answer at 09:41:55", or "down; no answer yet". */
    public static String down(Instant lastAnswer, Clock clock) {
        return "down; " + lastAnswer(lastAnswer, clock);
    }

    /**
     * It answers, but not with what the environments file names: "misconfigured; last good answer at 09:41:55", or
     * "misconfigured; no good answer yet".
     */
    public static String misconfigured(Instant lastGoodAnswer, Clock clock) {
        return "misconfigured; " + lastGoodAnswer(lastGoodAnswer, clock);
    }

    /** "last good answer at 09:41:55", or "no good answer yet": of a source that answers, but wrongly. */
    public static String lastGoodAnswer(Instant lastGoodAnswer, Clock clock) {
        return lastGoodAnswer == null ? "no good answer yet" : "last good answer at " + Times.since(lastGoodAnswer, clock);
    }

    /** {@link #down} or, when it answers wrongly, {@link #misconfigured}. */
    public static String of(boolean misconfigured, Instant lastAnswer, Clock clock) {
        return misconfigured ? misconfigured(lastAnswer, clock) : down(lastAnswer, clock);
    }

    /** The other time, labelled, for a hover text: "first failed check at 09:42:00" ("" for none). */
    public static String firstFailure(Instant firstFailure, Clock clock) {
        return firstFailure == null ? "" : "first failed check at " + Times.since(firstFailure, clock);
    }
}
