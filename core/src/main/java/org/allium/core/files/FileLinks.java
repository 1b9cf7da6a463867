package org.allium.core.files;

import java.io.IOException;
import org.allium.contacts.api.ContactId;
import org.allium.protocol.proto.Envelope;

/** What the connection manager does for the file engine. Thread-safe. */
public interface FileLinks {
    /** Whether the contact's chat session is up (so its endpoint is reachable now). Non-blocking. */
    boolean isOnline(ContactId contact);

    /**
     * Dials the contact's endpoint with purpose FILE_STREAM on a circuit of its own. Blocks
     * up to the dial and handshake timeouts.
     */
    FileLink dial(ContactId contact) throws IOException, InterruptedException;

    /** Sends a file control message (FileAccept/FileDecline/FileAbort) on the chat session if it is up. */
    boolean sendOnSession(ContactId contact, Envelope message);
}
