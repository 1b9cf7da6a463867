package org.allium.tor.api;

import java.util.Objects;

/**
 * The result of {@link Tor#publish(OnionServiceSpec)}.
 *
 * @param serviceId  the id tor derived from our key (always equal to the expected one)
 * @param powEnabled whether tor accepted the proof-of-work options
 */
public record PublishedOnion(ServiceId serviceId, boolean powEnabled) {
    public PublishedOnion {
        Objects.requireNonNull(serviceId, "serviceId");
    }
}
