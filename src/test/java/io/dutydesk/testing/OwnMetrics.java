package io.dutydesk.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The console's own metrics ({@code --metrics-port}, {@code dutydesk_*}) read from outside it, as the benchmarks
 * use them: one scrape of the text format is a {@link Scrape}; two scrapes bound a period, and {@link #pulseGaps}
 * gives the FX thread's longest pulse gap within it.
 */
public final class OwnMetrics {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OwnMetrics() {}

    /** The URL the console printed ("dutydesk: metrics at http://127.0.0.1:N/metrics"), or null. */
    public static String urlIn(String line) {
        int i = line.indexOf("metrics at http://");
        return i < 0 ? null : line.substring(i + "metrics at ".length()).trim();
    }

    /** One scrape: each sample's value by its name and labels as written ({@code name{a="b"}}). */
    public record Scrape(Map<String, Double> samples) {
        /** The sample {@code name} with no labels, or the sum over its label sets (e.g. channels over environments). */
        public OptionalDouble value(String name) {
            double sum = 0;
            boolean any = false;
            for (Map.Entry<String, Double> e : samples.entrySet()) {
                String k = e.getKey();
                if (k.equals(name) || k.startsWith(name + "{")) {
                    sum += e.getValue();
                    any = true;
                }
            }
            return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
        }

        public double require(String name) {
            return value(name).orElseThrow(() -> new IllegalStateException(name + " not in the scrape: " + samples.keySet()));
        }

        /** A histogram's cumulative bucket counts by their upper bound (+Inf last). */
        public TreeMap<Double, Double> buckets(String histogram) {
            TreeMap<Double, Double> out = new TreeMap<>();
            String prefix = histogram + "_bucket{";
            for (Map.Entry<String, Double> e : samples.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    String le = label(e.getKey(), "le");
                    out.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), e.getValue());
                }
            }
            return out;
        }
    }

    public static Scrape scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return parse(r.body());
    }

    /** The Prometheus text format (0.0.4): comments skipped, one sample a line, a timestamp after the value ignored. */
    public static Scrape parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('}');
            int sp = line.indexOf(' ', end < 0 ? 0 : end);
            String key = line.substring(0, sp);
            String[] rest = line.substring(sp + 1).trim().split("\\s+");
            out.put(key, parseValue(rest[0]));
        }
        return new Scrape(out);
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    private static String label(String key, String name) {
        int i = key.indexOf(name + "=\"");
        if (i < 0) {
            throw new IllegalStateException("no label " + name + " in " + key);
        }
        int from = i + name.length() + 2;
        return key.substring(from, key.indexOf('"', from));
    }

    public static final String GAPS = "dutydesk_fx_pulse_gap_seconds";
    public static final String GAP_MAX = "dutydesk_fx_pulse_gap_max_seconds";

    /**
     * The pulse gaps recorded between two scrapes. {@code dutydesk_fx_pulse_gap_max_seconds} is the longest since the
     * start (launch included), so it tells the period's longest only when it rose during the period; otherwise the
     * longest lies in the highest histogram bucket whose count grew: ({@code lowerSeconds}, {@code upperSeconds}].
     *
     * @param pulses gaps recorded in the period
     * @param over100ms of them, longer than 100 ms (the histogram's 0.1 bucket)
     * @param exact whether {@code upperSeconds} is the period's longest gap itself (the maximum rose)
     */
    public record Gaps(long pulses, long over100ms, double lowerSeconds, double upperSeconds, boolean exact) {
        public String longest() {
            if (pulses == 0) {
                return "no pulse";
            }
            if (exact) {
                return String.format("%.0f ms", upperSeconds * 1000);
            }
            return Double.isInfinite(upperSeconds) ? String.format("> %.0f ms", lowerSeconds * 1000)
                    : String.format("%.0f-%.0f ms", lowerSeconds * 1000, upperSeconds * 1000);
        }

        /** The longest gap's upper bound in ms (exact when {@link #exact}). */
        public double upperMs() {
            return upperSeconds * 1000;
        }
    }

    public static Gaps pulseGaps(Scrape before, Scrape after) {
        TreeMap<Double, Double> b = before.buckets(GAPS);
        TreeMap<Double, Double> a = after.buckets(GAPS);
        if (a.isEmpty()) {
            throw new IllegalStateException(GAPS + " not in the scrape: does the console run with --metrics-port and a window?");
        }
        long pulses = Math.round(a.lastEntry().getValue() - b.getOrDefault(Double.POSITIVE_INFINITY, 0.0));
        Double le100 = a.floorKey(0.1);
        if (le100 == null || le100 != 0.1) {
            throw new IllegalStateException(GAPS + " has no 0.1 bucket: " + a.keySet());
        }
        long upTo100 = Math.round(a.get(0.1) - b.getOrDefault(0.1, 0.0));
        double lower = 0;
        double upper = 0;
        List<Double> bounds = new ArrayList<>(a.keySet());
        for (int i = 0; i < bounds.size(); i++) {
            double le = bounds.get(i);
            double prevLe = i == 0 ? Double.NEGATIVE_INFINITY : bounds.get(i - 1);
            double inBucketAfter = a.get(le) - (i == 0 ? 0 : a.get(prevLe));
            double inBucketBefore = b.getOrDefault(le, 0.0) - (i == 0 ? 0 : b.getOrDefault(prevLe, 0.0));
            if (inBucketAfter - inBucketBefore > 0.5) {
                lower = i == 0 ? 0 : prevLe;
                upper = le;
            }
        }
        double maxBefore = before.value(GAP_MAX).orElse(0);
        double maxAfter = after.require(GAP_MAX);
        if (maxAfter > maxBefore) {
            return new Gaps(pulses, pulses - upTo100, maxAfter, maxAfter, true);
        }
        return new Gaps(pulses, pulses - upTo100, lower, Math.min(upper, maxAfter), false);
    }
}
