package org.allium.packaging;

import java.awt.GraphicsEnvironment;

import org.allium.cli.Main;
import org.allium.desktop.DesktopMain;

/**
 * Main class of the runnable jar: with no arguments and a display it starts the desktop
 * app, otherwise the command line (any argument, ssh, servers, CI).
 */
public final class Launcher {

    private Launcher() {
    }

    /** Which front end a given invocation gets. */
    enum Target { DESKTOP, CLI }

    static Target choose(String[] args, boolean headless) {
        return args.length == 0 && !headless ? Target.DESKTOP : Target.CLI;
    }

    public static void main(String[] args) {
        // isHeadless() is true when there is no DISPLAY/WAYLAND_DISPLAY (ssh, servers, CI).
        if (choose(args, GraphicsEnvironment.isHeadless()) == Target.DESKTOP) {
            DesktopMain.main(args);
        } else {
            Main.main(args);
        }
    }
}
