package org.allium.core;

/** Log-safe forms of identifying values. Logs never carry a full address, key, nickname or text. */
final class Scrub {
    private Scrub() {
    }

    /** The first four characters of a service id and an ellipsis. */
    static String id(String serviceId) {
        if (serviceId == null || serviceId.length() < 4) {
            return "[…]";
        }
        return serviceId.substring(0, 4) + "[…]";
    }
}
