package io.dutydesk.ui.chart;

/** "Nice" value-axis ticks (1, 2, 2.5, 5 × 10^n; powers of 1024 for bytes). */
public final class ValueTicks {
    /** From {@code min} to {@code max} (rounded outwards) by {@code step}. */
    public record Axis(double min, double max, double step) {
        public int count() {
            return (int) Math.round((max - min) / step) + 1;
        }

        public double tick(int i) {
            return min + i * step;
        }
    }

    private ValueTicks() {}

    public static Axis axis(double lo, double hi, int maxTicks, ValueUnit unit) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
            if (lo < 0 && lo + pad >= 0) {
                lo = 0;
            }
        }
        double raw = (hi - lo) / Math.max(1, maxTicks - 1);
        double step = unit == ValueUnit.BYTES && raw >= 1024 ? niceBinary(raw) : nice(raw);
        double min = Math.floor(lo / step + 1e-9) * step;
        double max = Math.ceil(hi / step - 1e-9) * step;
        if (max <= min) {
            max = min + step;
        }
        return new Axis(min, max, step);
    }

    static double nice(double raw) {
        double exp = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / exp;
        double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return n * exp;
    }

    static double niceBinary(double raw) {
        double p = Math.pow(1024, Math.floor(Math.log(raw) / Math.log(1024)));
        double f = raw / p;
        double[] opts = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
        for (double o : opts) {
            if (f <= o) {
                return o * p;
            }
        }
        return 1024 * p;
    }
}
