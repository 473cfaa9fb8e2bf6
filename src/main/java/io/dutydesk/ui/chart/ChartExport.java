package io.dutydesk.ui.chart;

import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Export of a chart: PNG of its image (no AWT needed) and CSV of its data. Both are pure functions
 * of an image or a {@link ChartData.Snapshot}: call them off the FX thread and write the bytes there.
 */
public final class ChartExport {
    private ChartExport() {}

    /**
     * CSV, one row per timestamp, one column per visible series: {@code time} (ISO-8601 with offset in
     * {@code zone}), {@code epoch_ms}, then the series names (with their unit). Empty cell: no value.
     */
    public static String csv(ChartData.Snapshot s, Set<String> hidden, TimeRange range, ZoneId zone) {
        List<ChartData.SeriesView> cols = new ArrayList<>();
        for (ChartData.SeriesView sv : s.series()) {
            if (!hidden.contains(sv.spec().id())) {
                cols.add(sv);
            }
        }
        TreeMap<Long, String[]> rows = new TreeMap<>();
        for (int c = 0; c < cols.size(); c++) {
            ChartData.SeriesView sv = cols.get(c);
            int a = range == null ? 0 : Decimator.lowerBound(sv.t(), sv.size(), range.fromMillis());
            int b = range == null ? sv.size() : Decimator.lowerBound(sv.t(), sv.size(), range.toMillis() + 1);
            for (int i = a; i < b; i++) {
                if (Double.isNaN(sv.v()[i])) {
                    continue;
                }
                String[] row = rows.computeIfAbsent(sv.t()[i], k -> new String[cols.size()]);
                row[c] = number(sv.v()[i]);
            }
        }
        StringBuilder out = new StringBuilder("time,epoch_ms");
        for (ChartData.SeriesView sv : cols) {
            String unit = sv.spec().unit().symbol();
            out.append(',').append(quote(sv.spec().name() + (unit.isEmpty() ? "" : " (" + unitName(sv.spec().unit()) + ")")));
        }
        out.append('\n');
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        for (var e : rows.entrySet()) {
            out.append(iso.format(Instant.ofEpochMilli(e.getKey()).atZone(zone))).append(',').append(e.getKey());
            for (String v : e.getValue()) {
                out.append(',');
                if (v != null) {
                    out.append(v);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String unitName(ValueUnit u) {
        return switch (u) {
            case BYTES -> "bytes";
            case SECONDS -> "seconds";
            case PERCENT -> "percent";
            case RATIO -> "ratio";
            default -> "";
        };
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** The image as PNG bytes (8-bit RGBA). Reading pixels needs no FX thread once the image is made. */
    public static byte[] png(Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        PixelReader r = image.getPixelReader();
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(6))) {
                byte[] line = new byte[1 + w * 4];
                for (int y = 0; y < h; y++) {
                    line[0] = 0;
                    for (int x = 0; x < w; x++) {
                        int argb = r.getArgb(x, y);
                        int o = 1 + x * 4;
                        line[o] = (byte) (argb >> 16);
                        line[o + 1] = (byte) (argb >> 8);
                        line[o + 2] = (byte) argb;
                        line[o + 3] = (byte) (argb >>> 24);
                    }
                    z.write(line);
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(png);
            d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream hd = new DataOutputStream(ihdr);
            hd.writeInt(w);
            hd.writeInt(h);
            hd.write(new byte[] {8, 6, 0, 0, 0});
            chunk(d, "IHDR", ihdr.toByteArray());
            chunk(d, "IDAT", raw.toByteArray());
            chunk(d, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(DataOutputStream d, String type, byte[] body) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(body.length);
        d.write(t);
        d.write(body);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(body);
        d.writeInt((int) crc.getValue());
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
