package org.allium.core;

import java.util.logging.Logger;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksFailure;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;

/**
 * After a failed dial, has tor fetch the service's descriptor anew ({@code HSFETCH}). A peer
 * that went offline and came back publishes new introduction points; our tor keeps the
 * descriptor it fetched before, tries the dead points, and on the testnet took 70–120 s
 * before it asked the directories again (issue 12). Thread-safe, non-blocking.
 */
final class Descriptors {
    private static final Logger LOG = Logger.getLogger(Descriptors.class.getName());

    private Descriptors() {
    }

    /** Whether a fresh descriptor may fix this failure (not a credential problem or a bad address). */
    static boolean worthRefetching(SocksFailure reason) {
        return switch (reason) {
            case DESCRIPTOR_NOT_FOUND, INTRO_FAILED, INTRO_TIMED_OUT, RENDEZVOUS_FAILED, TTL_EXPIRED,
                    HOST_UNREACHABLE, GENERAL_FAILURE, TIMEOUT -> true;
            default -> false;
        };
    }

    /** Queues an {@code HSFETCH} of {@code serviceId} on the tor thread if {@code reason} is worth it. */
    static void refetchAfter(TorSupervisor tor, SocksFailure reason, String serviceId) {
        if (!worthRefetching(reason)) {
            return;
        }
        tor.onTorThread(() -> {
            Tor t = tor.readyTor();
            if (t == null) {
                return;
            }
            try {
                t.refetchDescriptor(new ServiceId(serviceId));
            } catch (TorException e) {
                LOG.fine("descriptor refetch refused: " + e.getMessage());
            }
        });
    }
}
