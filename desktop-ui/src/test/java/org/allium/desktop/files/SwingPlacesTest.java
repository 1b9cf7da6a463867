package org.allium.desktop.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Open folder" starts xdg-open with the folder as its only argument and a minimal environment. */
class SwingPlacesTest {
    @TempDir
    Path tmp;

    @Test
    void xdgOpenGetsTheFolderAndOnlyTheDesktopsVariables() throws Exception {
        Path record = tmp.resolve("record");
        Path standIn = tmp.resolve("xdg-open");
        Files.writeString(standIn, "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$1\" > '" + record + "'\nenv >> '" + record + "'\n");
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
        Path folder = Files.createDirectories(tmp.resolve("Downloads; touch x"));
        Map<String, String> ours = new HashMap<>(System.getenv());
        ours.put("DISPLAY", ":42");
        ours.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus");
        ours.put("PATH", "/usr/bin:/bin");
        // Whatever else the app's environment holds stays with the app.
        ours.put("ALLIUM_NOTE", "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvw.onion");
        ours.put("JAVA_TOOL_OPTIONS", "-Dsecret=1");
        ours.put("SSH_AUTH_SOCK", "/tmp/agent");
        Process p = SwingPlaces.opener(standIn, folder, ours).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        assertEquals("1", lines.get(0), "one argument");
        assertEquals(folder.toAbsolutePath().toString(), lines.get(1));
        List<String> env = lines.subList(2, lines.size());
        assertTrue(env.contains("DISPLAY=:42"), env.toString());
        assertTrue(env.contains("DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus"), env.toString());
        for (String line : env) {
            String name = line.substring(0, Math.max(0, line.indexOf('=')));
            // sh itself adds PWD, SHLVL and _; everything else must come from the allowed list.
            assertTrue(SwingPlaces.OPENER_ENVIRONMENT.contains(name) || List.of("PWD", "SHLVL", "_").contains(name),
                    "not for xdg-open: " + name);
        }
        String all = String.join("\n", env);
        assertFalse(all.contains(".onion"), all);
        assertFalse(all.contains("secret"), all);
        assertFalse(all.contains("agent"), all);
        assertFalse(Files.exists(tmp.resolve("x")), "no shell ran the folder's name");
    }
}
