package org.allium.core.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * The messenger engine of one open {@link Profile}: the only API front ends use.
 *
 * <p><b>Threading.</b> Every method is thread-safe. Methods marked "blocks on store I/O"
 * wait for the encrypted store (milliseconds, longer on a slow disk) but never for the
 * network or tor; call them off a UI event thread. Network work happens on core's own
 * threads and its results arrive as {@link MessengerEvent}s, delivered in order on one
 * core event thread.
 *
 * <p><b>Lifecycle.</b> NEW → {@link #start()} → RUNNING (after {@link MessengerEvent.Ready})
 * → {@link #stop()} → STOPPED. Queries and queued operations ({@link #sendMessage},
 * {@link #sendContactRequest}, {@link #accept}) work in every state except STOPPED: what needs
 * the network is stored and happens once connected.
 *
 * <p><b>Privacy.</b> Nothing this class logs contains an address, nickname or message text.
 */
public interface Messenger {

    /** Longest message text, in UTF-16 chars. */
    int MAX_MESSAGE_LENGTH = 4000;
    /** Longest text attached to a contact request, in UTF-16 chars. */
    int MAX_REQUEST_MESSAGE_LENGTH = 500;
    /** Longest nickname, in UTF-16 chars. */
    int MAX_NICKNAME_LENGTH = 64;
    /**
     * The nickname to offer in {@link #sendContactRequest} for "no name at all": the other side
     * receives none. ({@code null} there means "the profile's nickname".)
     */
    String NO_NICKNAME = "";

    /**
     * Starts tor (or connects to the external one), publishes our onion services and dials
     * every contact. Non-blocking: progress and problems arrive as events; tor failures are
     * retried, not thrown.
     *
     * @throws IllegalStateException if already started or stopped
     */
    void start();

    /**
     * Closes every connection, removes our onion services and stops our own tor. Blocks until
     * done (a few seconds at most); idempotent. Emits {@link MessengerEvent.Stopped} last.
     * Does not close the {@link Profile}.
     */
    void stop();

    /** Current lifecycle state. Non-blocking. */
    MessengerState state();

    /** Our identity. Non-blocking. */
    Identity myIdentity();

    /**
     * Checks and normalises an address typed or pasted by the user: accepts
     * {@code allium:<id>}, {@code <id>.onion} or {@code <id>}, any case, surrounding blanks.
     * Pure and non-blocking (usable while typing).
     *
     * @return the 56-character lower-case service id
     */
    String normalizeAddress(String addressOrLink) throws InvalidAddressException;

    /**
     * Stores an outgoing contact request and delivers it to the other side's identity onion
     * as soon as possible (now if running, else after start; retried with backoff).
     * Creates the private endpoint for that contact first, so their acceptance reaches us
     * even if we are offline when they accept. Blocks on store I/O.
     *
     * @param myNickname nickname offered to them exactly as given; {@link #NO_NICKNAME} (empty)
     *        offers none; {@code null} offers the profile's nickname (none if it has none)
     * @param message text for them, may be empty
     * @throws InvalidAddressException bad address, our own, or already a contact/request
     * @throws TextTooLongException nickname or message above the limits
     */
    ContactId sendContactRequest(String addressOrLink, String myNickname, String message)
            throws MessengerException;

    /**
     * Accepts an incoming request: the contact becomes {@link ContactState#ACCEPTED} at once
     * and the acceptance is delivered to their private endpoint whenever they are reachable.
     * The request's message (if any) becomes the first, read, incoming message of the
     * conversation; on the requester's side its own request text becomes the first, delivered,
     * outgoing message when the acceptance arrives.
     * Blocks on store I/O.
     *
     * @throws UnknownContactException no such request
     * @throws IllegalContactStateException it is not an incoming request
     */
    void accept(ContactId request) throws MessengerException;

    /** Rejects an incoming request silently (the requester is not told) and forgets it. Blocks on store I/O. */
    void reject(ContactId request) throws MessengerException;

    /**
     * Blocks a contact or requester: its connections and requests are dropped from now on,
     * pending outgoing messages to it fail, and its endpoint service is removed.
     * Blocks on store I/O.
     */
    void block(ContactId contact) throws MessengerException;

    /**
     * Unblocks a blocked contact or requester: its address may send us requests again, and the
     * blocked contact is forgotten with its history (its keys went when it was blocked; to talk
     * again, one side sends a new request). Blocks on store I/O.
     *
     * @throws UnknownContactException no such contact
     * @throws IllegalContactStateException it is not blocked
     */
    default void unblock(ContactId contact) throws MessengerException {
        throw new UnsupportedOperationException("unblocking is not available here");
    }

    /**
     * Deletes one message of a conversation from this profile only ("delete for me"; the other
     * side keeps its copy): its text is removed from the store at once (an incoming message
     * leaves a content-free trace of its id, so a resend is not shown again). Blocks on store I/O.
     *
     * @throws UnknownContactException no such contact, or no such message in its conversation
     * @throws IllegalContactStateException an outgoing message still being sent (queued or
     *         sent, not yet delivered or failed), or a file offer
     */
    default void deleteMessage(ContactId contact, MessageId message) throws MessengerException {
        throw new UnsupportedOperationException("deleting messages is not available here");
    }

    /** Removes a contact or request and its conversation; revokes its endpoint. Blocks on store I/O. */
    void remove(ContactId contact) throws MessengerException;

    /** Marks the contact's safety fingerprint as checked out of band. Blocks on store I/O. */
    void markVerified(ContactId contact) throws MessengerException;

    /** Undoes {@link #markVerified} (e.g. after confirming by mistake). Blocks on store I/O. */
    void markUnverified(ContactId contact) throws MessengerException;

    /**
     * Gives a contact or request our own name for them: shown only to us, never sent.
     * {@code null} or blank removes it (the contact then has no name; front ends show a
     * placeholder). Blocks on store I/O.
     *
     * @throws TextTooLongException above {@link #MAX_NICKNAME_LENGTH}
     * @throws UnknownContactException no such contact or request
     */
    void rename(ContactId contact, String nameOrNull) throws MessengerException;

    /**
     * Stores a message to an accepted contact and sends it when connected; its status
     * follows as {@link MessengerEvent.MessageStatusChanged}. Blocks on store I/O.
     *
     * @throws TextTooLongException above {@link #MAX_MESSAGE_LENGTH}
     * @throws IllegalContactStateException the contact is not accepted
     */
    MessageId sendMessage(ContactId contact, String text) throws MessengerException;

    /**
     * As {@link #sendMessage(ContactId, String)}, idempotent by {@code clientId} (the caller's
     * name for this message: 1–64 characters {@code A-Z a-z 0-9 . _ : -}; null for none): a
     * retry with the same client id within 7 days — after a lost reply, a crash, a restart —
     * returns the same message id and sends nothing again. Blocks on store I/O.
     *
     * @throws IllegalArgumentException a malformed client id, or one used for another text
     */
    default MessageId sendMessage(ContactId contact, String text, String clientId) throws MessengerException {
        if (clientId == null) {
            return sendMessage(contact, text);
        }
        throw new UnsupportedOperationException("client ids are not supported here");
    }

    /** Re-queues a {@link MessageStatus#FAILED} outgoing message. Blocks on store I/O. */
    void retry(MessageId message) throws MessengerException;

    /** Accepted and blocked contacts, with current presence. Blocks on store I/O. */
    List<Contact> contacts() throws MessengerException;

    /** One contact. Blocks on store I/O. */
    Contact contact(ContactId contact) throws MessengerException;

    /** Pending incoming and outgoing requests, oldest first. Blocks on store I/O. */
    List<ContactRequest> requests() throws MessengerException;

    /**
     * A page of a conversation, oldest first: the {@code limit} (at least 1; the store is read
     * 1000 at a time) messages just before {@code beforeOrNull} (or the newest ones). Blocks on
     * store I/O.
     */
    List<Message> conversation(ContactId contact, int limit, MessageId beforeOrNull)
            throws MessengerException;

    /** Marks every incoming message of the conversation as read. Blocks on store I/O. */
    void markRead(ContactId contact) throws MessengerException;

    /**
     * Publishes (true) or removes (false) our public identity onion, i.e. whether strangers
     * can send us contact requests. Persisted. Existing contacts are unaffected.
     * Blocks on store I/O; the tor side follows asynchronously.
     */
    void setAcceptingContacts(boolean accepting) throws MessengerException;

    /** Whether we accept contact requests. Non-blocking. */
    boolean isAcceptingContacts();

    /** Current history policy. Blocks on store I/O. */
    HistoryPolicy historyPolicy() throws MessengerException;

    /** Changes the history policy. Persisted. Blocks on store I/O. */
    void setHistoryPolicy(HistoryPolicy policy) throws MessengerException;

    /**
     * File transfers with contacts. Non-blocking.
     *
     * @throws UnsupportedOperationException in implementations without file transfer
     */
    default FileTransfers files() {
        throw new UnsupportedOperationException("file transfer is not available here");
    }

    /**
     * Registers a listener for every event from now on. Events arrive in order on one core
     * thread; the listener must not block and should not throw (a throwing listener is
     * logged and kept). Non-blocking.
     */
    Subscription subscribe(Consumer<MessengerEvent> listener);

    /**
     * How many more bytes must be free on the profile's disk before it can be written again;
     * 0 when writes work. While above 0 every change is refused with {@link DiskFullException}
     * and reading still works; it drops back to 0 by itself once there is room
     * ({@link MessengerEvent.DiskFull}, {@link MessengerEvent.DiskSpaceRestored}). Non-blocking.
     */
    default long diskSpaceNeeded() {
        return 0;
    }

    /**
     * The drop line of this profile (PROTOCOL.md §13): its own cases when switched on, and on an
     * operator the copies of the cases of the drop lines it operates for. Non-blocking.
     *
     * @throws UnsupportedOperationException in implementations without a drop line
     */
    default DropLine dropLine() {
        throw new UnsupportedOperationException("the drop line is not available in this messenger");
    }

    /** Private groups (PROTOCOL.md §12). */
    default org.allium.core.groups.Groups groups() {
        throw new UnsupportedOperationException("groups are not available in this messenger");
    }
}
