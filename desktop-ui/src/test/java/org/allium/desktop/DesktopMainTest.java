package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: {@code allium desktop [--testnet FILE]} — the desktop app joins a private network directly. */
class DesktopMainTest {
    @Test
    void optionsAcceptDesktopAndTestnet() {
        assertNull(DesktopMain.Options.parse(new String[0]).testnet());
        assertNull(DesktopMain.Options.parse(new String[] {"desktop"}).testnet());
        assertEquals(Path.of("net.txt"), DesktopMain.Options.parse(new String[] {"desktop", "--testnet", "net.txt"}).testnet());
        assertEquals(Path.of("net.txt"), DesktopMain.Options.parse(new String[] {"--testnet", "net.txt"}).testnet());
        assertEquals(Path.of("n.txt"), DesktopMain.Options.parse(new String[] {"--testnet=n.txt"}).testnet());
        assertThrows(IllegalArgumentException.class, () -> DesktopMain.Options.parse(new String[] {"desktop", "--bogus"}));
        assertThrows(IllegalArgumentException.class, () -> DesktopMain.Options.parse(new String[] {"--testnet"}));
    }

    @Test
    void testnetFileIsReadLikeTheCommandLineDoes(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("net.txt");
        Files.writeString(f, "# written by allium testnet\n\nTestingTorNetwork 1\nDirAuthority a 127.0.0.1:5000 ABC\n");
        assertEquals(List.of("TestingTorNetwork 1", "DirAuthority a 127.0.0.1:5000 ABC"), DesktopMain.testnetLines(f));
        Files.writeString(f, "SocksPort 9050\n");
        assertTrue(assertThrows(IOException.class, () -> DesktopMain.testnetLines(f)).getMessage().contains("DirAuthority"));
        Files.write(f, new byte[(int) DesktopMain.MAX_TESTNET_FILE + 1]);
        assertThrows(IOException.class, () -> DesktopMain.testnetLines(f));
        assertThrows(IOException.class, () -> DesktopMain.testnetLines(tmp.resolve("missing")));
    }

    @Test
    void aPrivateNetworkUsesPreferencesAndAProfileFolderOfItsOwn(@TempDir Path tmp) throws IOException {
        Path real = tmp.resolve("allium");
        Path prefsFile = tmp.resolve("config").resolve("desktop.properties");
        UiPreferences normal = DesktopMain.preferences(false, real, prefsFile);
        normal.setProfileDirectory(real);
        normal.save();
        UiPreferences testnet = DesktopMain.preferences(true, real, prefsFile);
        assertEquals(tmp.resolve("allium-testnet").toAbsolutePath(), testnet.profileDirectory().orElseThrow());
        testnet.save();
        assertTrue(Files.exists(tmp.resolve("config").resolve("desktop-testnet.properties")));
        assertEquals(real.toAbsolutePath(), DesktopMain.preferences(false, real, prefsFile).profileDirectory().orElseThrow(),
                "the real profile is untouched");
        CoreAccess withTestnet = DesktopMain.core(List.of("DirAuthority a 127.0.0.1:5000 ABC"));
        assertNotEquals(CoreAccess.production().messengers().getClass(), withTestnet.messengers().getClass());
    }
}
