package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Component;
import java.awt.Container;
import java.awt.Graphics2D;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import javax.swing.AbstractButton;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import javax.swing.text.JTextComponent;

/** Helpers for UI tests: run on the EDT, wait for conditions, find components, save screenshots. */
public final class UiTestSupport {
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T14:30:00Z"), ZoneOffset.UTC);
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ExecutorService BACKGROUND = DesktopMain.backgroundExecutor();
    private static boolean warm;

    private UiTestSupport() {
    }

    public static UiContext context(CoreAccess core, Locale locale) {
        return new UiContext(new Messages(locale), new Background(BACKGROUND), UiPreferences.inMemory(), core, CLOCK);
    }

    /** Runs {@code c} on the event thread and returns its result (the caller is a test thread). */
    public static <T> T onEdt(Callable<T> c) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> error = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> {
                try {
                    result.set(c.call());
                } catch (Exception e) {
                    error.set(e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (error.get() != null) {
            throw new IllegalStateException(error.get());
        }
        return result.get();
    }

    public static void edt(Runnable r) {
        onEdt(() -> {
            r.run();
            return null;
        });
    }

    /** Polls {@code condition} on the event thread until true; fails after {@code seconds}. */
    public static void waitFor(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (onEdt(condition::getAsBoolean)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("timed out after " + seconds + " s waiting for: " + what);
    }

    public static void waitFor(String what, BooleanSupplier condition) {
        waitFor(what, 20, condition);
    }

    /** Disposes every window of this JVM, on the event thread: what a test opened is gone after it. */
    public static void disposeAllWindows() {
        edt(() -> {
            for (Window w : Window.getWindows()) {
                w.dispose();
            }
        });
    }

    /** The window's preferences, for tests of other packages (e.g. notification details). */
    public static UiPreferences preferences(AlliumApp app) {
        return app.context().preferences();
    }

    /**
     * Installs the theme, then builds and paints every screen and dialog once, outside any
     * watched test: the first use of Swing's HTML views, FlatLaf's UI delegates and fonts
     * loads hundreds of classes, a one-time cost of the JVM rather than of our code.
     */
    public static synchronized void warmUp() {
        if (warm) {
            return;
        }
        edt(() -> Theme.install(ThemeChoice.LIGHT));
        try {
            new ScreenGallery(Locale.ENGLISH).each(shot -> onEdt(() -> paint(shot.window())));
        } catch (Exception e) {
            throw new IllegalStateException("warm-up failed", e);
        }
        warm = true;
    }

    public static List<Component> all(Container root) {
        List<Component> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Component c, List<Component> out) {
        out.add(c);
        if (c instanceof Container k) {
            for (Component child : k.getComponents()) {
                collect(child, out);
            }
        }
    }

    public static <T extends Component> T find(Container root, Class<T> type, Predicate<T> p) {
        for (Component c : all(root)) {
            if (type.isInstance(c) && p.test(type.cast(c))) {
                return type.cast(c);
            }
        }
        return null;
    }

    public static AbstractButton button(Container root, String text) {
        return find(root, AbstractButton.class, b -> text.equals(b.getText()) && b.isShowing());
    }

    public static boolean showsText(Container root, String text) {
        for (Component c : all(root)) {
            if (!c.isShowing()) {
                continue;
            }
            String t = c instanceof JLabel l ? l.getText() : c instanceof JTextComponent tc ? tc.getText()
                    : c instanceof AbstractButton b ? b.getText() : null;
            if (t != null && t.contains(text)) {
                return true;
            }
        }
        return false;
    }

    public static BufferedImage paint(Component c) {
        BufferedImage img = new BufferedImage(Math.max(1, c.getWidth()), Math.max(1, c.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        if (c instanceof Window w) {
            w.getComponent(0).paint(g);
        } else {
            c.paint(g);
        }
        g.dispose();
        return img;
    }

    /** Paints {@code c} on the EDT and writes target/screenshots/{name}.png. */
    public static Path screenshot(Component c, String name) {
        BufferedImage img = onEdt(() -> paint(c));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            ImageIO.write(img, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
