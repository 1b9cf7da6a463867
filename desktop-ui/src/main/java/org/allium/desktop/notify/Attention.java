package org.allium.desktop.notify;

import java.awt.Taskbar;
import java.awt.Window;

/**
 * Asks the desktop for the user's attention when a message or request arrives while the window
 * is minimised, behind others or hidden (issue 13: the urgency hint). Through {@link Taskbar}
 * where the JDK supports it: on Windows it flashes the taskbar button, on macOS it bounces the
 * Dock icon, on Linux with libunity the launcher. Elsewhere on X11 (GNOME, KDE, Xfce, Tails, a
 * bare X server: {@link Taskbar#isTaskbarSupported()} is false) the window's X11 urgency hint
 * ({@link X11Urgency}, cleared when the window gets the focus). A hidden window (running in the
 * background) has no entry to mark: there the urgent desktop notification (urgency 2, it stays
 * until seen) and the unread count in the window title carry it. Event thread.
 */
public final class Attention {
    /** How attention was asked for. */
    public enum Way {
        /** The window's own taskbar entry (Windows: flashes; macOS: bounces). */
        WINDOW,
        /** The application as a whole (macOS Dock, Unity launcher). */
        APP,
        /** Not asked: the user is looking at the window, or the platform offers nothing. */
        NONE
    }

    /** What the platform can do; {@link #system()} in the app, a fake in tests. */
    public interface Platform {
        boolean windowAttention();

        boolean appAttention();

        void requestWindow(Window w);

        void requestApp();

        /** Takes back a window request that stays until cleared (the X11 hint); others end by themselves. */
        default void clearWindow(Window w) {
        }
    }

    private final Platform platform;

    public Attention(Platform platform) {
        this.platform = platform;
    }

    /** {@link Taskbar} where the JDK supports it; for the window, else the X11 urgency hint; else nothing. */
    public static Platform system() {
        Taskbar t = Taskbar.isTaskbarSupported() ? Taskbar.getTaskbar() : null;
        boolean taskbarWindow = t != null && t.isSupported(Taskbar.Feature.USER_ATTENTION_WINDOW);
        boolean x11 = !taskbarWindow && X11Urgency.available();
        boolean app = t != null && t.isSupported(Taskbar.Feature.USER_ATTENTION);
        return new Platform() {
            @Override
            public boolean windowAttention() {
                return taskbarWindow || x11;
            }

            @Override
            public boolean appAttention() {
                return app;
            }

            @Override
            public void requestWindow(Window w) {
                if (taskbarWindow) {
                    t.requestWindowUserAttention(w);
                } else if (!X11Urgency.set(w, true)) {
                    throw new IllegalStateException("the X11 urgency hint could not be set");
                }
            }

            @Override
            public void requestApp() {
                t.requestUserAttention(true, false);
            }

            @Override
            public void clearWindow(Window w) {
                if (x11) {
                    X11Urgency.set(w, false);
                }
            }
        };
    }

    /** Clears what {@link #request} left on {@code w} (call when it gets the focus). */
    public void clear(Window w) {
        try {
            platform.clearWindow(w);
        } catch (RuntimeException e) {
            // nothing more to do: the hint stays until the window manager drops it
        }
    }

    /**
     * The decision: nothing while the window is shown, not minimised and focused; for a window
     * minimised or behind others its own entry, else the application; for a hidden window
     * (running in the background) the application only (a hidden window has no entry).
     */
    public static Way way(boolean visible, boolean iconified, boolean focused, boolean windowSupported,
            boolean appSupported) {
        if (visible && !iconified && focused) {
            return Way.NONE;
        }
        if (visible && windowSupported) {
            return Way.WINDOW;
        }
        return appSupported ? Way.APP : Way.NONE;
    }

    /** Asks for attention for {@code w} as {@link #way} decides; returns what was done. */
    public Way request(java.awt.Frame w) {
        Way way = way(w.isVisible(), (w.getExtendedState() & java.awt.Frame.ICONIFIED) != 0, w.isFocused(),
                platform.windowAttention(), platform.appAttention());
        try {
            switch (way) {
                case WINDOW -> platform.requestWindow(w);
                case APP -> platform.requestApp();
                default -> { }
            }
        } catch (RuntimeException e) {
            // A desktop refusing the request must not stop the message from being shown.
            return Way.NONE;
        }
        return way;
    }
}
