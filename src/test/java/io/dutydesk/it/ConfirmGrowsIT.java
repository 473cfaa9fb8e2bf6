package io.dutydesk.it;

import io.dutydesk.testing.IdleProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared confirmation on a real display (GTK glass on Xvfb, no window manager) at the window trial's two window sizes:
 * when the "✖ State changed since this was planned … cancel and plan again" line appears, the dialog grows to its content
 * and its buttons stay inside the window X shows. JavaFX laid the scene out at the grown height while the X window kept
 * the old one (GTK refused a new height given alone), so the buttons were drawn below its edge, out of view; Monocle (the
 * unit tests' ConfirmLayoutTest) resizes either way and could not tell. Needs no reference host.
 */
class ConfirmGrowsIT {
    private static io.dutydesk.testing.Xvfb xvfb;

    @BeforeAll
    static void display() throws Exception {
        xvfb = io.dutydesk.testing.Xvfb.start("1600x1000");
    }

    @AfterAll
    static void stopDisplay() throws InterruptedException {
        xvfb.close();
    }

    /** x, y, width, height. */
    record Box(int x, int y, int w, int h) {
        static Box parse(String s) {
            String[] p = s.split(",");
            return new Box(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
        }

        boolean contains(Box b) {
            return b.x >= x && b.y >= y && b.x + b.w <= x + w && b.y + b.h <= y + h;
        }
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1400,900", "1024,640"})
    void whenTheStateChangedLineAppearsTheButtonsStayInTheWindowOnTheScreen(int width, int height) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dprism.order=sw",
                "-cp", classpath, ConfirmGrowsWindow.class.getName(), String.valueOf(width), String.valueOf(height));
        Box window = new Box(0, 0, width, height);
        try (IdleProbe.Watched app = new IdleProbe.Watched(cmd, xvfb.display)) {
            try {
                check(app, window);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the window printed " + app.lines, e);
            }
        }
    }

    private void check(IdleProbe.Watched app, Box window) throws Exception {
        app.awaitLine("shown", l -> l.startsWith("shown "), Duration.ofSeconds(60));
        Box before = Box.parse(value(app.lines, "shown ", "dialog"));
        // (its first size on X may differ from JavaFX's for a moment: GTK's answers to the show and the first fit cross)
        String id = x("xdotool", "search", "--sync", "--name", "^" + ConfirmGrowsWindow.TITLE + "$").lines().findFirst().orElseThrow();

        app.process.getOutputStream().write("change\n".getBytes(StandardCharsets.UTF_8));
        app.process.getOutputStream().flush();
        app.awaitLine("changed", l -> l.startsWith("changed "), Duration.ofSeconds(30));
        Box dialog = Box.parse(value(app.lines, "changed ", "dialog"));
        Box buttons = Box.parse(value(app.lines, "changed ", "buttons"));
        assertTrue(dialog.h() > before.h(), "the dialog grew with the line: " + before + " -> " + dialog);
        assertTrue(window.contains(dialog) && dialog.contains(buttons), "as JavaFX lays it out: buttons " + buttons
                + " in the dialog " + dialog + " in the window " + window);
        // what X shows: the window really has that size, so the buttons are in view
        Box shownByX = awaitGeometry(id, g -> g.contains(buttons), "the buttons " + buttons + " inside the dialog's X window");
        assertTrue(window.contains(shownByX), "the dialog " + shownByX + " inside the " + window.w() + "x" + window.h() + " window");
    }

    /** The X window's geometry once {@code ok} holds for it (the X server applies a resize after the pulse that asked). */
    private static Box awaitGeometry(String id, java.util.function.Predicate<Box> ok, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Box g;
        while (!ok.test(g = geometry(id))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 10 s: " + what + "; X shows the dialog at " + g);
            }
            Thread.sleep(50);
        }
        return g;
    }

    private static Box geometry(String id) {
        String g = x("xdotool", "getwindowgeometry", id);
        Matcher m = Pattern.compile("Position: (-?\\d+),(-?\\d+).*Geometry: (\\d+)x(\\d+)", Pattern.DOTALL).matcher(g);
        assertTrue(m.find(), g);
        return new Box(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
    }

    /** {@code key}=… of the first line starting with {@code prefix}. */
    private static String value(List<String> lines, String prefix, String key) {
        String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        Matcher m = Pattern.compile("\\b" + key + "=(\\S+)").matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }

    private static String x(String... cmd) {
        return IdleProbe.x(xvfb.display, cmd);
    }
}
