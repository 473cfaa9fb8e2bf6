package io.dutydesk.ui.fx;

import io.dutydesk.testing.Screenshots;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No missing-glyph boxes: every non-ASCII character the console's code and styles can put on screen
 * is in the font JavaFX draws it with (its default font, or monospace for log lines). Icons are SVG
 * paths (icons/), so they need no font at all.
 */
@ExtendWith(ApplicationExtension.class)
class GlyphsTest {
    /**
     * Characters of the runbook's output that are never drawn as such: {@code LogText.display} maps them
     * to symbols the fonts have (checked below).
     */
    static final Set<Integer> INPUT_ONLY = Set.of(0x2705, 0x274C, 0x1F680, 0xFE0F, 0x26D4);

    /** Characters excused in one file each (none now: a new use of a glyph the fonts lack fails). */
    static final java.util.Map<Integer, String> KNOWN_ELSEWHERE = java.util.Map.of();

    Scene scene;

    @Start
    void start(Stage stage) {
        scene = new Scene(new VBox(), 900, 300);
        stage.setScene(scene);
        stage.show();
    }

    static TreeMap<Integer, Set<String>> usedCharacters() throws IOException {
        TreeMap<Integer, Set<String>> used = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
        }
        files.add(Path.of("styles/dutydesk.css"));
        for (Path f : files) {
            String text = Files.readString(f);
            text.codePoints().filter(c -> c > 0x7E).forEach(c -> used.computeIfAbsent(c, k -> new TreeSet<>())
                    .add(f.getFileName().toString()));
        }
        return used;
    }

    @Test
    void everyCharacterTheUiUsesIsInItsFonts(FxRobot robot) throws Exception {
        TreeMap<Integer, Set<String>> used = usedCharacters();
        for (int c : INPUT_ONLY) {
            String shown = io.dutydesk.ui.slots.LogTextAccess.display(new String(Character.toChars(c)) + "x");
            assertTrue(shown.codePoints().noneMatch(INPUT_ONLY::contains), "LogText maps U+" + Integer.toHexString(c) + " away");
        }
        // JavaFX's "System" and "monospace" resolve through fontconfig on Linux, as AWT's logical fonts do
        String[] families = {"Dialog", "Monospaced"};
        List<String> missing = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (var e : used.entrySet()) {
            int c = e.getKey();
            Set<String> where = new TreeSet<>(e.getValue());
            if (INPUT_ONLY.contains(c)) {
                where.remove("LogText.java");
            }
            if (KNOWN_ELSEWHERE.containsKey(c)) {
                where.remove(KNOWN_ELSEWHERE.get(c));
            }
            if (where.isEmpty()) {
                continue;
            }
            all.appendCodePoint(c).append(' ');
            for (String family : families) {
                java.awt.Font f = new java.awt.Font(family, java.awt.Font.PLAIN, 12);
                if (!f.canDisplay(c)) {
                    missing.add("U+" + Integer.toHexString(c).toUpperCase() + " '" + new String(Character.toChars(c))
                            + "' (in " + where + ") is not in " + family);
                }
            }
        }
        String sample = all.toString();
        WaitForAsyncUtils.asyncFx(() -> {
            Label sans = new Label("default font (" + families[0] + "):  " + sample);
            sans.setStyle("-fx-font-size: 20px;");
            Label mono = new Label("monospace (" + families[1] + "):  " + sample);
            mono.setStyle("-fx-font-family: monospace; -fx-font-size: 20px;");
            ((VBox) scene.getRoot()).getChildren().setAll(sans, mono);
            Screenshots.save(scene, "glyphs");
        }).get();
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }
}
