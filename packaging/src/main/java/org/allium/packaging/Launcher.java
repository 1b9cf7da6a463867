package org.allium.packaging;

import java.awt.GraphicsEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Main class of the runnable jar: with no arguments and a display it starts the desktop
 * app, otherwise the command line.
 *
 * <p>The desktop app is looked up by name so the jar stays usable (as a command line)
 * even in a build without it.
 */
public final class Launcher {

    static final String DESKTOP_MAIN = "org.allium.desktop.DesktopMain";

    private Launcher() {
    }

    /** Which front end a given invocation gets. */
    enum Target { DESKTOP, CLI }

    static Target choose(String[] args, boolean headless, boolean desktopPresent) {
        return args.length == 0 && !headless && desktopPresent ? Target.DESKTOP : Target.CLI;
    }

    static boolean desktopPresent() {
        try {
            Class.forName(DESKTOP_MAIN, false, Launcher.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Throwable {
        boolean desktop = desktopPresent();
        // isHeadless() is true when there is no DISPLAY/WAYLAND_DISPLAY (ssh, servers, CI).
        if (choose(args, GraphicsEnvironment.isHeadless(), desktop) == Target.DESKTOP) {
            Method main = Class.forName(DESKTOP_MAIN).getMethod("main", String[].class);
            try {
                main.invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return;
        }
        org.allium.cli.Main.main(args);
    }
}
