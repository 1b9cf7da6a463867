package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Saves a PNG of every main screen and dialog in the light and the dark theme under
 * target/screenshots/ for review, and checks each image is a real, non-blank rendering.
 */
@ExtendWith(EdtWatchdog.class)
abstract class ScreenshotCheck {
    void everyScreenInTheme(ThemeChoice theme) throws Exception {
        String suffix = theme.name().toLowerCase(Locale.ROOT);
        List<Path> files = new ArrayList<>();
        new ScreenGallery(Locale.ENGLISH).each(shot -> {
            files.add(UiTestSupport.screenshot(shot.window(), shot.name() + "-" + suffix));
        });
        assertTrue(files.size() >= 9, "screens captured: " + files);
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertTrue(img.getWidth() > 300 && img.getHeight() > 200, f + " is too small");
            assertTrue(distinctColours(img) > 8, f + " looks blank");
            assertTrue(Files.size(f) > 5_000, f + " is suspiciously small");
        }
        // The dark theme must really be dark: its main window's average brightness is low.
        if (theme == ThemeChoice.DARK) {
            BufferedImage main = ImageIO.read(UiTestSupport.SCREENSHOTS.resolve("main-dark.png").toFile());
            assertTrue(brightness(main) < 0.4, "dark main window is too bright: " + brightness(main));
        } else {
            BufferedImage main = ImageIO.read(UiTestSupport.SCREENSHOTS.resolve("main-light.png").toFile());
            assertTrue(brightness(main) > 0.6, "light main window is too dark: " + brightness(main));
        }
    }

    static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
                if (seen.size() > 100) {
                    return seen.size();
                }
            }
        }
        return seen.size();
    }

    static double brightness(BufferedImage img) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                int rgb = img.getRGB(x, y);
                sum += (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255)) / (3 * 255.0);
                n++;
            }
        }
        return sum / n;
    }
}
