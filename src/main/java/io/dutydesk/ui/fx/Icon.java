package io.dutydesk.ui.fx;

import javafx.scene.image.Image;
import javafx.scene.shape.SVGPath;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every icon of the console, loaded from the SVG files of the top-level icons/ folder. */
public enum Icon {
    SSH, DOCKER, POSTGRES, REDIS, PROMETHEUS, ALERTMANAGER, BACKUPS, SLOTS, OUTBOX, METRICS, ALERTS, TODAY, THEME, REFRESH;

    private static final Pattern D = Pattern.compile("\\sd=\"([^\"]+)\"");
    private static final Map<Icon, String> PATHS = new EnumMap<>(Icon.class);

    /** The path data of {@code icons/<name>.svg}. */
    public synchronized String pathData() {
        return PATHS.computeIfAbsent(this, i -> {
            String file = "/io/dutydesk/icons/" + i.name().toLowerCase() + ".svg";
            try (InputStream in = Icon.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("icon missing from the jar: " + file);
                }
                Matcher m = D.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                if (!m.find()) {
                    throw new IllegalStateException("no path in " + file);
                }
                return m.group(1);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        });
    }

    /** A node of the icon scaled to {@code size} px, styled by the "icon" class. */
    public SVGPath node(double size) {
        SVGPath p = new SVGPath();
        p.setContent(pathData());
        p.getStyleClass().add("icon");
        double s = size / 24.0;
        p.setScaleX(s);
        p.setScaleY(s);
        return p;
    }

    /** The sizes of the application icon shipped ({@code icons/dutydesk-N.png}). */
    public static final List<Integer> APP_ICON_SIZES = List.of(32, 64, 128, 256);

    /** The application icon in every size shipped: four PNGs decoded — call it off the FX thread (the launch's path). */
    public static List<Image> appIcons() {
        return APP_ICON_SIZES.stream().map(Icon::appIcon).toList();
    }

    /** The application icon of one shipped size (one of {@link #APP_ICON_SIZES}). */
    public static Image appIcon(int size) {
        if (!APP_ICON_SIZES.contains(size)) {
            throw new IllegalArgumentException("no " + size + " px application icon; shipped: " + APP_ICON_SIZES);
        }
        return new Image(Icon.class.getResource("/io/dutydesk/icons/dutydesk-" + size + ".png").toExternalForm());
    }
}
