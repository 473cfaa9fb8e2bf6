package io.dutydesk.bench;

import io.dutydesk.ui.chart.ChartData;
import io.dutydesk.ui.chart.SeriesSpec;
import io.dutydesk.ui.chart.TimeRange;
import io.dutydesk.ui.chart.TimeSeriesChart;
import io.dutydesk.ui.chart.ValueUnit;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.dataset.spi.DoubleDataSet;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart.Data;
import javafx.scene.chart.XYChart.Series;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * P5: 100 series x 11,000 points (Prometheus's limit per series), time to the first rendered frame and
 * per pan frame (1 % of the span), for {@code ui/chart}, JavaFX {@code LineChart} and chart-fx 11.3, in
 * the same run, medians; the heap the chart and its data hold. Each chart is shown in a 1280x720 window
 * on Monocle (headless, software pipeline, like the TestFX tests). "Rendered" = the second pulse after
 * the change: the first one laid the frame out and handed it to the renderer, the second waits for it.
 *
 * <pre>
 *   mvn -q -DskipTests package test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -Xmx6g -cp target/test-classes:target/classes:$(cat target/cp.txt) io.dutydesk.bench.ChartBenchmark [rounds] [series] [points]
 * </pre>
 */
public final class ChartBenchmark {
    interface Impl {
        String name();

        /** Builds the chart node with the data (FX thread). */
        Parent build(long[] t, double[][] v);

        /** Moves the visible range to {@code from..to} (FX thread). */
        void pan(long from, long to);

        /** Drops the chart (so the next round's heap measurement starts clean). */
        void clear();
    }

    static int series = 100;
    static int points = 11_000;
    static final long STEP = 15_000;
    static final long T0 = 1_790_000_000_000L;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (args.length > 1) {
            series = Integer.parseInt(args[1]);
        }
        if (args.length > 2) {
            points = Integer.parseInt(args[2]);
        }
        // Pulses unthrottled for all three charts alike: at the default 60 Hz a frame is counted in whole
        // pulse periods (two 16.7 ms ticks at least), which measures the pulse timer, not the chart.
        // -Dp5.vsync=true measures with the 60 Hz pulse instead.
        boolean vsync = Boolean.getBoolean("p5.vsync");
        if (!vsync) {
            System.setProperty("javafx.animation.fullspeed", "true");
        }
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get();
        Platform.setImplicitExit(false);

        long[] t = new long[points];
        double[][] v = new double[series][points];
        Random rnd = new Random(7);
        for (int i = 0; i < points; i++) {
            t[i] = T0 + i * STEP;
        }
        for (int s = 0; s < series; s++) {
            double x = 50 + s;
            for (int i = 0; i < points; i++) {
                x += rnd.nextGaussian();
                v[s][i] = x;
            }
        }
        List<Impl> impls = List.of(new Ours(), new FxLineChart(), new ChartFx());
        String only = System.getProperty("p5.only"); // e.g. -Dp5.only=ui.chart while profiling one of them
        if (only != null) {
            impls = impls.stream().filter(i -> i.name().equals(only)).toList();
        }
        double[][] first = new double[impls.size()][];
        double[][] pan = new double[impls.size()][];
        long[] heap = new long[impls.size()];
        System.out.printf("P5: %d series x %d points, %d rounds, pulses %s%n", series, points, rounds,
                vsync ? "at 60 Hz (-Dp5.vsync=true)" : "unthrottled (javafx.animation.fullspeed; -Dp5.vsync=true for 60 Hz)");
        for (int k = 0; k < impls.size(); k++) {
            Impl impl = impls.get(k);
            List<Double> f = new ArrayList<>();
            List<Double> p = new ArrayList<>();
            for (int r = 0; r < rounds + 1; r++) { // round 0 warms up the JIT
                double[] res = run(impl, t, v, r == 1 ? heap : null, k);
                if (r > 0) {
                    f.add(res[0]);
                    p.add(res[1]);
                }
            }
            first[k] = new double[] {median(f)};
            pan[k] = new double[] {median(p)};
            System.out.printf("  %-12s first frame %9.1f ms   pan frame %8.1f ms   heap %6d MB%n", impl.name(), first[k][0],
                    pan[k][0], heap[k] / (1024 * 1024));
        }
        if (impls.size() < 3) {
            Platform.exit();
            System.exit(0);
        }
        System.out.printf("ratios: first frame  LineChart/ui.chart %.1fx (goal >= 25)   chart-fx/ui.chart %.1fx (goal >= 8)%n",
                first[1][0] / first[0][0], first[2][0] / first[0][0]);
        System.out.printf("        pan frame    LineChart/ui.chart %.1fx (goal >= 25)   chart-fx/ui.chart %.1fx (goal >= 8)%n",
                pan[1][0] / pan[0][0], pan[2][0] / pan[0][0]);
        System.out.printf("        heap of ui.chart with its data: %d MB (goal <= 100)%n", heap[0] / (1024 * 1024));
        Platform.exit();
        System.exit(0);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** One round: [first frame ms, median pan frame ms]. */
    static double[] run(Impl impl, long[] t, double[][] v, long[] heapOut, int k) throws Exception {
        Stage[] stage = new Stage[1];
        fx(() -> {
            stage[0] = new Stage();
            stage[0].setScene(new Scene(new StackPane(), 1280, 720));
            stage[0].show();
            return null;
        });
        gc();
        long before = usedHeap();
        long t0 = System.nanoTime();
        if (System.getProperty("p5.verbose") != null) {
            System.out.println("      t0 at " + java.time.LocalTime.now());
        }
        Scene scene = fx(() -> {
            Parent chart = impl.build(t, v);
            stage[0].getScene().setRoot(chart);
            return stage[0].getScene();
        });
        long built = System.nanoTime();
        waitPulses(scene, 2);
        double firstMs = (System.nanoTime() - t0) / 1e6;
        if (System.getProperty("p5.verbose") != null) {
            System.out.printf("    %s first frame: build %.1f ms, two pulses %.1f ms%n", impl.name(), (built - t0) / 1e6, firstMs - (built - t0) / 1e6);
        }
        if (heapOut != null) {
            gc();
            heapOut[k] = Math.max(0, usedHeap() - before);
        }
        List<Double> frames = new ArrayList<>();
        long span = (points - 1) * STEP;
        int pans = Integer.getInteger("p5.pans", 10); // 0 while profiling the first frame
        for (int i = 1; i <= pans; i++) {
            long from = T0 + i * span / 100;
            long p0 = System.nanoTime();
            long drawNs = fx(() -> {
                impl.pan(from, from + span);
                long a = System.nanoTime();
                if (impl instanceof Ours o) {
                    o.chart.redrawNow();
                }
                return System.nanoTime() - a;
            });
            waitPulses(scene, 2);
            frames.add((System.nanoTime() - p0) / 1e6);
            if (System.getProperty("p5.verbose") != null) {
                System.out.printf("    %s pan %d: fx-thread draw %.1f ms, frame %.1f ms%n", impl.name(), i, drawNs / 1e6, frames.get(frames.size() - 1));
            }
        }
        fx(() -> {
            stage[0].getScene().setRoot(new StackPane());
            stage[0].close();
            impl.clear();
            return null;
        });
        return new double[] {firstMs, frames.isEmpty() ? 0 : median(frames)};
    }

    static void waitPulses(Scene scene, int n) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] seen = {0};
        Runnable[] l = new Runnable[1];
        long w0 = System.nanoTime();
        Runnable pre = () -> {
            if (System.getProperty("p5.verbose") != null) {
                System.out.printf("      pre-layout %d at +%.1f ms%n", seen[0] + 1, (System.nanoTime() - w0) / 1e6);
            }
        };
        l[0] = () -> {
            if (System.getProperty("p5.verbose") != null) {
                System.out.printf("      post-layout %d at +%.1f ms (%s)%n", seen[0] + 1, (System.nanoTime() - w0) / 1e6, java.time.LocalTime.now());
            }
            if (++seen[0] >= n) {
                scene.removePreLayoutPulseListener(pre);
                scene.removePostLayoutPulseListener(l[0]);
                done.complete(null);
            } else {
                Platform.requestNextPulse();
            }
        };
        fx(() -> {
            scene.addPreLayoutPulseListener(pre);
            scene.addPostLayoutPulseListener(l[0]);
            Platform.requestNextPulse();
            return null;
        });
        done.get(600, TimeUnit.SECONDS);
    }

    static <T> T fx(Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        io.dutydesk.ui.fx.FxThread.INSTANCE.execute(() -> {
            try {
                f.complete(s.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(600, TimeUnit.SECONDS);
    }

    static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    static long usedHeap() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static final class Ours implements Impl {
        TimeSeriesChart chart;

        public String name() {
            return "ui.chart";
        }

        public Parent build(long[] t, double[][] v) {
            ChartData data = new ChartData();
            for (int s = 0; s < v.length; s++) {
                data.put(new SeriesSpec("s" + s, "series " + s, null, ValueUnit.SI), t.clone(), v[s].clone(), 0);
            }
            chart = new TimeSeriesChart(data);
            return new StackPane(chart);
        }

        public void pan(long from, long to) {
            chart.zoomTo(new TimeRange(from, to));
        }

        public void clear() {
            chart = null;
        }
    }

    static final class FxLineChart implements Impl {
        NumberAxis x;

        public String name() {
            return "LineChart";
        }

        public Parent build(long[] t, double[][] v) {
            x = new NumberAxis();
            x.setAutoRanging(false);
            x.setLowerBound(t[0]);
            x.setUpperBound(t[t.length - 1]);
            x.setTickUnit((t[t.length - 1] - t[0]) / 10.0);
            LineChart<Number, Number> c = new LineChart<>(x, new NumberAxis());
            c.setCreateSymbols(false);
            c.setAnimated(false);
            for (double[] vs : v) {
                List<Data<Number, Number>> d = new ArrayList<>(vs.length);
                for (int i = 0; i < vs.length; i++) {
                    d.add(new Data<>(t[i], vs[i]));
                }
                Series<Number, Number> s = new Series<>();
                s.getData().setAll(d);
                c.getData().add(s);
            }
            return new StackPane(c);
        }

        public void pan(long from, long to) {
            x.setLowerBound(from);
            x.setUpperBound(to);
        }

        public void clear() {
            x = null;
        }
    }

    static final class ChartFx implements Impl {
        DefaultNumericAxis x;

        public String name() {
            return "chart-fx";
        }

        public Parent build(long[] t, double[][] v) {
            x = new DefaultNumericAxis("time");
            x.setAutoRanging(false);
            x.set(t[0], t[t.length - 1]);
            DefaultNumericAxis y = new DefaultNumericAxis("value");
            XYChart c = new XYChart(x, y);
            double[] xs = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                xs[i] = t[i];
            }
            for (int s = 0; s < v.length; s++) {
                DoubleDataSet ds = new DoubleDataSet("series " + s);
                ds.set(xs, v[s]);
                c.getDatasets().add(ds);
            }
            return new StackPane(c);
        }

        public void pan(long from, long to) {
            x.set(from, to);
        }

        public void clear() {
            x = null;
        }
    }
}
