package io.dutydesk.ui.chart;

import java.util.Locale;

/**
 * How a series' values read on the value axis, in the hover box and in CSV headers. Tick labels
 * share one scale chosen from the axis' largest value, with as many decimals as the tick step needs.
 */
public enum ValueUnit {
    /** Plain numbers. */
    NONE(""),
    /** SI prefixes: 1.5k, 2M, 3G, 250m. */
    SI(""),
    /** Bytes with binary prefixes: 512 B, 1.5 KiB, 2 MiB, 3 GiB. */
    BYTES("B"),
    /** Seconds as ns, µs, ms, s, min, h. */
    SECONDS("s"),
    /** A percentage already in 0..100. */
    PERCENT("%"),
    /** A ratio in 0..1, shown as a percentage. */
    RATIO("%");

    private final String symbol;

    ValueUnit(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** A guess from a Prometheus metric name or expression: {@code *_bytes}, {@code *_seconds}, {@code *_ratio}. */
    public static ValueUnit guess(String nameOrExpr) {
        String s = nameOrExpr == null ? "" : nameOrExpr.toLowerCase(Locale.ROOT);
        if (s.contains("histogram_quantile") && s.contains("_seconds")) {
            return SECONDS;
        }
        if (s.contains("/") && (s.contains("rate(") || s.contains("increase("))) {
            return s.contains("* 100") || s.contains("*100") ? PERCENT : (s.contains("_bytes") ? BYTES : SI);
        }
        if (s.contains("_bytes")) {
            return BYTES;
        }
        if (s.contains("_seconds") && !s.contains("_seconds_total") && !s.contains("_seconds_count")) {
            return SECONDS;
        }
        if (s.contains("_ratio")) {
            return RATIO;
        }
        if (s.contains("_percent")) {
            return PERCENT;
        }
        return SI;
    }

    /** One value, with its own scale (hover box). */
    public String format(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return format(v, Math.abs(v), 0);
    }

    /**
     * A tick label: {@code scaleRef} picks the prefix (the axis' largest absolute value), {@code step} the
     * decimals (the tick spacing; 0 = up to 3 significant digits).
     */
    public String format(double v, double scaleRef, double step) {
        if (Double.isNaN(v)) {
            return "—";
        }
        Scale sc = scale(Math.abs(scaleRef));
        double scaled = v / sc.divisor;
        String num;
        if (step > 0) {
            double scaledStep = step / sc.divisor;
            int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(scaledStep) - 1e-9)));
            // enough decimals to show the step itself: 0.25k steps print 0.25k, 0.5k, 0.75k (not 0.3k, 0.8k)
            while (decimals < 6 && Math.abs(scaledStep * Math.pow(10, decimals)
                    - Math.rint(scaledStep * Math.pow(10, decimals))) > 1e-6 * Math.pow(10, decimals)) {
                decimals++;
            }
            num = String.format(Locale.ROOT, "%." + decimals + "f", scaled);
        } else {
            num = significant(scaled);
        }
        if (num.startsWith("-") && Double.parseDouble(num) == 0) {
            num = num.substring(1);
        }
        return num + sc.suffix;
    }

    private static String significant(double x) {
        double a = Math.abs(x);
        int decimals = a == 0 ? 0 : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        String s = String.format(Locale.ROOT, "%." + decimals + "f", x);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    private record Scale(double divisor, String suffix) {}

    private Scale scale(double ref) {
        switch (this) {
            case BYTES: {
                String[] u = {" B", " KiB", " MiB", " GiB", " TiB", " PiB"};
                int i = 0;
                double d = 1;
                while (i < u.length - 1 && ref >= d * 1024) {
                    d *= 1024;
                    i++;
                }
                return new Scale(d, u[i]);
            }
            case SECONDS: {
                if (ref == 0) {
                    return new Scale(1, " s");
                }
                if (ref < 1e-6) {
                    return new Scale(1e-9, " ns");
                }
                if (ref < 1e-3) {
                    return new Scale(1e-6, " µs");
                }
                if (ref < 1) {
                    return new Scale(1e-3, " ms");
                }
                if (ref < 120) {
                    return new Scale(1, " s");
                }
                if (ref < 7200) {
                    return new Scale(60, " min");
                }
                return new Scale(3600, " h");
            }
            case PERCENT:
                return new Scale(1, "%");
            case RATIO:
                return new Scale(0.01, "%");
            case SI: {
                if (ref == 0) {
                    return new Scale(1, "");
                }
                String[] big = {"", "k", "M", "G", "T", "P"};
                if (ref >= 1) {
                    int i = 0;
                    double d = 1;
                    while (i < big.length - 1 && ref >= d * 1000) {
                        d *= 1000;
                        i++;
                    }
                    return new Scale(d, big[i]);
                }
                if (ref >= 1e-3) {
                    return new Scale(1e-3, "m");
                }
                if (ref >= 1e-6) {
                    return new Scale(1e-6, "µ");
                }
                return new Scale(1e-9, "n");
            }
            default:
                return new Scale(1, "");
        }
    }
}
