package org.allium.tor.api;

import java.util.List;

/**
 * Hears what a {@link Tor} does. Every call happens on the tor's event executor, one at a
 * time and in the order things happened — never on jtorctl's reader thread. Callbacks
 * should return quickly; an exception thrown by one is logged and does not stop others.
 * Every method has an empty default.
 */
public interface TorObserver {
    /** The state changed. */
    default void onStateChanged(TorState state) {}

    /** Tor reported bootstrap progress. */
    default void onBootstrap(BootstrapStatus status) {}

    /** Tor logged a warning or error ({@code WARN}/{@code ERR} events). */
    default void onWarning(String message) {}

    /** An HSDir accepted a descriptor of a service this tor published (one call per HSDir). */
    default void onDescriptorUploaded(ServiceId service) {}

    /** Uploading a descriptor of a service this tor published to one HSDir failed. */
    default void onDescriptorUploadFailed(ServiceId service, String reason) {}

    /**
     * Tor went away without {@link Tor#stop()}: killed, crashed, or (external tor) the
     * control connection closed. The state is {@link TorState#EXITED}.
     *
     * @param exitCode     the process exit status, or -1 when unknown (external tor)
     * @param lastLogLines tor's last log lines, onion addresses scrubbed; may be empty
     */
    default void onTorExited(int exitCode, List<String> lastLogLines) {}
}
