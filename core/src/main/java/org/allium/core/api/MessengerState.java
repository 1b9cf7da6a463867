package org.allium.core.api;

/** Lifecycle of a {@link Messenger}: NEW → STARTING → RUNNING → STOPPING → STOPPED. */
public enum MessengerState {
    NEW,
    /** {@link Messenger#start()} was called; tor is starting or bootstrapping. */
    STARTING,
    /** Tor is bootstrapped and our onion services are published ({@link MessengerEvent.Ready}). */
    RUNNING,
    STOPPING,
    /** Final: a stopped messenger cannot be started again; create a new one. */
    STOPPED
}
