package org.allium.packaging;

import java.awt.GraphicsEnvironment;

import org.allium.cli.Main;
import org.allium.desktop.DesktopMain;

/**
 * Main class of the runnable jar: with no arguments and a display it starts the desktop
 * app, and so do {@code allium desktop [--testnet FILE]} (always; without a display it says
 * so) and {@code allium --testnet FILE} alone with a display (anyone can try the whole app on
 * a private network); otherwise the command line (other arguments, ssh, servers, CI).
 */
public final class Launcher {

    private Launcher() {
    }

    /** Which front end a given invocation gets. */
    enum Target { DESKTOP, CLI }

    static Target choose(String[] args, boolean headless) {
        if (args.length > 0 && args[0].equals("desktop")) {
            return Target.DESKTOP;
        }
        boolean testnetOnly = (args.length == 2 && args[0].equals("--testnet"))
                || (args.length == 1 && args[0].startsWith("--testnet="));
        return (args.length == 0 || testnetOnly) && !headless ? Target.DESKTOP : Target.CLI;
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
