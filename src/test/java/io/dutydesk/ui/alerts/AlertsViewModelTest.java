package io.dutydesk.ui.alerts;

import io.dutydesk.adapters.store.SqliteAlertHistory;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.Notifier;
import io.dutydesk.testing.FakeAlerts;
import io.dutydesk.testing.MemoryAuditLog;
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

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alerts view-model over a stand-in Alertmanager, the real local store and a same-thread ui executor. */
class AlertsViewModelTest {
    @TempDir
    Path tmp;
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
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
        vm = new AlertsViewModel(Runnable::run, scheduler, Clock.systemUTC(), h -> { throw new AssertionError("unused"); },
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
        await("the first poll shows", Duration.ofSeconds(10), () -> vm.rows().size() == 5);
        assertTrue(vm.rows().get(0).header());
        assertEquals("ServiceDown", vm.rows().get(0).group().title());
        assertEquals("b", vm.rows().get(1).alert().labels().get("service"), "newest first inside a group");
        assertEquals("HighErrorRate", vm.rows().get(3).group().title());
        assertEquals(List.of("critical=2", "warning=1", "info=0"), vm.counts().stream().map(Object::toString).toList());
        assertEquals("3 alerts in 2 groups", vm.shownSummaryProperty().get());
        await("history shows what fired", Duration.ofSeconds(10), () -> vm.history().size() == 3);
        assertEquals(2, notices.size(), "one notice per new critical alert, none for the warning");
        int polls = pollsSeen();
        await("a few more polls", Duration.ofSeconds(10), () -> pollsSeen() > polls + 1);
        assertEquals(2, notices.size(), "still firing is not new");
        assertNull(vm.problemProperty().get());
    }

    final AtomicInteger feeds = new AtomicInteger();

    int pollsSeen() {
        return feeds.get();
    }


    @Test
    void alertmanagerDownKeepsTheLastFeedMarkedStale() {
        am.alerts.add(FakeAlerts.alert("critical", Instant.now(), "alertname", "ServiceDown", "service", "a"));
        attach();
        await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        am.down = "Alertmanager refused reading alerts (HTTP 500): internal error";
        vm.refresh();
        await("down is shown", Duration.ofSeconds(10), () -> vm.problemProperty().get() != null);
        String p = vm.problemProperty().get();
        assertTrue(p.startsWith("Alertmanager: down / stale since "), p);
        assertTrue(p.contains("HTTP 500): internal error"), p);
        assertTrue(vm.staleProperty().get());
        assertEquals(2, vm.rows().size(), "the last good feed stays, never emptied");
        am.down = null;
        vm.refresh();
        await("recovers", Duration.ofSeconds(20), () -> vm.problemProperty().get() == null && !vm.staleProperty().get());
    }

    @Test
    void filterTakesMatchersAndABadOneSaysWhy() {
        Instant t = Instant.now();
        am.alerts.add(FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "analysis-worker"));
        am.alerts.add(FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "session-management"));
        am.alerts.add(FakeAlerts.alert("warning", t, "alertname", "HighErrorRate", "service", "analysis-worker"));
        attach();
        await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 5);
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
        await("first feed", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        List<Matcher> prefill = vm.prefill(a);
        assertEquals(List.of("alertname=\"ServiceDown\"", "service=\"a\"", "severity=\"critical\""),
                prefill.stream().map(Matcher::toString).toList());
        Instant now = Instant.now();
        String id = vm.silence(new SilenceRequest(prefill, now, now.plusSeconds(3600), "me@host", "restarting a")).get();
        assertEquals("s0", id);
        assertTrue(vm.statusProperty().get().startsWith("Silenced"), vm.statusProperty().get());
        assertEquals("succeeded", audit.entries.get(0).result());
        assertEquals("silence", audit.entries.get(0).action());
        am.refuseSilence = "silence invalid: invalid label matcher 0";
        try {
            vm.silence(new SilenceRequest(prefill, now, now.plusSeconds(3600), "me@host", "again")).get();
        } catch (java.util.concurrent.ExecutionException expected) {
            // refused
        }
        assertTrue(vm.statusProperty().get().contains("silence invalid: invalid label matcher 0"), vm.statusProperty().get());
        assertEquals("refused", audit.entries.get(1).result());
        assertTrue(audit.entries.get(1).message().contains("silence invalid"));
        vm.refreshSilences();
        await("silences listed", Duration.ofSeconds(5), () -> vm.silences().size() == 1);
        vm.expire(vm.silences().get(0)).get();
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
