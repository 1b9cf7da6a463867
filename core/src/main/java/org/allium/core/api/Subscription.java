package org.allium.core.api;

/** Handle of an event listener. Closing it is idempotent and thread-safe. */
public interface Subscription extends AutoCloseable {
    /** Stops delivery to the listener; an event already being delivered may still arrive. */
    @Override
    void close();
}
