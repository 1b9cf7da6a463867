package org.allium.desktop.notify;

import java.awt.Component;
import java.awt.Toolkit;
import java.awt.Window;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The X11 urgency hint (ICCCM {@code WM_HINTS} with {@code XUrgencyHint}) on a window, where
 * {@link java.awt.Taskbar} offers nothing (GNOME, KDE, Xfce, Tails, a bare X server). The JDK
 * has no public API for it but its own X11 peer keeps the window's {@code WM_HINTS} and sets
 * them with {@code XSetWMHints}: this class flips the one bit through that peer by reflection
 * (no native code of ours). It needs {@code java.desktop/sun.awt} and {@code sun.awt.X11}
 * exported to us — the jar's manifest says {@code Add-Exports} for {@code java -jar}, the tests
 * pass {@code --add-exports}; without them, or on another toolkit (Wayland-only, Windows,
 * macOS), {@link #available()} is false and nothing is done. Window managers show the hint
 * their way (mutter: "is ready" and the window list, KWin and Xfce: a flashing task entry) and
 * map it to {@code _NET_WM_STATE_DEMANDS_ATTENTION}; the app clears it when the window gets the
 * focus. Event thread.
 */
public final class X11Urgency {
    private static final Logger LOG = Logger.getLogger(X11Urgency.class.getName());
    /** {@code XUrgencyHint} of Xutil.h. */
    static final long URGENCY_HINT = 1L << 8;
    private static final Reflected R = Reflected.find();

    private X11Urgency() {
    }

    /** The JDK-internal methods used, or null where they cannot be reached. */
    private record Reflected(Method accessor, Method getPeer, Class<?> baseWindow, Method getWMHints,
            Method setWMHints, Method getFlags, Method setFlags, Method getWindow) {
        static Reflected find() {
            try {
                if (!"sun.awt.X11.XToolkit".equals(Toolkit.getDefaultToolkit().getClass().getName())) {
                    return null;
                }
                Class<?> awtAccessor = Class.forName("sun.awt.AWTAccessor");
                Class<?> componentAccessor = Class.forName("sun.awt.AWTAccessor$ComponentAccessor");
                Class<?> base = Class.forName("sun.awt.X11.XBaseWindow");
                Class<?> hints = Class.forName("sun.awt.X11.XWMHints");
                Reflected r = new Reflected(awtAccessor.getMethod("getComponentAccessor"),
                        componentAccessor.getMethod("getPeer", Component.class), base, base.getMethod("getWMHints"),
                        base.getMethod("setWMHints", hints), hints.getMethod("get_flags"),
                        hints.getMethod("set_flags", long.class), base.getMethod("getWindow"));
                r.accessor.invoke(null); // fails here, not later, when the package is not exported to us
                return r;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "no X11 urgency hint ({0})", e.getClass().getSimpleName());
                return null;
            }
        }

        Object peer(Window w) throws ReflectiveOperationException {
            Object p = getPeer.invoke(accessor.invoke(null), w);
            return baseWindow.isInstance(p) ? p : null;
        }
    }

    /** Whether the hint can be set here (X11 toolkit, the JDK's X11 classes exported to us). */
    public static boolean available() {
        return R != null;
    }

    /**
     * Sets or clears the urgency hint of {@code w}'s X window.
     *
     * @return false when it could not be done (no X11 peer: not displayable, not available)
     */
    public static boolean set(Window w, boolean urgent) {
        if (R == null) {
            return false;
        }
        try {
            Object peer = R.peer(w);
            if (peer == null) {
                return false;
            }
            Object hints = R.getWMHints.invoke(peer);
            long flags = (long) R.getFlags.invoke(hints);
            R.setFlags.invoke(hints, urgent ? flags | URGENCY_HINT : flags & ~URGENCY_HINT);
            R.setWMHints.invoke(peer, hints);
            Toolkit.getDefaultToolkit().sync();
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "the X11 urgency hint failed ({0})", e.getClass().getSimpleName());
            return false;
        }
    }

    /** The X window id of {@code w} (for tests reading the property back), or 0. */
    public static long windowId(Window w) {
        if (R == null) {
            return 0;
        }
        try {
            Object peer = R.peer(w);
            return peer == null ? 0 : (long) R.getWindow.invoke(peer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }
}
