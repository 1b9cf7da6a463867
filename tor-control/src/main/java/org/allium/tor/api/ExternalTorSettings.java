package org.allium.tor.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to attach to an existing tor (system tor, Tails, Whonix). Exactly one of
 * {@code cookieFile} and {@code password} is set, or neither when the control port has
 * no authentication. {@code socks} null means: ask tor ({@code GETINFO net/listeners/socks}).
 */
public record ExternalTorSettings(HostPort control, Path cookieFile, String password, HostPort socks) {
    public ExternalTorSettings {
        Objects.requireNonNull(control, "control");
        if (cookieFile != null && password != null) {
            throw new IllegalArgumentException("give a cookie file or a password, not both");
        }
    }

    public static ExternalTorSettings withCookie(HostPort control, Path cookieFile) {
        return new ExternalTorSettings(control, Objects.requireNonNull(cookieFile), null, null);
    }

    public static ExternalTorSettings withPassword(HostPort control, String password) {
        return new ExternalTorSettings(control, null, Objects.requireNonNull(password), null);
    }

    /** A copy that uses this SOCKS port instead of asking tor. */
    public ExternalTorSettings withSocks(HostPort socksPort) {
        return new ExternalTorSettings(control, cookieFile, password, socksPort);
    }

    @Override
    public String toString() {
        return "ExternalTorSettings[control=" + control + ", auth="
                + (cookieFile != null ? "cookie" : password != null ? "password" : "none")
                + ", socks=" + socks + "]";
    }
}
