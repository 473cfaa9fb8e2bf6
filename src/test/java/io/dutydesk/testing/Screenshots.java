package io.dutydesk.testing;

import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Saves a scene as PNG under target/screenshots, to look at what a test built. Call on the FX thread. */
public final class Screenshots {
    private Screenshots() {}

    public static Path dir() {
        return Path.of(System.getProperty("dutydesk.screenshots", "target/screenshots"));
    }

    public static Path save(Scene scene, String name) {
        WritableImage img = scene.snapshot(null);
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, r.getArgb(x, y));
            }
        }
        try {
            Files.createDirectories(dir());
            Path p = dir().resolve(name + ".png");
            ImageIO.write(out, "png", p.toFile());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
