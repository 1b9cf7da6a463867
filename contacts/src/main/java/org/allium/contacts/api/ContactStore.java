package org.allium.contacts.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.allium.protocol.OnionAddress;

/**
 * Contacts of one profile and their endpoint keys. Every method is one transaction;
 * events are published after commit. Thread-safe; blocks on disk I/O.
 */
public interface ContactStore {
    /**
     * Records that we asked {@code address} to become a contact (state OUTGOING_REQUEST),
     * with our half of the endpoint keys, and creates its conversation. The offered nickname
     * and text are kept so the engine can resend the request until it is delivered.
     *
     * @param nickname        the name we give them, or null
     * @param offeredNickname the name we offer them in the request, or null
     * @param requestText     the text of the request, or null
     * @throws ContactExistsException if the address is already a contact or blocked
     */
    Contact addOutgoingRequest(OnionAddress address, String nickname, String offeredNickname, String requestText,
            EndpointKeys ours) throws StoreException;

    /** Records that our outgoing request reached their identity onion. No-op unless OUTGOING_REQUEST. */
    Contact markRequestDelivered(ContactId id) throws StoreException;

    /**
     * Records a contact request from {@code from}. A blocked address is dropped without
     * storing anything. See {@link IncomingRequestOutcome.Kind} for the other cases.
     *
     * @param nickname    the name they offered (also becomes our name for them), or null
     * @param requestText the text of the request, or null
     * @param theirs      their half of the endpoint keys
     */
    IncomingRequestOutcome recordIncomingRequest(OnionAddress from, String nickname, String requestText,
            EndpointKeys theirs) throws StoreException;

    /**
     * Moves a request (either direction) to ACCEPTED, merging {@code keys} (non-null parts
     * replace stored ones): our half when we accept their request, their half when they
     * accepted ours.
     *
     * @throws ContactStateException if the contact is not OUTGOING_REQUEST or INCOMING_REQUEST
     */
    Contact accept(ContactId id, EndpointKeys keys) throws StoreException;

    /**
     * Blocks a contact: state BLOCKED, its endpoint keys and request text deleted, its
     * unsent messages FAILED, its address added to the blocklist. History is kept until
     * {@link #remove}.
     */
    Contact block(ContactId id) throws StoreException;

    /** Blocks a stranger's address without creating a contact: only a keyed hash of it is stored. */
    void blockAddress(OnionAddress address) throws StoreException;

    /** Unblocks an address; a BLOCKED contact with it is removed (forgotten). No-op if not blocked. */
    void unblock(OnionAddress address) throws StoreException;

    /** Whether the address is blocked. */
    boolean isBlocked(OnionAddress address) throws StoreException;

    /**
     * Removes a contact in any state with its conversation, history and keys (a declined
     * incoming request is removed this way). If it was blocked, its address stays blocked.
     */
    void remove(ContactId id) throws StoreException;

    /** Sets or (null) clears our name for them. */
    Contact setNickname(ContactId id, String nickname) throws StoreException;

    /** Records whether the user verified their safety fingerprint out of band. */
    Contact setVerified(ContactId id, boolean verified) throws StoreException;

    /** Records that they were connected at {@code when} (kept only if later than the stored time). */
    Contact markSeen(ContactId id, Instant when) throws StoreException;

    /** Replaces the non-null parts of the stored endpoint keys. */
    EndpointKeys updateEndpointKeys(ContactId id, EndpointKeys keys) throws StoreException;

    Optional<Contact> get(ContactId id) throws StoreException;

    Optional<Contact> find(OnionAddress address) throws StoreException;

    /** Every contact that is not removed, in id order. */
    List<Contact> list() throws StoreException;

    /** The stored endpoint keys ({@link EndpointKeys#NONE} if none). */
    EndpointKeys endpointKeys(ContactId id) throws StoreException;
}
