package org.allium.core;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;

/**
 * Runs the protocol's handshake over a connected socket and yields an authenticated
 * {@link Session}. Thread-safe; both methods block up to {@code timeout}. On failure the
 * socket is closed.
 */
interface Wire {
    /** What a connection is for; bound into the handshake so one cannot pose as the other. */
    enum Purpose {
        /** On a public identity onion: one contact request. */
        CONTACT_REQUEST,
        /** On a private endpoint onion: a contact's session. */
        CONTACT,
        /** On a private endpoint onion: one file's data (accepted wherever CONTACT is). */
        FILE_STREAM,
        /** On a drop line's public identity onion: one source's submission or check-in (PROTOCOL.md §13). */
        DROP_SUBMISSION
    }

    /**
     * Client side: we dialled {@code dialled} and expect {@code expectedPeer} to answer.
     *
     * @throws IOException if the handshake fails or the server is not {@code expectedPeer}
     */
    Session connect(Socket socket, IdentityKeyPair me, OnionAddress dialled, OnionAddress expectedPeer,
                    Purpose purpose, Duration timeout) throws IOException;

    /**
     * Server side: a client reached our service {@code myService}; the returned session's
     * {@link Session#peer()} is the client's proven identity. {@code admission} decides,
     * after the client proved its identity and before we sign AuthOk (PROTOCOL.md §6.2
     * step 6), whether it may use this purpose here; a refused client gets the Close code
     * and never an authenticated session.
     */
    default Session accept(Socket socket, IdentityKeyPair me, OnionAddress myService, Purpose purpose,
                   Duration timeout, Admission admission) throws IOException {
        return accept(socket, me, myService, java.util.EnumSet.of(purpose), timeout, admission);
    }

    /**
     * As above, accepting any of {@code purposes} (FILE_STREAM wherever CONTACT); the
     * session's {@code handshake().purpose()} tells which one the client chose.
     */
    Session accept(Socket socket, IdentityKeyPair me, OnionAddress myService, java.util.Set<Purpose> purposes,
                   Duration timeout, Admission admission) throws IOException;

    /** {@link #accept(Socket, IdentityKeyPair, OnionAddress, Purpose, Duration, Admission)} admitting everyone. */
    default Session accept(Socket socket, IdentityKeyPair me, OnionAddress myService, Purpose purpose,
                           Duration timeout) throws IOException {
        return accept(socket, me, myService, purpose, timeout, client -> null);
    }

    /** The server's step-6 decision. Called on the handshake's thread; must not block for long. */
    @FunctionalInterface
    interface Admission {
        /** @return null to admit {@code client}, else why it is refused ({@code NOT_AUTHORIZED}, {@code BUSY}) */
        Frame.CloseReason refuse(OnionAddress client);
    }
}
