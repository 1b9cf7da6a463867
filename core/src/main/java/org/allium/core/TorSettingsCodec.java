package org.allium.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.allium.core.api.TorSettings;

/** The settings-store form of {@link TorSettings}: ten '.'-separated base64url fields, lists joined by newlines. */
final class TorSettingsCodec {
    static final String KEY = "core.tor";

    private TorSettingsCodec() {
    }

    static String encode(TorSettings s) {
        String[] f = {s.mode().name(), str(s.torBinary()), String.join("\n", s.bridges()), str(s.transportBinary()),
                nz(s.controlHost()), Integer.toString(s.controlPort()), str(s.cookieFile()), nz(s.controlPassword()),
                Integer.toString(s.socksPort()), String.join("\n", s.testnetLines())};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
            if (i > 0) {
                b.append('.');
            }
            b.append(Base64.getUrlEncoder().withoutPadding().encodeToString(f[i].getBytes(StandardCharsets.UTF_8)));
        }
        return b.toString();
    }

    /** @throws IllegalArgumentException when the stored text is not a valid encoding */
    static TorSettings decode(String text) {
        String[] p = text.split("\\.", -1);
        if (p.length != 10) {
            throw new IllegalArgumentException("bad stored tor settings");
        }
        String[] f = new String[10];
        for (int i = 0; i < 10; i++) {
            f[i] = new String(Base64.getUrlDecoder().decode(p[i]), StandardCharsets.UTF_8);
        }
        return new TorSettings(TorSettings.Mode.valueOf(f[0]), path(f[1]), lines(f[2]), path(f[3]), empty(f[4]),
                Integer.parseInt(f[5]), path(f[6]), empty(f[7]), Integer.parseInt(f[8]), lines(f[9]));
    }

    private static String str(Path p) {
        return p == null ? "" : p.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String empty(String s) {
        return s.isEmpty() ? null : s;
    }

    private static Path path(String s) {
        return s.isEmpty() ? null : Path.of(s);
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : new ArrayList<>(List.of(s.split("\n")));
    }
}
