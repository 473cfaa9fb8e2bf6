package io.dutydesk.ui.fx;

import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one polled-value helper: its stale marking with a fixed clock (never the day the test runs), the single hop in
 * order, the closing, and pausing (a hidden pane) with a read at once when resumed.
 */
class PolledValueTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Noon UTC on a fixed day: every time said is "12:00:05"-like whatever the machine's zone and date. */
    static final Instant T = Instant.parse("2026-11-22T12:00:05Z");
    final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    final UiQueue ui = new UiQueue();
    final List<Snapshot<String>> handed = new CopyOnWriteArrayList<>();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicReference<CompletableFuture<String>> next = new AtomicReference<>(CompletableFuture.completedFuture("v"));

    {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Polled every hour: only what the test triggers runs. */
    PolledValue<String> value() {
        return new PolledValue<>("test", () -> {
            reads.incrementAndGet();
            return next.get();
        }, Duration.ofHours(1), Duration.ofHours(4), Duration.ofSeconds(5), scheduler, clock, ui, handed::add);
    }

    @Test
    void aFailedReadAfterAGoodOneIsStaleSinceTheGoodOneInTheClocksZone() {
        PolledValue<String> v = value();
        v.start();
        ui.await("first read handed over", WAIT, () -> handed.size() == 1);
        assertTrue(handed.get(0).ok());

        next.set(CompletableFuture.failedFuture(new IOException("Connection refused")));
        v.refreshNow();
        ui.await("failure handed over", WAIT, () -> handed.size() == 2);
        Snapshot<String> failed = handed.get(1);
        assertEquals("v", failed.value(), "the last good value is kept");
        assertEquals("last answer at 12:00:05", v.staleness(failed));
        assertTrue(failed.error().contains("Connection refused"), failed.error());
        assertEquals("PostgreSQL: down; last answer at 12:00:05: " + failed.error(), v.problem("PostgreSQL", failed));
        v.close();
    }

    @Test
    void theWordsForNothingReadYetAndForAMisconfiguredSource() {
        Snapshot<String> never = new Snapshot<>(null, T, null, "Connection refused", T, 1, 1);
        assertEquals("no answer yet", PolledValue.staleness(never, clock));
        assertEquals("Slots: down; no answer yet: Connection refused", PolledValue.problem("Slots", never, clock));

        Clock berlin = Clock.fixed(T, java.time.ZoneId.of("Europe/Berlin"));
        Snapshot<String> wrong = new Snapshot<>("v", T.plusSeconds(60), T, "relation \"x\" does not exist", T.plusSeconds(60), 1, 2, true);
        assertEquals("PostgreSQL: misconfigured (it answers, but not with what the environments file names); last good answer at 13:00:05: "
                + "relation \"x\" does not exist", PolledValue.problem("PostgreSQL", wrong, berlin), "the clock's zone, not the machine's");
        assertEquals("13:00:05", Times.hms(T, berlin));
        assertEquals("Nov 21 12:00:05", Times.since(T.minus(Duration.ofDays(1)), clock), "another day says its date");
        assertEquals("12:00:05", Times.since(T, clock));
    }

    /**
     * Completes a read and waits for its hop: the poller attaches its callback on the scheduler's thread after the source
     * returned (the test sees the read asked a moment before), so the hop may come from that thread a little later.
     */
    static void completeAndAwaitItsHop(CompletableFuture<String> f, String value, List<Runnable> hops) {
        int before = hops.size();
        f.complete(value);
        io.dutydesk.testing.Eventually.await("the hop of " + value, WAIT, () -> hops.size() > before);
    }

    @Test
    void snapshotsAreHandedOverOnceInOrderAndNeverAfterClose() {
        // filled from the poller's threads: the read's callback may be attached (and run) after the test completes it
        List<Runnable> hops = java.util.Collections.synchronizedList(new ArrayList<>());
        PolledValue<String> v = new PolledValue<>("test", () -> {
            reads.incrementAndGet();
            return next.get();
        }, Duration.ofHours(1), Duration.ofHours(4), Duration.ofSeconds(5), scheduler, clock, hops::add, handed::add);
        CompletableFuture<String> first = new CompletableFuture<>();
        next.set(first);
        v.start();
        io.dutydesk.testing.Eventually.await("first read asked", WAIT, () -> reads.get() == 1);
        completeAndAwaitItsHop(first, "one", hops);
        CompletableFuture<String> second = new CompletableFuture<>();
        next.set(second);
        v.refreshNow();
        io.dutydesk.testing.Eventually.await("second read asked", WAIT, () -> reads.get() == 2);
        completeAndAwaitItsHop(second, "two", hops);
        // the hops reach the ui thread in the reverse order: the older one must not overwrite the newer
        List<Runnable> reversed;
        synchronized (hops) {
            reversed = new ArrayList<>(hops);
        }
        java.util.Collections.reverse(reversed);
        reversed.forEach(Runnable::run);
        assertEquals(List.of("two"), handed.stream().map(Snapshot::value).toList(), "pending initial and older read dropped");

        CompletableFuture<String> third = new CompletableFuture<>();
        next.set(third);
        v.refreshNow();
        io.dutydesk.testing.Eventually.await("third read asked", WAIT, () -> reads.get() == 3);
        v.close();
        third.complete("late"); // an answer for an environment the pane left
        List<Runnable> all;
        synchronized (hops) {
            all = new ArrayList<>(hops);
        }
        all.forEach(Runnable::run);
        assertEquals(List.of("two"), handed.stream().map(Snapshot::value).toList(), "nothing after close");
        assertFalse(v.polling());
    }

    /** A hidden pane's value schedules nothing; shown again it reads at once, not an interval (here an hour) later. */
    @Test
    void pausedItSchedulesAndReadsNothingResumedItReadsAtOnce() {
        PolledValue<String> v = value();
        v.pause();
        v.start();
        assertFalse(v.polling(), "started hidden: no ticker");
        assertTrue(scheduler.getQueue().isEmpty(), "nothing scheduled");
        v.refreshNow(); // Ctrl+R, a recovery: a hidden pane reads when shown
        ui.drain();
        assertEquals(0, reads.get());

        v.resume();
        ui.await("read at once", WAIT, () -> handed.size() == 1);
        assertEquals(1, reads.get());
        assertTrue(v.polling());

        v.pause();
        assertFalse(v.polling());
        assertTrue(scheduler.getQueue().isEmpty(), "the ticker is cancelled, nothing left to run");
        v.refreshNow();
        ui.drain();
        assertEquals(1, reads.get());

        v.resume();
        ui.await("read at once again", WAIT, () -> handed.size() == 2);
        assertEquals(2, reads.get());
        v.resume(); // not paused: no extra read
        v.close();
        assertEquals(2, reads.get());
        assertTrue(scheduler.getQueue().isEmpty(), "closed: nothing scheduled");
    }
}
