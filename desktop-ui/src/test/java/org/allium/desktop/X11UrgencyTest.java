package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.swing.JFrame;
import org.allium.core.api.Contact;
import org.allium.desktop.notify.Attention;
import org.allium.desktop.notify.Attention.Way;
import org.allium.desktop.notify.X11Urgency;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the urgency hint where {@link java.awt.Taskbar} has none (Xvfb here, as GNOME, KDE
 * and Tails): a message arriving while the user is in another window sets the X11 urgency hint
 * on the app's window — read back from the X server with {@code xprop} (x11-utils; FAILS when it
 * is missing) — and the hint is cleared when the app's window gets the focus.
 */
class X11UrgencyTest extends UiTest {
    @Test
    void aMessageWhileTheUserIsElsewhereMarksTheWindowUrgentUntilItIsFocused() throws Exception {
        assertTrue(X11Urgency.available(), "the X11 toolkit's peer is reachable (surefire passes --add-exports)");
        app = gallery.populatedMain();
        edt(() -> app.attention = new Attention(Attention.system()));
        long window = onEdt(() -> X11Urgency.windowId(app.frame()));
        assertNotEquals(0L, window);
        assertFalse(urgent(window), "not urgent to begin with");

        // The user is in another window.
        JFrame other = onEdt(() -> {
            JFrame f = new JFrame("elsewhere");
            f.setBounds(50, 50, 300, 200);
            f.setVisible(true);
            f.toFront();
            f.requestFocus();
            return f;
        });
        waitFor("the other window has the focus", () -> other.isFocused() && !app.frame().isFocused());

        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        Contact camille = m.contacts().stream().filter(c -> c.nickname().equals("Camille")).findFirst().orElseThrow();
        m.receive(camille.id(), "are you there?");
        m.drain();
        waitFor("asked", () -> app.lastAttention != null);
        assertEquals(Way.WINDOW, app.lastAttention);
        assertTrue(urgent(window), "the X server holds the urgency hint");

        // Back to Allium: the hint is taken back.
        edt(() -> {
            other.dispose();
            app.frame().toFront();
            app.frame().requestFocus();
        });
        waitFor("the app's window has the focus", () -> app.frame().isFocused());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (urgent(window) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(urgent(window), "cleared on focus");
    }

    /** Whether the X server has the urgency bit in {@code window}'s WM_HINTS (xprop's words). */
    private static boolean urgent(long window) throws Exception {
        Process p = new ProcessBuilder("xprop", "-id", Long.toString(window), "WM_HINTS").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("WM_HINTS"), out);
        return out.contains("urgency hint bit is set");
    }
}
