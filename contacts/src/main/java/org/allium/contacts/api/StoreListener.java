package org.allium.contacts.api;

/**
 * Receives {@link StoreEvent}s on the profile's event executor, after commit. Must not
 * block; an exception it throws is logged (without content) and does not affect others.
 */
@FunctionalInterface
public interface StoreListener {
    void onEvent(StoreEvent event);
}
