package org.allium.tor.api;

/**
 * Tor derived a different service id from our key than the one we computed. The service
 * tor created has already been removed again. Neither id is in the message.
 */
public final class OnionAddressMismatchException extends TorException {
    private static final long serialVersionUID = 1L;

    public OnionAddressMismatchException(String message) {
        super(message);
    }
}
