package org.allium.testnet;

/**
 * The private Tor network could not be started or used. The message names the failing node
 * and, where there is one, carries the last lines of that node's log.
 */
public final class TestnetException extends Exception {
    private static final long serialVersionUID = 1L;

    public TestnetException(String message) {
        super(message);
    }

    public TestnetException(String message, Throwable cause) {
        super(message, cause);
    }
}
