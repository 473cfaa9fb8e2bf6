package io.dutydesk.bench;

import io.dutydesk.ui.alerts.AlertsView;
import io.dutydesk.ui.alerts.AlertsViewModel;
import io.dutydesk.ui.backups.BackupsView;
import io.dutydesk.ui.backups.BackupsViewModel;
import io.dutydesk.ui.metrics.MetricsView;
import io.dutydesk.ui.metrics.MetricsViewModel;
import io.dutydesk.ui.outbox.OutboxView;
import io.dutydesk.ui.outbox.OutboxViewModel;
import io.dutydesk.ui.slots.SlotsView;
import io.dutydesk.ui.slots.SlotsViewModel;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;

import java.net.URL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What the panes' FXML layouts cost, on Monocle (headless, like the TestFX tests), in a fresh JVM per run:
 * <ul>
 *   <li>{@code views}: each pane's view built twice, in the order the app builds them (slots first), first and
 *   second time in ms of the FX thread's CPU time. Runs on a tree without FXML as well (the same constructors): the same-machine baseline.</li>
 *   <li>{@code warmed}: {@code views} after {@code FxmlLayout.warmUp()} (FXMLLoader's first use on a one-label FXML, measured).</li>
 *   <li>{@code fxml}: each pane's FXML file alone, loaded into an uninitialised view (no view-model, no wiring), the
 *   first load in the JVM and the median of 5 later ones, in ms of CPU time.</li>
 * </ul>
 * <pre>
 *   mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   for i in 1 2 3 4 5; do java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.dutydesk.bench.PaneLayoutBenchmark views; done
 *   for i in 1 2 3 4 5; do java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.dutydesk.bench.PaneLayoutBenchmark fxml; done
 * </pre>
 */
public final class PaneLayoutBenchmark {
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "views";
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Clock clock = Clock.systemDefaultZone();
        // the order DutydeskApp builds them in
        Map<String, Supplier<Object>> views = new LinkedHashMap<>();
        views.put("slots", () -> new SlotsView(new SlotsViewModel(Runnable::run, scheduler, clock), Runnable::run));
        views.put("metrics", () -> new MetricsView(new MetricsViewModel(Runnable::run, clock), Runnable::run));
        views.put("outbox", () -> new OutboxView(new OutboxViewModel(Runnable::run, scheduler, clock)));
        views.put("backups", () -> new BackupsView(new BackupsViewModel(Runnable::run, scheduler, clock)));
        views.put("alerts", () -> new AlertsView(new AlertsViewModel(Runnable::run, scheduler, clock,
                h -> { throw new IllegalStateException("no environment"); }, n -> { }), clock, url -> { }));
        Map<String, Class<?>> types = Map.of("slots", SlotsView.class, "metrics", MetricsView.class, "outbox", OutboxView.class,
                "backups", BackupsView.class, "alerts", AlertsView.class);
        StringBuilder out = new StringBuilder(mode);
        double total = 0;
        if (mode.equals("warmed")) {
            // FxmlLayout.warmUp (FXMLLoader's first use, a one-label FXML), on the FX thread here to measure it: then the views
            double tiny = onFx(() -> ms(io.dutydesk.ui.fx.FxmlLayout::warmUp));
            out.append(String.format(Locale.ROOT, "  one-label FXML first %.1f", tiny));
            mode = "views";
        }
        for (Map.Entry<String, Supplier<Object>> v : views.entrySet()) {
            if (mode.equals("views")) {
                double first = onFx(() -> ms(() -> v.getValue().get()));
                double second = onFx(() -> ms(() -> v.getValue().get()));
                total += first;
                out.append(String.format(Locale.ROOT, "  %s %.1f/%.1f", v.getKey(), first, second));
            } else {
                Class<?> type = types.get(v.getKey());
                URL url = type.getResource(type.getSimpleName() + ".fxml");
                if (url == null) {
                    throw new IllegalStateException("no " + type.getSimpleName() + ".fxml on this tree");
                }
                double first = onFx(() -> ms(() -> bare(url, type)));
                List<Double> later = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    later.add(onFx(() -> ms(() -> bare(url, type))));
                }
                later.sort(null);
                total += first;
                out.append(String.format(Locale.ROOT, "  %s %.1f/%.1f", v.getKey(), first, later.get(2)));
            }
        }
        out.append(String.format(Locale.ROOT, "  | all five first: %.1f ms", total));
        System.out.println(out);
        scheduler.shutdownNow();
        Platform.exit();
    }

    /** {@code type}'s FXML loaded into an instance no constructor ran on: the FXML's cost alone. */
    static Object bare(URL url, Class<?> type) {
        try {
            Object view = unsafe().allocateInstance(type);
            FXMLLoader loader = new FXMLLoader(url);
            loader.setControllerFactory(t -> view);
            return loader.load();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static sun.misc.Unsafe unsafe() throws Exception {
        var f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
    }

    /**
     * The FX thread's CPU time {@code work} took, in ms: on a machine other builds share, wall time mostly measures
     * them (the work is single-threaded, on the FX thread).
     */
    static double ms(Supplier<Object> work) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = threads.getCurrentThreadCpuTime();
        work.get();
        return (threads.getCurrentThreadCpuTime() - t0) / 1e6;
    }

    static <T> T onFx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }
}
