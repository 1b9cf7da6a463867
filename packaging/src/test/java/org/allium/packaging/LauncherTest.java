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
}
