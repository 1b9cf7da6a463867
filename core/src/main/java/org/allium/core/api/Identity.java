package org.allium.core.api;

import java.util.Objects;

/**
 * Our own public identity. Immutable.
 *
 * @param serviceId the 56-character v3 onion service id (no ".onion"), lower case
 * @param fingerprint short safety fingerprint to compare out of band
 * @param nickname the nickname we offer in requests, or {@code null}
 */
public record Identity(String serviceId, String fingerprint, String nickname) {
    /** Prefix of the link form shown to users. */
    public static final String LINK_PREFIX = "allium:";

    public Identity {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** {@code allium:<serviceId>}: what the user shares (and what a QR code encodes). */
    public String link() {
        return LINK_PREFIX + serviceId;
    }

    /** {@code <serviceId>.onion}. */
    public String onionAddress() {
        return serviceId + ".onion";
    }

    @Override
    public String toString() {
        // Never leak the address or nickname through a stray log line.
        return "Identity[redacted]";
    }
}
