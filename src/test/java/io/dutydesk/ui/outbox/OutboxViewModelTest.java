package io.dutydesk.ui.outbox;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.BacklogSample;
import io.dutydesk.core.outbox.MemoryOutboxHistory;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.testing.OutboxFakes;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Outbox pane's view-model over stand-in sources. It runs on a {@link UiQueue}: one thread, this one, as on the FX
 * thread (with {@code Runnable::run} its updates ran on the poll's thread, and the reads the test did not hop onto that
 * thread — the header, the problems, the stale times — raced with the next poll's).
 */
class OutboxViewModelTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** A time as the pane says it (Times.since): with its date when the last answer was another day (a test run across midnight). */
    static final String AT = "([A-Z][a-z]{2} \\d{1,2} )?\\d\\d:\\d\\d:\\d\\d";
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final OutboxFakes fakes = new OutboxFakes();
    final Environment env = OutboxFakes.environment(Duration.ofMillis(100));
    final MemoryOutboxHistory history = new MemoryOutboxHistory();
    final UiQueue ui = new UiQueue();
    final OutboxViewModel vm = new OutboxViewModel(ui, scheduler, Clock.systemDefaultZone());

    void awaitUi(java.util.function.Supplier<String> what, java.util.function.BooleanSupplier c) {
        ui.await(what, WAIT, c);
    }

    @AfterEach
    void stop() {
        vm.close();
        scheduler.shutdownNow();
    }

    void pendingShows(long n, OutboxViewModel.HeaderState state) {
        fakes.pending = n;
        vm.refresh();
        awaitUi(() -> "header for " + n + ": " + vm.headerStateProperty().get() + " " + vm.headerProperty().get(),
                () -> vm.backlogProperty().get() != null && vm.backlogProperty().get().pending() == n
                        && vm.headerStateProperty().get() == state);
    }

    /** A single stack (deploy.model: single) has no live slot's relay: the row says not applicable, never an error, and is not read. */
    @Test
    void aSingleStackShowsTheRelayAsNotApplicable() {
        Environment.Deploy d = env.deploy();
        Environment single = new Environment(env.name(), env.description(), env.ssh(), env.docker(), env.postgres(), env.redis(),
                env.prometheus(), env.alertmanager(), env.backups(), new Environment.Deploy(d.workdir(), d.commands(), d.versionPattern(),
                d.liveSlotCommand(), d.liveSlotPattern(), d.stateDir(), d.actionTimeout(), "", java.util.Map.of(),
                Environment.DeployModel.SINGLE), env.slots(), env.outbox(), env.thresholds(), env.poll(), env.metrics(), env.alerts(),
                env.checks());
        vm.attach(fakes.context(single, history, Clock.systemDefaultZone()));
        pendingShows(3, OutboxViewModel.HeaderState.OK);
        pendingShows(4, OutboxViewModel.HeaderState.OK); // two more polls: a relay read would have answered by now
        assertTrue(vm.relayNotApplicableProperty().get().startsWith("not applicable: "), vm.relayNotApplicableProperty().get());
        assertEquals(null, vm.relayProblemProperty().get());
        assertEquals(null, vm.relayProperty().get(), "the slots are not read for a relay on a single stack");
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "relay of blue-green", () -> vm.relayProperty().get() != null);
        assertEquals(null, vm.relayNotApplicableProperty().get());
    }

    @Test
    void headerFollowsTheThresholds() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        pendingShows(99, OutboxViewModel.HeaderState.OK);
        assertTrue(vm.headerProperty().get().startsWith("Outbox: 99 pending — fine"), vm.headerProperty().get());
        pendingShows(100, OutboxViewModel.HeaderState.WARN);
        pendingShows(999, OutboxViewModel.HeaderState.WARN);
        pendingShows(1000, OutboxViewModel.HeaderState.CRITICAL);
        assertTrue(vm.headerProperty().get().contains("act now"), vm.headerProperty().get());
        pendingShows(0, OutboxViewModel.HeaderState.OK);
        assertTrue(vm.oldest().isEmpty());
    }

    @Test
    void fewPendingEventsThatWaitTooLongAreNotFine() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        fakes.oldestAgeSeconds = 2 * 3600 + 3 * 60; // a stuck relay: five events, two hours old
        pendingShows(5, OutboxViewModel.HeaderState.CRITICAL);
        assertEquals("Outbox: 5 pending — act now: oldest pending 2 h 3 min (≥ 30 min)", vm.headerProperty().get());
        fakes.oldestAgeSeconds = 400;
        pendingShows(6, OutboxViewModel.HeaderState.WARN);
        assertEquals("Outbox: 6 pending — watch it: oldest pending 6 min (≥ 5 min)", vm.headerProperty().get());
        fakes.oldestAgeSeconds = 40;
        pendingShows(7, OutboxViewModel.HeaderState.OK);
        assertEquals("Outbox: 7 pending — fine; oldest 40 s", vm.headerProperty().get());
    }

    @Test
    void eachSourceGoesDownAloneAndComesBack() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "both sources", () -> vm.backlogProperty().get() != null && vm.streamProperty().get() != null
                && vm.relayProperty().get() != null);
        assertEquals("selfology-outbox-relay-blue", vm.relayProperty().get().container());

        fakes.redisDown = "Redis 127.0.0.1:6379 on the server does not answer";
        awaitUi(() -> "redis problem: " + vm.streamProblemProperty().get(), () -> vm.streamProblemProperty().get() != null);
        assertTrue(vm.streamProblemProperty().get().startsWith("Redis: down; last answer at "), vm.streamProblemProperty().get());
        assertTrue(vm.streamProblemProperty().get().endsWith("does not answer"));
        assertNotNull(vm.streamProperty().get(), "the last stream values stay, marked stale");
        fakes.pending = 7;
        awaitUi(() -> "PostgreSQL still live", () -> vm.backlogProperty().get().pending() == 7);
        assertNull(vm.backlogProblemProperty().get());
        // fine by the backlog, but the stream is not known now: never green (as the morning check's rule), said why
        assertEquals(OutboxViewModel.HeaderState.UNKNOWN, vm.headerStateProperty().get());
        assertEquals("Outbox: 7 pending — fine; oldest 40 s; stream not read (Redis down)", vm.headerProperty().get());

        fakes.redisDown = null;
        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        awaitUi(() -> "pg problem: " + vm.backlogProblemProperty().get(),
                () -> vm.backlogProblemProperty().get() != null && vm.streamProblemProperty().get() == null);
        assertTrue(vm.backlogProblemProperty().get().startsWith("PostgreSQL: down; last answer at "));
        assertEquals(OutboxViewModel.HeaderState.DOWN, vm.headerStateProperty().get(), "never green while down");
        assertTrue(vm.headerProperty().get().matches("Outbox: PostgreSQL down; last answer at " + AT + " — 7 pending then"),
                vm.headerProperty().get());
        fakes.streamLength = 70;
        awaitUi(() -> "stream still live", () -> vm.streamProperty().get().length() == 70);

        fakes.pgDown = null;
        awaitUi(() -> "both back", () -> vm.backlogProblemProperty().get() == null && vm.streamProblemProperty().get() == null);
        assertEquals(OutboxViewModel.HeaderState.OK, vm.headerStateProperty().get());
    }

    /**
     * Sources down from the first poll: the empty tables say unknown, never "Nothing pending." nor "No consumer group."
     * (what the Outbox pane said beside "Redis: down; no answer yet" in a trial with Redis stopped); once read, a
     * table without rows is said as of the last read while its source is down.
     */
    @Test
    void anEmptyTableFromASourceNeverReadIsUnknownNotEmpty() {
        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        fakes.redisDown = "Redis 127.0.0.1:6379 on the server does not answer";
        assertEquals("Reading the outbox…", vm.oldestPlaceholder(), "before any poll");
        assertEquals("Reading the stream…", vm.groupsPlaceholder());
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "both down: " + vm.backlogProblemProperty().get() + " / " + vm.streamProblemProperty().get(),
                () -> vm.backlogProblemProperty().get() != null && vm.streamProblemProperty().get() != null);
        assertEquals("Pending events unknown: nothing read from PostgreSQL yet.", vm.oldestPlaceholder());
        assertEquals("Consumer groups unknown: nothing read from Redis yet.", vm.groupsPlaceholder());
        assertEquals("Oldest pending events", vm.oldestTitle(), "not \"0 pending events\"");

        fakes.pgDown = null;
        fakes.redisDown = null;
        awaitUi(() -> "read", () -> vm.backlogProblemProperty().get() == null && vm.streamProblemProperty().get() == null);
        assertEquals("Nothing pending.", vm.oldestPlaceholder(), "a read says what it read");
        assertEquals("No consumer group.", vm.groupsPlaceholder());

        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        fakes.redisDown = "Redis 127.0.0.1:6379 on the server does not answer";
        awaitUi(() -> "stale", () -> vm.backlogStaleSinceProperty().get() != null && vm.streamStaleSinceProperty().get() != null);
        assertEquals("Nothing pending " + vm.asOf(vm.backlogStaleSinceProperty()) + ", stale (PostgreSQL down).",
                vm.oldestPlaceholder());
        assertEquals("No consumer group " + vm.asOf(vm.streamStaleSinceProperty()) + ", stale (Redis down).",
                vm.groupsPlaceholder());
    }

    /**
     * PostgreSQL stops: the oldest pending age, the oldest events' ages and their title say "as of T" (the time of the
     * last read), never a frozen age that looks current; Redis's and the relay's values likewise; fresh again, not.
     */
    @Test
    void everyValueFromAStaleSourceSaysAsOfWhen() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        fakes.oldestAgeSeconds = 3 * 3600 + 24 * 60;
        awaitUi(() -> "all read", () -> vm.backlogProperty().get() != null && vm.streamProperty().get() != null
                && vm.relayProperty().get() != null && vm.backlogProperty().get().oldestPendingAgeSeconds() == 3 * 3600 + 24 * 60);
        assertEquals("3 h 24 min", vm.oldestPendingText());
        assertEquals("5 pending events, oldest first", vm.oldestTitle());
        assertEquals("40 s", vm.ageText(vm.oldest().get(0)));
        assertNull(vm.backlogStaleSinceProperty().get());

        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        fakes.redisDown = "Redis 127.0.0.1:6379 on the server does not answer";
        fakes.dockerDown = "Docker: Cannot connect to the Docker daemon";
        awaitUi(() -> "all stale: " + vm.backlogProblemProperty().get() + " / " + vm.relayProblemProperty().get(),
                () -> vm.backlogProblemProperty().get() != null && vm.streamProblemProperty().get() != null
                        && vm.relayProblemProperty().get() != null);
        String at = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .format(vm.backlogStaleSinceProperty().get().atZone(java.time.ZoneId.systemDefault()));
        assertEquals("3 h 24 min as of " + at, vm.oldestPendingText(), "the tile: as old as that then");
        assertEquals("5 pending events, oldest first — as of " + at + ", stale (PostgreSQL down)", vm.oldestTitle());
        assertEquals("40 s at " + at, vm.ageText(vm.oldest().get(0)), "each age is its age then");
        assertNotNull(vm.streamStaleSinceProperty().get(), "Redis's values are as of its last read");
        assertTrue(vm.asOf(vm.streamStaleSinceProperty()).startsWith("as of "));
        assertNotNull(vm.relayStaleSinceProperty().get(), "the relay's state is as of its last read");

        fakes.pgDown = null;
        fakes.redisDown = null;
        fakes.dockerDown = null;
        awaitUi(() -> "fresh", () -> vm.backlogProblemProperty().get() == null && vm.streamProblemProperty().get() == null
                && vm.relayProblemProperty().get() == null);
        assertNull(vm.backlogStaleSinceProperty().get());
        assertNull(vm.streamStaleSinceProperty().get());
        assertNull(vm.relayStaleSinceProperty().get());
        assertEquals("3 h 24 min", vm.oldestPendingText());
    }

    /** A missing table (or column, or stream) is "misconfigured" in the pane, not "PostgreSQL down". */
    @Test
    void aMissingTableOrStreamIsMisconfiguredNotDown() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "both sources", () -> vm.backlogProperty().get() != null && vm.streamProperty().get() != null);

        fakes.pgMisconfigured = "relation \"selfology.event_outbox\" does not exist (outbox.table in the environments file)";
        fakes.redisMisconfigured = "no stream 'selfology:events' (redis.stream in the environments file)";
        awaitUi(() -> "misconfigured: " + vm.backlogProblemProperty().get() + " / " + vm.streamProblemProperty().get(),
                () -> vm.backlogProblemProperty().get() != null && vm.streamProblemProperty().get() != null);
        assertEquals(OutboxViewModel.HeaderState.MISCONFIGURED, vm.headerStateProperty().get(), "never green, not down either");
        assertTrue(vm.headerProperty().get().startsWith("Outbox: PostgreSQL misconfigured"), vm.headerProperty().get());
        assertTrue(vm.backlogProblemProperty().get().startsWith("PostgreSQL: misconfigured"), vm.backlogProblemProperty().get());
        assertTrue(vm.backlogProblemProperty().get().endsWith("(outbox.table in the environments file)"), vm.backlogProblemProperty().get());
        assertTrue(vm.streamProblemProperty().get().startsWith("Redis: misconfigured"), vm.streamProblemProperty().get());
        assertFalse(vm.streamProblemProperty().get().contains("down"), vm.streamProblemProperty().get());

        fakes.pgMisconfigured = null;
        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        awaitUi(() -> "down now: " + vm.headerProperty().get(), () -> vm.headerStateProperty().get() == OutboxViewModel.HeaderState.DOWN);
        assertTrue(vm.backlogProblemProperty().get().startsWith("PostgreSQL: down"), vm.backlogProblemProperty().get());

        fakes.pgDown = null;
        fakes.redisMisconfigured = null;
        awaitUi(() -> "both back", () -> vm.backlogProblemProperty().get() == null && vm.streamProblemProperty().get() == null);
        assertEquals(OutboxViewModel.HeaderState.OK, vm.headerStateProperty().get());
    }

    /** The local store failing when the pane opens (busy, locked) does not leave it without history for the session. */
    @Test
    void historyThatFailedToLoadIsLoadedAgainByTheNextPoll() {
        Instant earlier = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minus(Duration.ofHours(2));
        history.append("ref", List.of(new BacklogSample(earlier, 4L, 30L, 50L, 2L, BacklogSample.Source.CONSOLE))).join();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        io.dutydesk.core.ports.OutboxHistory busyOnce = new io.dutydesk.core.ports.OutboxHistory() {
            @Override
            public CompletableFuture<Void> append(String environment, List<BacklogSample> samples) {
                return history.append(environment, samples);
            }

            @Override
            public CompletableFuture<List<BacklogSample>> since(String environment, Instant from) {
                return reads.incrementAndGet() == 1
                        ? CompletableFuture.failedFuture(new java.sql.SQLException("[SQLITE_BUSY] The database file is locked"))
                        : history.since(environment, from);
            }

            @Override
            public CompletableFuture<Integer> prune(Instant before) {
                return history.prune(before);
            }
        };
        vm.attach(fakes.context(env, busyOnce, Clock.systemDefaultZone()));
        awaitUi(() -> "loaded after all: " + vm.historyNoteProperty().get() + ", " + vm.history().size() + " samples",
                () -> vm.history().stream().anyMatch(x -> x.at().equals(earlier)));
        assertTrue(reads.get() >= 2, "read again");
        assertFalse(vm.historyNoteProperty().get().contains("not available"), vm.historyNoteProperty().get());
    }

    @Test
    void groupsAndConsumersAreRowsAndAnUnknownLagSaysSo() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "groups", () -> vm.groups().size() == 3);
        List<OutboxViewModel.GroupRow> rows = List.copyOf(vm.groups());
        assertEquals(new OutboxViewModel.GroupRow("analysis-workers", "", 1, 10, "28", ""), rows.get(0));
        assertEquals(new OutboxViewModel.GroupRow("analysis-workers", "worker-1", 0, 10, "", "12 min"), rows.get(1));
        assertEquals("unknown", rows.get(2).lag(), "XINFO GROUPS lag can be nil");
    }

    @Test
    void theMissingIndexIsAdvisedNeverCreated() {
        fakes.indexOk = false;
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "advice", () -> vm.indexAdviceProperty().get() != null);
        assertTrue(vm.indexAdviceProperty().get().startsWith("CREATE INDEX CONCURRENTLY"));
        fakes.indexOk = true;
        awaitUi(() -> "advice gone", () -> vm.indexAdviceProperty().get() == null);
    }

    @Test
    void historySurvivesARestartAndPrometheusFillsTheTimeTheConsoleWasClosed() {
        Instant now = Instant.now();
        // an earlier session polled 3 h ago for a minute; the console was closed since
        history.append("ref", List.of(
                new BacklogSample(now.minus(Duration.ofHours(3)), 4L, 30L, 50L, 2L, BacklogSample.Source.CONSOLE),
                new BacklogSample(now.minus(Duration.ofHours(3)).plusSeconds(60), 6L, 40L, 52L, 3L, BacklogSample.Source.CONSOLE))).join();
        // Prometheus scraped all along (a point every 2 minutes), the backlog peaked at 1200 an hour ago
        List<OutboxFakes.Point> points = new java.util.ArrayList<>();
        for (Instant t = now.minus(Duration.ofHours(30)); t.isBefore(now.minusSeconds(60)); t = t.plusSeconds(120)) {
            points.add(new OutboxFakes.Point(t, Duration.between(t, now).toMinutes() == 60 ? 1200 : 40));
        }
        fakes.prometheusPoints = points;
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "history " + vm.history(), () -> vm.history().stream().filter(s -> s.source() == BacklogSample.Source.CONSOLE).count() >= 4);
        List<BacklogSample> h = List.copyOf(vm.history());
        assertEquals(4L, h.stream().filter(s -> s.source() == BacklogSample.Source.CONSOLE).findFirst().orElseThrow().pending());
        assertEquals(BacklogSample.Source.PROMETHEUS, h.get(0).source(), "before the earlier session: Prometheus's");
        assertTrue(!h.get(0).at().isBefore(now.minus(Duration.ofHours(24))), "the last 24 h only");
        assertTrue(h.stream().anyMatch(s -> s.source() == BacklogSample.Source.PROMETHEUS && s.pending() == 1200L));
        for (int i = 1; i < h.size(); i++) {
            assertTrue(!h.get(i).at().isBefore(h.get(i - 1).at()), "oldest first: " + h.get(i - 1) + " then " + h.get(i));
        }
        assertTrue(vm.historyNoteProperty().get().contains("from Prometheus"), vm.historyNoteProperty().get());
        vm.close();

        // a new view-model on the same store: the samples it polled are there, Prometheus is not asked again
        int asked = fakes.rangeQueries.get();
        OutboxViewModel again = new OutboxViewModel(ui, scheduler, Clock.systemDefaultZone());
        again.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "history after restart", () -> again.history().size() >= h.size());
        assertTrue(again.history().stream().anyMatch(s -> s.source() == BacklogSample.Source.PROMETHEUS && s.pending() == 1200L));
        assertEquals(asked, fakes.rangeQueries.get(), "the filled gap is kept, not asked again");
        again.close();
    }

    @Test
    void restartingTheRelayIsAudited() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        awaitUi(() -> "relay", () -> vm.relayProperty().get() != null);
        vm.restartRelay().join();
        assertEquals(List.of("selfology-outbox-relay-blue"), fakes.restarted);
        awaitUi(() -> "audited: " + fakes.audit.entries, () -> fakes.audit.entries.stream()
                .anyMatch(e -> e.action().equals("restart") && "succeeded".equals(e.result())));
        assertTrue(fakes.audit.entries.stream().allMatch(e -> e.args().equals(List.of("selfology-outbox-relay-blue"))));
        assertTrue(vm.actionStatusProperty().get().startsWith("✔ restarted selfology-outbox-relay-blue"));
    }

    io.dutydesk.ui.fx.NavBadge badge() {
        io.dutydesk.ui.fx.PaneState st = vm.paneState().get();
        return st == null ? null : st.badge();
    }

    /** The header and the navigation's badge, one state: {@code header} and the badge's state and words. */
    void showsAndBadge(OutboxViewModel.HeaderState header, String state, String text) {
        awaitUi(() -> "header " + vm.headerStateProperty().get() + " " + vm.headerProperty().get() + ", badge " + badge(),
                () -> vm.headerStateProperty().get() == header && badge() != null && badge().state().equals(state)
                        && badge().text().equals(text));
    }

    /**
     * The window trial: the Outbox badge said "ok" (the morning check's) beside the pane's "PostgreSQL down". The badge
     * is drawn from the pane's one state, with its header: every level, PostgreSQL down or misconfigured, the stream or
     * the relay not read — never better than the header; and it says as of when the pane read it and whether it is shown.
     */
    @Test
    void theBadgeIsTheHeadersStateNeverBetter() {
        assertNull(vm.paneState().get(), "nothing read: nothing to say");
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        fakes.pending = 5;
        showsAndBadge(OutboxViewModel.HeaderState.OK, "pass", "ok");
        java.time.Instant first = vm.paneState().get().asOf();
        assertTrue(vm.paneState().get().shown());
        fakes.pending = 100;
        showsAndBadge(OutboxViewModel.HeaderState.WARN, "warn", "warn");
        assertTrue(badge().tooltip().startsWith("watch it (≥ 100)"), badge().tooltip());
        fakes.pending = 1000;
        showsAndBadge(OutboxViewModel.HeaderState.CRITICAL, "fail", "fail");
        assertTrue(!vm.paneState().get().asOf().isBefore(first), "as of the newest read");

        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        showsAndBadge(OutboxViewModel.HeaderState.DOWN, "unknown", "down");
        assertTrue(badge().tooltip().matches("PostgreSQL down; last answer at " + AT + " \\(as the pane shows it\\)"),
                badge().tooltip());
        assertTrue(vm.headerProperty().get().startsWith("Outbox: " + badge().tooltip().replace(" (as the pane shows it)", "")),
                "the same words: " + vm.headerProperty().get());
        fakes.pgDown = null;
        fakes.pgMisconfigured = "relation \"selfology.event_outbox\" does not exist (outbox.table in the environments file)";
        showsAndBadge(OutboxViewModel.HeaderState.MISCONFIGURED, "warn", "config");

        fakes.pgMisconfigured = null;
        fakes.pending = 5;
        fakes.redisDown = "Redis 127.0.0.1:6379 on the server does not answer";
        showsAndBadge(OutboxViewModel.HeaderState.UNKNOWN, "unknown", "?");
        assertTrue(badge().tooltip().contains("stream not read (Redis down)"), badge().tooltip());
        fakes.pending = 1000;
        showsAndBadge(OutboxViewModel.HeaderState.CRITICAL, "fail", "fail"); // a known critical stays critical
        fakes.redisDown = null;
        fakes.pending = 5;
        fakes.dockerDown = "Docker: Cannot connect to the Docker daemon";
        // the stream read again and the relay not: an UNKNOWN of the stream still down (its next poll not come yet) is
        // not this one
        awaitUi(() -> "the stream read again, the relay not: " + vm.headerProperty().get(),
                () -> vm.streamProblemProperty().get() == null && vm.relayProblemProperty().get() != null);
        showsAndBadge(OutboxViewModel.HeaderState.UNKNOWN, "unknown", "?");
        assertTrue(vm.headerProperty().get().endsWith("; relay not read"), vm.headerProperty().get());
        fakes.dockerDown = null;
        showsAndBadge(OutboxViewModel.HeaderState.OK, "pass", "ok");

        vm.hidden();
        assertTrue(!vm.paneState().get().shown(), "hidden: it reads nothing, its state is as of its last read");
        vm.shown();
        assertTrue(vm.paneState().get().shown());
        vm.detach();
        assertNull(vm.paneState().get(), "nothing of the environment left");
    }

    /**
     * PostgreSQL still being read (its read never ends here; its timeout a minute) and the stream already down: the header
     * still reads, and the badge is unknown with it, never the check's "ok" beside the stream's banner.
     */
    @Test
    void aSourceDownBeforeTheBacklogIsReadMakesTheBadgeUnknown() {
        fakes.redisDown = "Redis 127.0.0.1:6379 on the server does not answer";
        Environment slow = env.withPoll(new Environment.Poll(env.poll().interval(), env.poll().maxBackoff(), Duration.ofSeconds(60)));
        OutboxContext c = fakes.context(slow, history, Clock.systemDefaultZone());
        vm.attach(new OutboxContext(new OutboxService(slow, () -> new CompletableFuture<>(), fakes, Clock.systemDefaultZone()),
                c.slots(), c.rollout(), c.history(), c.prometheus()));
        awaitUi(() -> "the stream down: " + badge(), () -> vm.streamProblemProperty().get() != null && badge() != null);
        assertEquals("unknown", badge().state());
        assertEquals("?", badge().text());
        assertTrue(badge().tooltip().startsWith("the backlog not read yet; stream not read (Redis down)"), badge().tooltip());
        assertEquals(OutboxViewModel.HeaderState.UNKNOWN, vm.headerStateProperty().get());
        assertNull(vm.backlogProperty().get());
    }
    /** {@code env}'s health: every backend answering but those in {@code down}, down since their last answer a minute ago. */
    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.Backend... down) {
        return health(env, seq, io.dutydesk.core.health.BackendStatus.State.DOWN, down);
    }

    /** As above, those in {@code failing} {@code state} (DOWN, or MISCONFIGURED: answering without what the file names). */
    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.health.BackendStatus.State state,
                                                         io.dutydesk.core.Backend... failing) {
        Instant now = Instant.now();
        java.util.Map<io.dutydesk.core.Backend, io.dutydesk.core.health.BackendStatus> m = new java.util.EnumMap<>(io.dutydesk.core.Backend.class);
        for (io.dutydesk.core.Backend b : io.dutydesk.core.Backend.values()) {
            m.put(b, List.of(failing).contains(b)
                    ? new io.dutydesk.core.health.BackendStatus(b, state, -1, "connection refused",
                    now, now.minusSeconds(55), now.minusSeconds(60))
                    : new io.dutydesk.core.health.BackendStatus(b, io.dutydesk.core.health.BackendStatus.State.OK, 3, null, now, null, now));
        }
        return new io.dutydesk.core.health.HealthSnapshot(env, seq, now, m);
    }

    /**
     * Hidden, the pane reads nothing (its pollers paused), and its badge stood on its last read: "ok" beside the header's
     * "PostgreSQL down" — newer than the morning's run, it won over the run's badge the Today pane had made unknown. The
     * header's health (the pane contract's {@code health}) makes what it read through a backend down now unknown, never
     * green; a known warn or critical stays; back up, it is its last read again. Another environment's health is not its.
     */
    @Test
    void hiddenItsBadgeIsNeverOkWhileASourceItReadsThroughIsDown() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        fakes.pending = 5;
        showsAndBadge(OutboxViewModel.HeaderState.OK, "pass", "ok");
        vm.hidden();
        vm.health(health(env.name(), 1, io.dutydesk.core.Backend.POSTGRES));
        assertEquals("unknown", badge().state(), badge().toString());
        assertEquals(OutboxViewModel.HeaderState.UNKNOWN, vm.headerStateProperty().get());
        assertTrue(vm.headerProperty().get().matches("Outbox: 5 pending — fine.*; PostgreSQL down; last answer at " + AT),
                vm.headerProperty().get());
        assertTrue(badge().tooltip().contains("PostgreSQL down; last answer at "), badge().tooltip());
        vm.health(health("prod", 2));
        assertEquals("unknown", badge().state(), "another environment's health says nothing of this one");
        vm.health(health(env.name(), 3));
        assertEquals("pass", badge().state(), "back up: its last read");
        vm.health(health(env.name(), 4, io.dutydesk.core.Backend.SSH));
        assertEquals("unknown", badge().state(), "SSH carries every source");
        vm.health(health(env.name(), 5, io.dutydesk.core.Backend.DOCKER));
        assertEquals("unknown", badge().state(), "the relay is read through Docker");
        vm.health(health(env.name(), 6, io.dutydesk.core.Backend.PROMETHEUS));
        assertEquals("pass", badge().state(), "nothing of the pane's state is read through Prometheus");
    }

    /**
     * A read that failed while the pane was shown (PostgreSQL down), the pane then hidden: when PostgreSQL answers again
     * that source is read once and the badge comes back, though hidden; it stayed "down" from that failure until the pane
     * was shown again (the window trial saw the Backups pane's badge do so after an SSH outage). Paused, it reads nothing
     * at the interval.
     */
    @Test
    void hiddenAfterAFailedReadItsSourceIsReadOnceWhenItAnswersAgain() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        fakes.pending = 5;
        showsAndBadge(OutboxViewModel.HeaderState.OK, "pass", "ok");
        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        showsAndBadge(OutboxViewModel.HeaderState.DOWN, "unknown", "down");
        vm.hidden();
        fakes.pgDown = null;
        vm.health(health(env.name(), 1)); // every backend answers again
        vm.recovered(io.dutydesk.core.Backend.POSTGRES);
        showsAndBadge(OutboxViewModel.HeaderState.OK, "pass", "ok");
        assertFalse(vm.paneState().get().shown(), "still hidden");
    }

    /**
     * A backend it reads through misconfigured in the header's health (Redis answering without the stream the file names)
     * is not read as named either: unknown, never green, as one down — the Outbox pane's rule, which the Slots and Backups
     * panes now share ({@link io.dutydesk.ui.fx.PaneSources}).
     */
    @Test
    void hiddenItsBadgeIsNeverOkWhileASourceItReadsThroughIsMisconfigured() {
        vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
        fakes.pending = 5;
        showsAndBadge(OutboxViewModel.HeaderState.OK, "pass", "ok");
        vm.hidden();
        vm.health(health(env.name(), 1, io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED, io.dutydesk.core.Backend.REDIS));
        assertEquals("unknown", badge().state(), badge().toString());
        assertTrue(vm.headerProperty().get().matches("Outbox: 5 pending — fine.*; Redis misconfigured; last good answer at " + AT),
                vm.headerProperty().get());
        vm.health(health(env.name(), 2));
        assertEquals("pass", badge().state(), "answering as named again: its last read");
    }
}
