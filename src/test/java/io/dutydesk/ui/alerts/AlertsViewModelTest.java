package io.dutydesk.ui.alerts;

import io.dutydesk.adapters.store.SqliteAlertHistory;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.Notifier;
import io.dutydesk.testing.FakeAlerts;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerts view-model over a stand-in Alertmanager and the real local store. It runs on a {@link UiQueue}: one thread,
 * this one, as on the FX thread (with {@code Runnable::run} the poll's and the store's threads changed its rows, counts and
 * history while this thread read them).
 */
class AlertsViewModelTest {
    @TempDir
    Path tmp;
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final UiQueue ui = new UiQueue();
    final FakeAlerts am = new FakeAlerts("ref");
    final MemoryAuditLog audit = MemoryAuditLog.create();
    final List<Notifier.Notice> notices = new CopyOnWriteArrayList<>();
    SqliteStore store;
    AlertsViewModel vm;
    Environment env;

    static Environment env() {
        return EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1, port: 24022, user: dutydesk-deploy }
                    alerts: { pollSeconds: 1, groupBy: [alertname] }
                """).require("ref");
    }

    @BeforeEach
    void setUp() {
        env = env();
        store = SqliteStore.open(tmp.resolve("dutydesk.db"));
        vm = new AlertsViewModel(ui, scheduler, Clock.systemUTC(), h -> { throw new AssertionError("unused"); },
                notices::add);
        vm.onFeed(f -> feeds.incrementAndGet());
    }

    @AfterEach
    void tearDown() {
        vm.close();
        scheduler.shutdownNow();
        store.close();
    }

    void attach() {
        vm.attach(new AlertsService(env, am, am, new SqliteAlertHistory(store), audit, "me@host", Clock.systemUTC()));
    }

    @Test
    void feedIsGroupedCountedRecordedAndANewCriticalNotifiesOnce() {
        Instant t = Instant.now().minusSeconds(60);
        am.alerts.add(FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "a"));
        am.alerts.add(FakeAlerts.alert("critical", t.plusSeconds(5), "alertname", "ServiceDown", "service", "b"));
        am.alerts.add(FakeAlerts.alert("warning", t, "alertname", "HighErrorRate", "service", "a"));
        attach();
        ui.await("the first poll shows", Duration.ofSeconds(10), () -> vm.rows().size() == 5
                && "3 alerts in 2 groups".equals(vm.shownSummaryProperty().get()));
        assertTrue(vm.rows().get(0).header());
        assertEquals("ServiceDown", vm.rows().get(0).group().title());
        assertEquals("b", vm.rows().get(1).alert().labels().get("service"), "newest first inside a group");
        assertEquals("HighErrorRate", vm.rows().get(3).group().title());
        assertEquals(List.of("critical=2", "warning=1", "info=0"), vm.counts().stream().map(Object::toString).toList());
        assertEquals("3 alerts in 2 groups", vm.shownSummaryProperty().get());
        ui.await("history shows what fired", Duration.ofSeconds(10), () -> vm.history().size() == 3);
        assertEquals(2, notices.size(), "one notice per new critical alert, none for the warning");
        int polls = pollsSeen();
        ui.await("a few more polls", Duration.ofSeconds(10), () -> pollsSeen() > polls + 1);
        assertEquals(2, notices.size(), "still firing is not new");
        assertNull(vm.problemProperty().get());
    }

    final AtomicInteger feeds = new AtomicInteger();

    /**
     * Hidden, the pane still polls the feed — a new critical alert notifies while another pane is shown — but reads
     * neither the silences nor the history; shown again it reads them at once.
     */
    @Test
    void hiddenTheFeedStillNotifiesButTheSilencesWaitUntilShown() {
        attach();
        ui.await("the first poll shows", Duration.ofSeconds(10), () -> vm.feedProperty().get() != null && am.silenceReads.get() >= 1);
        vm.hidden();
        int before = feeds.get();
        ui.await("a poll after it was hidden", Duration.ofSeconds(10), () -> feeds.get() >= before + 1);
        int silences = am.silenceReads.get();
        int polls = feeds.get();
        am.alerts.add(FakeAlerts.alert("critical", Instant.now().minusSeconds(5), "alertname", "ServiceDown", "service", "a"));
        ui.await("notified while hidden", Duration.ofSeconds(10), () -> notices.size() == 1);
        ui.await("two more polls", Duration.ofSeconds(10), () -> feeds.get() >= polls + 2);
        assertEquals(silences, am.silenceReads.get(), "the silences are not read while hidden");
        assertTrue(vm.history().isEmpty(), "nor the history");

        vm.shown();
        // at once: read by shown() itself, before it returns (the silences' own ticker may add its read at any moment)
        assertTrue(am.silenceReads.get() >= silences + 1, "shown again: the silences are read at once");
        ui.await("the history at once", Duration.ofSeconds(10), () -> vm.history().size() == 1);
    }

    int pollsSeen() {
        return feeds.get();
    }

    /**
     * Alertmanager sets an alert's updatedAt at each of Prometheus's resends (every minute by default, every 3 s on the
     * reference host), and nothing shows it: a feed that differs only there rebuilds no row and keeps the selected alert
     * (its details are not drawn anew: a hidden pane changes no node, a shown one keeps its Silence… button); any other
     * change still does both.
     */
    @Test
    void aResentAlertRebuildsNoRowAndKeepsTheSelectionAChangedOneDoes() {
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        Alert a = FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "a");
        vm.show(new io.dutydesk.core.alerts.AlertsFeed("ref", t.plusSeconds(60), List.of(a)));
        vm.selectedProperty().set(a);
        AtomicInteger rowEvents = new AtomicInteger();
        AtomicInteger selections = new AtomicInteger();
        vm.rows().addListener((javafx.collections.ListChangeListener<AlertRow>) c -> rowEvents.incrementAndGet());
        vm.selectedProperty().addListener((o, x, y) -> selections.incrementAndGet());

        Alert resent = new Alert(a.fingerprint(), a.alertname(), a.severity(), a.state(), a.startsAt(), t.plusSeconds(63),
                a.labels(), a.annotations(), a.silencedBy(), a.inhibitedBy(), a.generatorURL());
        vm.show(new io.dutydesk.core.alerts.AlertsFeed("ref", t.plusSeconds(65), List.of(resent)));
        assertEquals(0, rowEvents.get(), "only updatedAt changed: no row rebuilt");
        assertEquals(0, selections.get(), "only updatedAt changed: the selection (and its details) kept");

        Alert silenced = FakeAlerts.silencedBy(resent, "s1");
        vm.show(new io.dutydesk.core.alerts.AlertsFeed("ref", t.plusSeconds(70), List.of(silenced)));
        assertTrue(rowEvents.get() >= 1, "a change that shows rebuilds the rows");
        assertTrue(vm.selectedProperty().get() == silenced, "and the selection follows it");
    }


    /** Two windows (two processes: each its own store on the one file) on one alert: each notifies exactly once. */
    @Test
    void eachWindowNotifiesANewCriticalOnceWhoeverRecordedItFirst() throws Exception {
        List<Notifier.Notice> second = new CopyOnWriteArrayList<>();
        SqliteStore otherStore = SqliteStore.open(tmp.resolve("dutydesk.db"));
        AlertsViewModel other = new AlertsViewModel(ui, scheduler, Clock.systemUTC(),
                h -> { throw new AssertionError("unused"); }, second::add);
        try {
            AtomicInteger otherFeeds = new AtomicInteger();
            other.onFeed(f -> otherFeeds.incrementAndGet());
            attach();
            other.attach(new AlertsService(env, am, am, new SqliteAlertHistory(otherStore), audit, "me@host", Clock.systemUTC()));
            ui.await("both read", Duration.ofSeconds(10), () -> pollsSeen() > 0 && otherFeeds.get() > 0);
            Alert a = FakeAlerts.alert("critical", Instant.now(), "alertname", "ServiceDown", "service", "a");
            am.alerts.add(a);
            ui.await("both show it", Duration.ofSeconds(10), () -> vm.rows().size() == 2 && other.rows().size() == 2);
            int mine = pollsSeen();
            int theirs = otherFeeds.get();
            ui.await("a few more polls", Duration.ofSeconds(10), () -> pollsSeen() > mine + 1 && otherFeeds.get() > theirs + 1);
            assertEquals(1, notices.stream().filter(n -> n.key().endsWith(a.fingerprint())).count(), "this window: " + notices);
            assertEquals(1, second.stream().filter(n -> n.key().endsWith(a.fingerprint())).count(), "the other window: " + second);
            assertEquals(List.of("firing"), new SqliteAlertHistory(store).since("ref", Instant.now().minusSeconds(600)).get()
                    .stream().map(t -> t.event()).toList(), "recorded once, by whichever window was first");
        } finally {
            other.close();
            otherStore.close();
        }
    }

    /** The local store fails (locked, disk full): the firing is still notified, and the pane says the history is not kept. */
    @Test
    void aNewCriticalIsNotifiedWhenTheStoreFails() {
        AlertHistory broken = new AlertHistory() {
            <T> java.util.concurrent.CompletableFuture<T> fail() {
                return java.util.concurrent.CompletableFuture.failedFuture(new java.sql.SQLException("[SQLITE_BUSY] database is locked"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<java.util.Optional<Instant>> lastPoll(String e) { return fail(); }

            @Override
            public java.util.concurrent.CompletableFuture<java.util.Map<String, io.dutydesk.core.alerts.Tracked>> open(String e) {
                return fail();
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<io.dutydesk.core.alerts.Transition>> observe(
                    io.dutydesk.core.alerts.AlertsFeed feed) { return fail(); }

            @Override
            public java.util.concurrent.CompletableFuture<Void> record(String e, List<io.dutydesk.core.alerts.Transition> ts) {
                return fail();
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<io.dutydesk.core.alerts.Transition>> since(String e, Instant since) {
                return fail();
            }
        };
        Alert a = FakeAlerts.alert("critical", Instant.now(), "alertname", "ServiceDown", "service", "a");
        am.alerts.add(a);
        vm.attach(new AlertsService(env, am, am, broken, audit, "me@host", Clock.systemUTC()));
        ui.await("shown", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        ui.await("notified", Duration.ofSeconds(10), () -> notices.size() == 1);
        ui.await("the pane says the history fails", Duration.ofSeconds(10), () -> vm.historyProblemProperty().get() != null
                && vm.historyProblemProperty().get().contains("database is locked"));
        int polls = pollsSeen();
        ui.await("a few more polls", Duration.ofSeconds(10), () -> pollsSeen() > polls + 1);
        assertEquals(1, notices.size(), "once");
    }

    /** Prometheus stops: the pane says no alert can fire; its alerts are unknown (not counted as critical), with ages up to then. */
    @Test
    void prometheusDownMarksItsAlertsUnknownAndThePaneSaysNoAlertCanFire() {
        Alert a = FakeAlerts.alert("critical", Instant.now().minusSeconds(600), "alertname", "ServiceDown", "service", "a");
        am.alerts.add(a);
        attach();
        ui.await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        assertNull(vm.cannotFireProperty().get());
        assertEquals(List.of("critical=1", "warning=0", "info=0"), vm.counts().stream().map(Object::toString).toList());
        am.prometheusDown = "connection refused";
        ui.await("says so", Duration.ofSeconds(10), () -> vm.cannotFireProperty().get() != null);
        assertTrue(vm.cannotFireProperty().get().startsWith("No alert can fire or resolve: Prometheus down: "),
                vm.cannotFireProperty().get());
        ui.await("unknown", Duration.ofSeconds(10), () -> vm.rows().size() == 2 && vm.rows().get(1).unverified() != null);
        AlertRow row = vm.rows().get(1);
        assertTrue(row.unverified().reason().contains("connection refused"), row.unverified().reason());
        assertEquals(row.unverified().since(), row.asOf(), "its text and age are as of the last check that worked");
        assertEquals(List.of("critical=0", "warning=0", "info=0"), vm.counts().stream().map(Object::toString).toList());
        assertEquals(1L, vm.unknownProperty().get());
        // Alertmanager drops it: still shown, unknown
        am.alerts.clear();
        int polls = pollsSeen();
        ui.await("polled", Duration.ofSeconds(10), () -> pollsSeen() > polls + 1);
        assertEquals(2, vm.rows().size());
        assertEquals(AlertsService.UNKNOWN, vm.rows().get(1).alert().state());
        assertTrue(notices.size() == 1, notices.toString());
        am.prometheusDown = null;
        // back, Prometheus holds nothing for it: not resolved before it has had the time to scrape again (AlertsTruthTest
        // resolves it then, on a clock of its own), still unknown, saying why
        ui.await("Prometheus back", Duration.ofSeconds(10), () -> vm.cannotFireProperty().get() == null && vm.rows().size() == 2
                && vm.rows().get(1).unverified() != null && vm.rows().get(1).unverified().reason().startsWith("Prometheus is back since "));
    }

    @Test
    void alertmanagerDownKeepsTheLastFeedMarkedStale() {
        am.alerts.add(FakeAlerts.alert("critical", Instant.now(), "alertname", "ServiceDown", "service", "a"));
        attach();
        ui.await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        am.down = "Alertmanager refused reading alerts (HTTP 500): internal error";
        vm.refresh();
        ui.await("down is shown", Duration.ofSeconds(10), () -> vm.problemProperty().get() != null);
        String p = vm.problemProperty().get();
        assertTrue(p.startsWith("Alertmanager: down; last answer at "), p);
        assertTrue(p.contains("HTTP 500): internal error"), p);
        assertTrue(vm.staleProperty().get());
        assertEquals(2, vm.rows().size(), "the last good feed stays, never emptied");
        am.down = null;
        vm.refresh();
        ui.await("recovers", Duration.ofSeconds(20), () -> vm.problemProperty().get() == null && !vm.staleProperty().get());
    }

    /**
     * Prometheus stops: a critical alert whose truth is unknown is not counted as critical — and not hidden either: the
     * header says "1 unknown (1 critical)". Alertmanager stops: the counts shown are the last good read's, "as of T".
     */
    @Test
    void anUnknownCriticalIsNeverHiddenAndStaleCountsSayAsOfWhen() {
        Instant t = Instant.now().minusSeconds(600);
        am.alerts.add(FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "a"));
        am.alerts.add(FakeAlerts.alert("warning", t, "alertname", "HighErrorRate", "service", "a"));
        attach();
        ui.await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 4);
        assertEquals("", vm.unknownTextProperty().get());
        am.prometheusDown = "connection refused";
        ui.await("unknown", Duration.ofSeconds(10), () -> vm.unknownProperty().get() == 2L);
        assertEquals(List.of("critical=0", "warning=0", "info=0"), vm.counts().stream().map(Object::toString).toList());
        assertEquals("2 unknown (1 critical, 1 warning)", vm.unknownTextProperty().get(), "a critical is never hidden");
        assertNull(vm.countsAsOfProperty().get(), "Alertmanager answers: the counts are current");

        am.down = "Alertmanager refused reading alerts (HTTP 500): internal error";
        vm.refresh();
        ui.await("stale", Duration.ofSeconds(10), () -> vm.countsAsOfProperty().get() != null);
        assertEquals("as of " + vm.time(vm.staleSinceProperty().get()), vm.countsAsOfProperty().get());
        am.down = null;
        am.prometheusDown = null;
        vm.refresh();
        ui.await("current again", Duration.ofSeconds(20), () -> vm.countsAsOfProperty().get() == null && vm.unknownProperty().get() == 0L);
        assertEquals("", vm.unknownTextProperty().get());
        assertEquals(List.of("critical=1", "warning=1", "info=0"), vm.counts().stream().map(Object::toString).toList());
    }

    @Test
    void filterTakesMatchersAndABadOneSaysWhy() {
        Instant t = Instant.now();
        am.alerts.add(FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "analysis-worker"));
        am.alerts.add(FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "session-management"));
        am.alerts.add(FakeAlerts.alert("warning", t, "alertname", "HighErrorRate", "service", "analysis-worker"));
        attach();
        ui.await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 5);
        vm.filterTextProperty().set("severity=\"critical\" service=~\"analysis.*\"");
        assertEquals(2, vm.rows().size());
        assertEquals("1 of 3 alerts match", vm.shownSummaryProperty().get());
        vm.filterTextProperty().set("service=~\"(\"");
        assertTrue(vm.filterErrorProperty().get().contains("not a valid regular expression"), vm.filterErrorProperty().get());
        assertEquals(2, vm.rows().size(), "the last good filter stays");
        vm.filterTextProperty().set("");
        assertNull(vm.filterErrorProperty().get());
        assertEquals(5, vm.rows().size());
        vm.toggle(vm.rows().get(0).group());
        assertEquals(3, vm.rows().size(), "a collapsed group shows its header only");
        assertTrue(vm.rows().get(0).collapsed());
    }

    @Test
    void silencingIsAuditedAndARefusalShowsAlertmanagersWords() throws Exception {
        Alert a = FakeAlerts.alert("critical", Instant.now(), "alertname", "ServiceDown", "service", "a");
        am.alerts.add(a);
        attach();
        ui.await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        List<Matcher> prefill = vm.prefill(a);
        assertEquals(List.of("alertname=\"ServiceDown\"", "service=\"a\"", "severity=\"critical\""),
                prefill.stream().map(Matcher::toString).toList());
        Instant now = Instant.now();
        String id = ui.join("silenced", Duration.ofSeconds(10),
                vm.silence(new SilenceRequest(prefill, now, now.plusSeconds(3600), "me@host", "restarting a")));
        assertEquals("s0", id);
        assertTrue(vm.statusProperty().get().startsWith("Silenced"), vm.statusProperty().get());
        assertEquals("succeeded", audit.entries.get(0).result());
        assertEquals("silence", audit.entries.get(0).action());
        am.refuseSilence = "silence invalid: invalid label matcher 0";
        try {
            ui.join("refused", Duration.ofSeconds(10), vm.silence(new SilenceRequest(prefill, now, now.plusSeconds(3600), "me@host",
                    "again")));
        } catch (java.util.concurrent.CompletionException expected) {
            // refused
        }
        assertTrue(vm.statusProperty().get().contains("silence invalid: invalid label matcher 0"), vm.statusProperty().get());
        assertEquals("refused", audit.entries.get(1).result());
        assertTrue(audit.entries.get(1).message().contains("silence invalid"));
        vm.refreshSilences();
        ui.await("silences listed", Duration.ofSeconds(5), () -> vm.silences().size() == 1);
        ui.join("expired", Duration.ofSeconds(10), vm.expire(vm.silences().get(0)));
        assertEquals(List.of("s0"), am.expired);
        assertEquals("unsilence", audit.entries.get(2).action());
    }

    @Test
    void openMetricsHookGetsTheExpression() {
        Alert a = FakeAlerts.alert("critical", Instant.now(), "alertname", "ServiceDown", "service", "a");
        assertTrue(!vm.canOpenMetrics());
        vm.openMetrics(a); // no pane yet: nothing happens
        List<String> opened = new CopyOnWriteArrayList<>();
        vm.setOpenMetrics(opened::add);
        vm.openMetrics(a);
        assertEquals(List.of("up{job=\"services\"} == 0"), opened);
    }
}
