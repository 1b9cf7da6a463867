package org.allium.tor.api;

/**
 * The life cycle of a {@link Tor}. Transitions are reported to
 * {@link TorObserver#onStateChanged(TorState)} in the order they happen.
 *
 * <pre>
 * NOT_STARTED → STARTING → STARTED → BOOTSTRAPPING → READY
 *                   ↓          ↓            ↓            ↓
 *                EXITED     STOPPING → STOPPED     (or EXITED)
 * </pre>
 * A tor in {@link #STOPPED} or {@link #EXITED} may be started again.
 */
public enum TorState {
    /** Created; {@link Tor#start()} not yet called. */
    NOT_STARTED,
    /** {@link Tor#start()} is launching tor (or attaching to it) and authenticating. */
    STARTING,
    /** Control connection up; network still disabled ({@code DisableNetwork 1}). */
    STARTED,
    /** Network enabled; tor is bootstrapping (see {@link BootstrapStatus}). */
    BOOTSTRAPPING,
    /** Bootstrapped to 100 %: onion services can be published and dialled. */
    READY,
    /** {@link Tor#stop()} is shutting tor down (or detaching from an external tor). */
    STOPPING,
    /** Stopped by {@link Tor#stop()}. */
    STOPPED,
    /**
     * Tor went away without being asked to: the process exited or was killed, or the
     * control connection closed. {@link TorObserver#onTorExited} carries the details.
     */
    EXITED;

    /** True while a control connection is (meant to be) usable. */
    public boolean isRunning() {
        return this == STARTED || this == BOOTSTRAPPING || this == READY;
    }
}
