package org.allium.core;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.Envelope;

/**
 * The real {@link Wire} that also keeps every contact session it made, so a test can write
 * raw frames on a real, authenticated contact session of a real messenger: what a peer running
 * a modified client can send (a hostile group member, GroupForgeryIT). Writes go through the
 * session's own thread-safe {@link Session#send}, between the engine's frames.
 */
final class TapWire implements Wire {
    private final Wire inner;
    /** Guarded by itself. */
    private final List<Session> sessions = new ArrayList<>();

    TapWire(Wire inner) {
        this.inner = inner;
    }

    @Override
    public Session connect(Socket socket, IdentityKeyPair me, OnionAddress dialled, OnionAddress expectedPeer,
                           Purpose purpose, Duration timeout) throws IOException {
        Session s = inner.connect(socket, me, dialled, expectedPeer, purpose, timeout);
        if (purpose == Purpose.CONTACT) {
            keep(s);
        }
        return s;
    }

    @Override
    public Session accept(Socket socket, IdentityKeyPair me, OnionAddress myService, Set<Purpose> purposes,
                          Duration timeout, Admission admission) throws IOException {
        Session s = inner.accept(socket, me, myService, purposes, timeout, admission);
        if (s.handshake().purpose() == org.allium.protocol.proto.Purpose.CONTACT_SESSION) {
            keep(s);
        }
        return s;
    }

    private void keep(Session s) {
        synchronized (sessions) {
            sessions.removeIf(Session::isClosed);
            sessions.add(s);
        }
    }

    /**
     * Sends {@code e} as it is (a group message, a summary: whatever the test forged) on the
     * newest open contact session with {@code peer}; false if there is none.
     */
    boolean send(String peerServiceId, Envelope e) throws IOException {
        Session target = null;
        synchronized (sessions) {
            for (Session s : sessions) {
                if (!s.isClosed() && s.peer().serviceId().equals(peerServiceId)) {
                    target = s;
                }
            }
        }
        if (target == null) {
            return false;
        }
        target.send(new Frame.Group(e));
        return true;
    }
}
