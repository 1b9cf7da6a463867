package org.allium.core.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * File transfer between contacts (PROTOCOL.md §9): an offer is a conversation item delivered
 * exactly once like a message; once the receiver accepts, the data flows on its own
 * connection, windowed, every chunk verified before it is written, resumed after any
 * interruption (restarts included) from what the receiver already holds. Received data is
 * kept encrypted inside the profile until exported.
 *
 * <p>Threading as {@link Messenger}: every method is thread-safe; "blocks on store I/O"
 * methods wait for the disk, never for the network; events arrive on the core event thread.
 */
public interface FileTransfers {
    /** Default cap on the size of incoming files. */
    long DEFAULT_MAX_INCOMING_BYTES = 2L << 30;

    /**
     * Offers a file to an accepted contact: reads it once to hash it (blocks for as long as
     * that takes), stores the offer and delivers it like a message. The file is read again
     * from {@code file} while it is sent; if it changes meanwhile the transfer fails.
     *
     * @throws IllegalContactStateException the contact is not accepted
     * @throws MessengerException the file cannot be read or is too large for the protocol
     */
    FileTransfer offer(ContactId contact, Path file) throws MessengerException;

    /**
     * Accepts an incoming offer; data flows whenever the contact is online. With
     * {@code saveTo} (a directory), the file is exported there when complete.
     * Blocks on store I/O.
     *
     * @throws MessengerException not an incoming offer, too large, or not enough disk space
     */
    void accept(MessageId file, Path saveTo) throws MessengerException;

    /** Declines an incoming offer. Blocks on store I/O. */
    void decline(MessageId file) throws MessengerException;

    /** Holds an active transfer (either direction) until {@link #resume}. Blocks on store I/O. */
    void pause(MessageId file) throws MessengerException;

    void resume(MessageId file) throws MessengerException;

    /** Cancels a transfer in either direction and deletes its partial data. Blocks on store I/O. */
    void cancel(MessageId file) throws MessengerException;

    /** Every transfer, or those of one contact ({@code contact} non-null), oldest first. */
    List<FileTransfer> list(ContactId contact) throws MessengerException;

    Optional<FileTransfer> get(MessageId file) throws MessengerException;

    /**
     * Writes a complete incoming file to {@code target} atomically (temp file + rename). If
     * {@code target} is a directory, the file gets a safe form of its offered name there,
     * made unique with " (1)", " (2)", ...; otherwise {@code target} is the file to write
     * (replaced if it exists). Blocks on disk I/O.
     *
     * @return the file written
     */
    Path export(MessageId file, Path target) throws MessengerException;

    /** Cap on incoming file size in bytes ({@link #DEFAULT_MAX_INCOMING_BYTES} unless set). */
    long maxIncomingBytes() throws MessengerException;

    void setMaxIncomingBytes(long bytes) throws MessengerException;

    /** Offers from this contact up to this many bytes are accepted without asking (0: never). */
    long autoAcceptBytes(ContactId contact) throws MessengerException;

    void setAutoAcceptBytes(ContactId contact, long bytes) throws MessengerException;

    /** Registers a listener for file events from now on (same rules as {@link Messenger#subscribe}). */
    Subscription subscribe(Consumer<FileEvent> listener);
}
