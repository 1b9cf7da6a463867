package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Window;
import java.util.ArrayList;
import java.util.List;
import org.allium.core.api.Contact;
import org.allium.desktop.notify.Attention;
import org.allium.desktop.notify.Attention.Way;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the urgency hint. The decision (asked only when the user is not looking; the
 * window's own entry where the platform has one, else the application, a hidden window only the
 * application) and, in the real window, that a message arriving while the window is hidden asks
 * the platform, and one arriving while the user reads asks nothing. Pure Java reaches the
 * platform only through java.awt.Taskbar (Windows, macOS, Linux with libunity); under Xvfb,
 * GNOME and Tails it is not supported and the urgent notification carries it.
 */
class AttentionTest extends UiTest {
    @Test
    void theDecision() {
        // Looking at the window: nothing.
        assertEquals(Way.NONE, Attention.way(true, false, true, true, true));
        // Minimised, or behind another window: its own entry, else the application, else nothing.
        assertEquals(Way.WINDOW, Attention.way(true, true, false, true, true));
        assertEquals(Way.WINDOW, Attention.way(true, false, false, true, false));
        assertEquals(Way.APP, Attention.way(true, true, false, false, true));
        assertEquals(Way.NONE, Attention.way(true, true, false, false, false));
        // Hidden (running in the background): a hidden window has no entry.
        assertEquals(Way.APP, Attention.way(false, false, false, true, true));
        assertEquals(Way.NONE, Attention.way(false, false, false, true, false));
    }

    @Test
    void aMessageWhileTheWindowIsHiddenAsksThePlatform() throws Exception {
        app = gallery.populatedMain();
        List<String> asked = new ArrayList<>();
        Attention.Platform fake = new Attention.Platform() {
            @Override
            public boolean windowAttention() {
                return true;
            }

            @Override
            public boolean appAttention() {
                return true;
            }

            @Override
            public void requestWindow(Window w) {
                asked.add("window");
            }

            @Override
            public void requestApp() {
                asked.add("app");
            }
        };
        edt(() -> app.attention = new Attention(fake));
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        Contact camille = m.contacts().stream().filter(c -> c.nickname().equals("Camille")).findFirst().orElseThrow();

        edt(() -> app.frame().setVisible(false));
        m.receive(camille.id(), "are you there?");
        m.drain();
        waitFor("asked", () -> !asked.isEmpty());
        assertEquals(List.of("app"), asked, "a hidden window: the application");
        assertEquals(Way.APP, app.lastAttention);

        // The platform without any support (Xvfb, GNOME): nothing asked, nothing breaks.
        edt(() -> app.attention = new Attention(Attention.system()));
        m.receive(camille.id(), "still there?");
        m.drain();
        waitFor("decided", () -> app.lastAttention == (java.awt.Taskbar.isTaskbarSupported()
                && java.awt.Taskbar.getTaskbar().isSupported(java.awt.Taskbar.Feature.USER_ATTENTION)
                ? Way.APP : Way.NONE));
        assertTrue(app.notifier.last() != null, "the notification still goes out");
    }
}
