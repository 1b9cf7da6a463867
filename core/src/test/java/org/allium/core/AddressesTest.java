package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Locale;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.InvalidAddressException.Reason;
import org.allium.protocol.IdentityKeyPair;
import org.junit.jupiter.api.Test;

class AddressesTest {
    private final String id = IdentityKeyPair.generate(new SecureRandom()).address().serviceId();

    @Test
    void acceptsEveryUsualForm() throws Exception {
        assertEquals(id, Addresses.parse(id).serviceId());
        assertEquals(id, Addresses.parse("allium:" + id).serviceId());
        assertEquals(id, Addresses.parse("  ALLIUM:" + id.toUpperCase(Locale.ROOT) + "\n").serviceId());
        assertEquals(id, Addresses.parse(id + ".onion").serviceId());
    }

    @Test
    void cleansWhatAPasteAdds() throws Exception {
        // A mail client's line wrap, spaces, a no-break space and a zero-width space inside.
        assertEquals(id, Addresses.parse("allium:" + id.substring(0, 20) + "\n" + id.substring(20, 40) + " "
                + id.substring(40, 50) + "\u00a0\u200b" + id.substring(50)).serviceId());
        assertEquals(id, Addresses.parse("<allium:" + id + ">").serviceId());
        assertEquals(id, Addresses.parse("\u201c" + id + ".onion\u201d.").serviceId());
        assertEquals(id, Addresses.parse("(" + id + ".onion/)").serviceId());
        assertEquals(Reason.EMPTY, reason(" \"\" "));
    }

    @Test
    void saysWhatIsWrong() {
        assertEquals(Reason.EMPTY, reason("  "));
        assertEquals(Reason.WRONG_PREFIX, reason("http://" + id));
        assertEquals(Reason.WRONG_LENGTH, reason(id.substring(1)));
        assertEquals(Reason.NOT_BASE32, reason("1" + id.substring(1)));
        char last = id.charAt(10) == 'a' ? 'b' : 'a';
        assertEquals(Reason.BAD_CHECKSUM, reason(id.substring(0, 10) + last + id.substring(11)));
    }

    private Reason reason(String text) {
        return assertThrows(InvalidAddressException.class, () -> Addresses.parse(text)).reason();
    }
}
