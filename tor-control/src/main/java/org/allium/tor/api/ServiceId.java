package org.allium.tor.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A v3 onion service id: the 56 base32 characters of an onion address without
 * {@code .onion}. Only the shape is checked here (the checksum belongs to the protocol
 * module); tor rejects a bad checksum with SOCKS error {@link SocksFailure#BAD_ADDRESS}.
 * {@link #toString()} is scrubbed so that an id never lands in a log by accident; use
 * {@link #value()} where the full id is really needed.
 */
public record ServiceId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[a-z2-7]{55}d");

    public ServiceId {
        if (value == null) throw new NullPointerException("value");
        value = value.toLowerCase(Locale.ROOT);
        if (value.endsWith(".onion")) value = value.substring(0, value.length() - 6);
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("not a v3 onion service id (56 base32 characters ending in 'd')");
        }
    }

    /** The host name to dial: {@code <id>.onion}. */
    public String hostname() {
        return value + ".onion";
    }

    /** A form safe for logs: the first few characters only. */
    public String scrubbed() {
        return value.substring(0, 4) + "[…]";
    }

    @Override
    public String toString() {
        return scrubbed();
    }
}
