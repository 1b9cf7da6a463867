package org.allium.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb's maintainer scripts (installer/deb, packaged by jpackage.sh, which checks that
 * the built package carries exactly these) on a headless system: no desktop menu directory
 * (xdg-desktop-menu fails as it does on a Debian server) or no xdg-desktop-menu at all.
 * Installing and removing must succeed; with a desktop, the menu entry is installed and removed.
 */
class DebScriptsTest {
    private static final Path DEB = Path.of("installer", "deb");
    private static final String DESKTOP = "/opt/allium/lib/allium-allium.desktop";

    @TempDir
    Path tmp;

    private record Run(int code, String output) {
    }

    private Run run(String script, String arg, Path bin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", DEB.resolve(script).toAbsolutePath().toString(), arg)
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /** A fake xdg-desktop-menu that logs its arguments and exits with {@code code} after printing {@code message}. */
    private Path fakeXdg(String name, int code, String message) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name));
        Path tool = bin.resolve("xdg-desktop-menu");
        Files.writeString(tool, "#!/bin/sh\necho \"$@\" >> " + bin.resolve("calls") + "\necho '" + message
                + "' >&2\nexit " + code + "\n");
        assertTrue(tool.toFile().setExecutable(true));
        return bin;
    }

    @Test
    void headlessWithoutMenuDirectoryInstallsAndRemoves() throws Exception {
        Path bin = fakeXdg("headless", 3, "xdg-desktop-menu: No writable system menu directory found.");
        Run install = run("postinst", "configure", bin);
        assertEquals(0, install.code(), install.output());
        assertTrue(install.output().contains("menu entry was not installed"), install.output());
        Run remove = run("prerm", "remove", bin);
        assertEquals(0, remove.code(), remove.output());
        assertEquals(List.of("install " + DESKTOP, "uninstall " + DESKTOP), Files.readAllLines(bin.resolve("calls")));
    }

    @Test
    void withoutXdgUtilsAtAll() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        for (String[] c : new String[][] {{"postinst", "configure"}, {"prerm", "remove"}, {"prerm", "upgrade"}}) {
            Run r = run(c[0], c[1], empty);
            assertEquals(0, r.code(), c[0] + " " + c[1] + ": " + r.output());
        }
    }

    @Test
    void withADesktopTheMenuEntryComesAndGoes() throws Exception {
        Path bin = fakeXdg("desktop", 0, "");
        assertEquals(0, run("postinst", "configure", bin).code());
        assertEquals(0, run("prerm", "remove", bin).code());
        assertEquals(List.of("install " + DESKTOP, "uninstall " + DESKTOP), Files.readAllLines(bin.resolve("calls")));
    }

    @Test
    void unknownArgumentsStillFailAsDebianPolicyAsks() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("none"));
        assertEquals(1, run("postinst", "bogus", empty).code());
        assertEquals(1, run("prerm", "bogus", empty).code());
    }
}
