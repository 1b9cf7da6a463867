package org.allium.desktop.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: emoji are drawn by the font bundled in the jar, whatever the system has — checked
 * in a JVM that sees no system font but a copy of DejaVu (an empty tmpfs over the font folders,
 * in a user and mount namespace of its own; DejaVu draws a few faces, not 🙏 and most others):
 * every emoji of the picker has a glyph that draws, and styled message text names the bundled
 * font for emoji only.
 */
class EmojiFontTest {
    @TempDir
    Path tmp;

    @Test
    void theBundledFontDrawsEmojiWithoutAnySystemEmojiFont() throws Exception {
        Path dejavu = Path.of("/usr/share/fonts/truetype/dejavu");
        assertTrue(Files.isDirectory(dejavu), "fonts-dejavu-core is needed (./run-tests installs it)");
        Path copy = Files.createDirectories(tmp.resolve("dejavu"));
        try (var files = Files.list(dejavu)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName().toString()));
            }
        }
        Path conf = tmp.resolve("fonts.conf");
        Files.writeString(conf, "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n"
                + "  <dir>" + copy + "</dir>\n  <cachedir>" + tmp.resolve("cache") + "</cachedir>\n</fontconfig>\n");
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                "for d in /usr/share/fonts /usr/local/share/fonts /usr/share/X11/fonts; do"
                        + " if [ -d \"$d\" ]; then mount -t tmpfs tmpfs \"$d\" || exit 3; fi; done; exec \"$@\"",
                "sh", java, "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), EmojiFontCheck.class.getName()))
                .redirectErrorStream(true);
        pb.environment().put("FONTCONFIG_FILE", conf.toString());
        pb.environment().put("HOME", tmp.toString());
        pb.environment().remove("FONTCONFIG_PATH");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the check ends");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals("OK", out.lines().reduce((a, b) -> b).orElse(""), out);
        assertEquals(0, p.exitValue(), out);
    }
}
