package org.allium.core.api;

import java.util.Objects;

/** The text given as an address or {@code allium:} link is not a usable address. */
public final class InvalidAddressException extends MessengerException {
    /** Why the address was refused. */
    public enum Reason {
        EMPTY("The address is empty."),
        WRONG_PREFIX("An address starts with \"allium:\" or is a 56-character .onion id."),
        WRONG_LENGTH("An address has exactly 56 characters after \"allium:\"."),
        NOT_BASE32("An address only contains the letters a–z and digits 2–7."),
        BAD_CHECKSUM("The address has a typo (its checksum does not match)."),
        BAD_VERSION("This is not a version 3 onion address."),
        OWN_ADDRESS("This is your own address."),
        ALREADY_CONTACT("This address is already one of your contacts or requests.");

        private final String sentence;

        Reason(String sentence) {
            this.sentence = sentence;
        }

        public String sentence() {
            return sentence;
        }
    }

    private final Reason reason;

    public InvalidAddressException(Reason reason) {
        super(Objects.requireNonNull(reason, "reason").sentence());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
