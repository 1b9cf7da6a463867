package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.allium.desktop.instance.SingleInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, single instance as {@link DesktopMain} wires it: an app holds its profile's socket
 * (with the callback {@code main} installs); a second {@code allium desktop} on the same profile
 * — {@code DesktopMain.main} in a child JVM on the same display — hands over and exits 0
 * without opening a window, and the first app's hidden window comes back.
 */
@ExtendWith(EdtWatchdog.class)
class SingleInstanceWiringTest {
    @TempDir
    Path tmp;
    private AlliumApp app;
    private SingleInstance instance;

    @BeforeAll
    static void warmUp() {
        UiTestSupport.warmUp();
    }

    @AfterEach
    void close() {
        if (instance != null) {
            instance.close();
        }
        if (app != null) {
            ScreenGallery.close(app);
        }
    }

    @Test
    void aSecondLaunchHandsOverToTheFirstWhichComesToTheFront() throws Exception {
        Path profile = tmp.resolve("profile");
        Path config = tmp.resolve("config");
        Path runtime = tmp.resolve("run");
        Files.createDirectories(config.resolve("allium"));
        Files.createDirectories(runtime);
        // The second start finds the profile where the first one's preferences say it is.
        Files.writeString(config.resolve("allium").resolve("desktop.properties"),
                "profile.dir=" + profile.toAbsolutePath().toString().replace("\\", "\\\\") + "\n");
        app = new ScreenGallery(Locale.ENGLISH).populatedMain();
        AlliumApp first = app;
        instance = DesktopMain.claimInstance(profile, Map.of("XDG_RUNTIME_DIR", runtime.toString()),
                config.resolve("allium"), () -> first);
        assertNotNull(instance, "the first start holds the profile");
        // Hidden, as when it keeps running in the background (iconifying needs a window manager).
        edt(() -> first.frame().setVisible(false));
        assertFalse(onEdt(() -> first.frame().isShowing()));

        Process second = secondStart(config, runtime);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second start ends by itself");
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, second.exitValue(), out);
        assertTrue(out.contains("already running on this profile"), out);
        waitFor("the first window is back", () -> first.frame().isShowing()
                && (first.frame().getExtendedState() & java.awt.Frame.ICONIFIED) == 0);
    }

    /** {@code DesktopMain.main} in its own JVM, on our display, with its config and runtime folders. */
    private Process secondStart(Path config, Path runtime) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.awt.headless=false", DesktopMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("XDG_"));
        env.put("XDG_CONFIG_HOME", config.toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("HOME", tmp.toString());
        return pb.start();
    }
}
