package org.allium.core;

import org.allium.core.api.InvalidAddressException;
import org.allium.protocol.OnionAddress;

/** Reading addresses typed or pasted by users, with a reason a user can act on. Stateless. */
final class Addresses {
    private Addresses() {
    }

    /** Parses {@code allium:<id>}, {@code <id>.onion} or {@code <id>}, any case, surrounding blanks. Pure. */
    static OnionAddress parse(String text) throws InvalidAddressException {
        if (text == null || text.isBlank()) {
            throw new InvalidAddressException(InvalidAddressException.Reason.EMPTY);
        }
        String t = text.strip();
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("allium:")) {
            t = t.substring(7);
        } else if (lower.contains(":")) {
            throw new InvalidAddressException(InvalidAddressException.Reason.WRONG_PREFIX);
        }
        if (t.toLowerCase(java.util.Locale.ROOT).endsWith(".onion")) {
            t = t.substring(0, t.length() - 6);
        }
        if (t.length() != OnionAddress.SERVICE_ID_LENGTH) {
            throw new InvalidAddressException(InvalidAddressException.Reason.WRONG_LENGTH);
        }
        if (!t.toLowerCase(java.util.Locale.ROOT).matches("[a-z2-7]+")) {
            throw new InvalidAddressException(InvalidAddressException.Reason.NOT_BASE32);
        }
        try {
            return OnionAddress.parse(t);
        } catch (org.allium.protocol.InvalidAddressException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
            throw new InvalidAddressException(m.contains("version")
                    ? InvalidAddressException.Reason.BAD_VERSION : InvalidAddressException.Reason.BAD_CHECKSUM);
        }
    }
}
