package org.allium.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void noArgumentsWithDisplayStartsTheDesktopApp() {
        assertEquals(Launcher.Target.DESKTOP, Launcher.choose(new String[0], false));
    }

    @Test
    void noArgumentsWithoutDisplayStartsTheCommandLine() {
        assertEquals(Launcher.Target.CLI, Launcher.choose(new String[0], true));
    }

    @Test
    void anyArgumentStartsTheCommandLineEvenWithDisplay() {
        assertEquals(Launcher.Target.CLI, Launcher.choose(new String[] {"--help"}, false));
        assertEquals(Launcher.Target.CLI, Launcher.choose(new String[] {"id"}, false));
    }

    @Test
    void desktopCommandStartsTheDesktopApp() {
        assertEquals(Launcher.Target.DESKTOP, Launcher.choose(new String[] {"desktop"}, false));
        assertEquals(Launcher.Target.DESKTOP, Launcher.choose(new String[] {"desktop", "--testnet", "net.txt"}, false));
        // Without a display the desktop app itself says there is none (exit 2), not the CLI's "unknown command".
        assertEquals(Launcher.Target.DESKTOP, Launcher.choose(new String[] {"desktop"}, true));
    }

    @Test
    void testnetAloneWithADisplayStartsTheDesktopApp() {
        assertEquals(Launcher.Target.DESKTOP, Launcher.choose(new String[] {"--testnet", "net.txt"}, false));
        assertEquals(Launcher.Target.DESKTOP, Launcher.choose(new String[] {"--testnet=net.txt"}, false));
        assertEquals(Launcher.Target.CLI, Launcher.choose(new String[] {"--testnet", "net.txt"}, true));
        assertEquals(Launcher.Target.CLI, Launcher.choose(new String[] {"--testnet", "net.txt", "run"}, false));
    }
}
