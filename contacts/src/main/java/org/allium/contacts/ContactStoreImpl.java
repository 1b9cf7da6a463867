package org.allium.contacts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactExistsException;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.ContactStore;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.IncomingRequestOutcome;
import org.allium.contacts.api.IncomingRequestOutcome.Kind;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;

/** {@link ContactStore} over the profile's {@link Database}. Thread-safe through it. */
final class ContactStoreImpl implements ContactStore {
    static final int MAX_NICKNAME_LENGTH = 256;
    static final int MAX_REQUEST_TEXT_LENGTH = 4096;

    private final Database db;
    private final Clock clock;
    private final SecretKeySpec addressHashKey;

    ContactStoreImpl(Database db, Clock clock, byte[] addressHashKey) {
        this.db = db;
        this.clock = clock;
        this.addressHashKey = new SecretKeySpec(addressHashKey, "HmacSHA256");
    }

    @Override
    public Contact addOutgoingRequest(OnionAddress address, String nickname, String offeredNickname,
            String requestText, EndpointKeys ours) throws StoreException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(ours, "ours");
        String nick = cleanNickname(nickname);
        String offered = cleanNickname(offeredNickname);
        checkRequestText(requestText);
        return db.transaction("adding a contact", tx -> {
            if (isBlocked(tx, address)) {
                throw new ContactExistsException("this address is blocked; unblock it first");
            }
            if (find(tx, address).isPresent()) {
                throw new ContactExistsException("this address is already a contact");
            }
            Contact c = insert(tx, address, nick, ContactState.OUTGOING_REQUEST, offered, requestText, false, ours);
            tx.attach(new StoreEvent.ContactAdded(c));
            return c;
        });
    }

    @Override
    public IncomingRequestOutcome recordIncomingRequest(OnionAddress from, String nickname, String requestText,
            EndpointKeys theirs) throws StoreException {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(theirs, "theirs");
        String nick = cleanNickname(nickname);
        checkRequestText(requestText);
        return db.transaction("recording a contact request", tx -> {
            if (isBlocked(tx, from)) {
                return new IncomingRequestOutcome(Kind.BLOCKED, null);
            }
            Optional<Contact> existing = find(tx, from);
            if (existing.isEmpty()) {
                Contact c = insert(tx, from, nick, ContactState.INCOMING_REQUEST, nick, requestText, true, theirs);
                tx.attach(new StoreEvent.ContactAdded(c));
                return new IncomingRequestOutcome(Kind.NEW, c);
            }
            Contact c = existing.get();
            switch (c.state()) {
                case INCOMING_REQUEST -> {
                    // Only fill what is missing: a replayed request must not replace keys we hold.
                    EndpointKeys stored = keys(tx, c.id());
                    writeKeys(tx, c.id(), theirs.merge(stored));
                    return new IncomingRequestOutcome(Kind.DUPLICATE, c);
                }
                case OUTGOING_REQUEST -> {
                    writeKeys(tx, c.id(), keys(tx, c.id()).merge(theirs));
                    long now = clock.millis();
                    MessageStoreImpl.storeRequestText(tx, c.id(), true, c.requestText(), c.firstSeen(), now);
                    MessageStoreImpl.storeRequestText(tx, c.id(), false, requestText, Instant.ofEpochMilli(now), now);
                    clearRequest(tx, c.id());
                    Contact accepted = setState(tx, c, ContactState.ACCEPTED);
                    return new IncomingRequestOutcome(Kind.MUTUAL, accepted);
                }
                case ACCEPTED -> {
                    return new IncomingRequestOutcome(Kind.ALREADY_ACCEPTED, c);
                }
                default -> {
                    return new IncomingRequestOutcome(Kind.BLOCKED, null);
                }
            }
        });
    }

    @Override
    public Contact accept(ContactId id, EndpointKeys keys) throws StoreException {
        Objects.requireNonNull(keys, "keys");
        return db.transaction("accepting a contact", tx -> {
            Contact c = Rows.requireContact(tx, id);
            if (c.state() != ContactState.INCOMING_REQUEST && c.state() != ContactState.OUTGOING_REQUEST) {
                throw new ContactStateException(c.state(), "accept");
            }
            writeKeys(tx, id, keys(tx, id).merge(keys));
            MessageStoreImpl.storeRequestText(tx, id, c.state() == ContactState.OUTGOING_REQUEST, c.requestText(),
                    c.firstSeen(), clock.millis());
            clearRequest(tx, id);
            return setState(tx, c, ContactState.ACCEPTED);
        });
    }

    @Override
    public Contact markRequestDelivered(ContactId id) throws StoreException {
        return db.transaction("marking a request delivered", tx -> {
            Contact c = Rows.requireContact(tx, id);
            if (c.state() != ContactState.OUTGOING_REQUEST || c.requestDelivered()) {
                return c;
            }
            PreparedStatement ps = tx.prepare("UPDATE contacts SET request_delivered = TRUE WHERE id = ?");
            ps.setLong(1, id.value());
            ps.executeUpdate();
            return changed(tx, c);
        });
    }

    @Override
    public Contact block(ContactId id) throws StoreException {
        return db.transaction("blocking a contact", tx -> block(tx, Rows.requireContact(tx, id)));
    }

    @Override
    public void blockAddress(OnionAddress address) throws StoreException {
        Objects.requireNonNull(address, "address");
        db.transaction("blocking an address", tx -> {
            Optional<Contact> c = find(tx, address);
            if (c.isPresent()) {
                block(tx, c.get());
            } else {
                addToBlocklist(tx, address);
            }
            return null;
        });
    }

    @Override
    public void unblock(OnionAddress address) throws StoreException {
        Objects.requireNonNull(address, "address");
        db.transaction("unblocking an address", tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM blocklist WHERE address_hash = ?");
            ps.setBytes(1, addressHash(address));
            ps.executeUpdate();
            Optional<Contact> c = find(tx, address);
            if (c.isPresent() && c.get().state() == ContactState.BLOCKED) {
                delete(tx, c.get().id());
            }
            return null;
        });
    }

    @Override
    public boolean isBlocked(OnionAddress address) throws StoreException {
        Objects.requireNonNull(address, "address");
        return db.transaction("checking the blocklist", tx -> isBlocked(tx, address));
    }

    @Override
    public void remove(ContactId id) throws StoreException {
        db.transaction("removing a contact", tx -> {
            Rows.requireContact(tx, id);
            delete(tx, id);
            return null;
        });
    }

    @Override
    public Contact setNickname(ContactId id, String nickname) throws StoreException {
        String nick = cleanNickname(nickname);
        return db.transaction("renaming a contact", tx -> {
            Contact c = Rows.requireContact(tx, id);
            PreparedStatement ps = tx.prepare("UPDATE contacts SET nickname = ? WHERE id = ?");
            ps.setString(1, nick);
            ps.setLong(2, id.value());
            ps.executeUpdate();
            return changed(tx, c);
        });
    }

    @Override
    public Contact setVerified(ContactId id, boolean verified) throws StoreException {
        return db.transaction("verifying a contact", tx -> {
            Contact c = Rows.requireContact(tx, id);
            PreparedStatement ps = tx.prepare("UPDATE contacts SET verified = ? WHERE id = ?");
            ps.setBoolean(1, verified);
            ps.setLong(2, id.value());
            ps.executeUpdate();
            return changed(tx, c);
        });
    }

    @Override
    public Contact markSeen(ContactId id, Instant when) throws StoreException {
        Objects.requireNonNull(when, "when");
        return db.transaction("marking a contact seen", tx -> {
            Contact c = Rows.requireContact(tx, id);
            if (c.lastSeen() != null && !when.isAfter(c.lastSeen())) {
                return c;
            }
            PreparedStatement ps = tx.prepare("UPDATE contacts SET last_seen = ? WHERE id = ?");
            ps.setLong(1, when.toEpochMilli());
            ps.setLong(2, id.value());
            ps.executeUpdate();
            return changed(tx, c);
        });
    }

    @Override
    public EndpointKeys updateEndpointKeys(ContactId id, EndpointKeys keys) throws StoreException {
        Objects.requireNonNull(keys, "keys");
        return db.transaction("updating endpoint keys", tx -> {
            Contact c = Rows.requireContact(tx, id);
            if (c.state() == ContactState.BLOCKED) {
                throw new ContactStateException(c.state(), "store keys of");
            }
            EndpointKeys merged = keys(tx, id).merge(keys);
            writeKeys(tx, id, merged);
            return merged;
        });
    }

    @Override
    public Optional<Contact> get(ContactId id) throws StoreException {
        Objects.requireNonNull(id, "id");
        return db.transaction("reading a contact", tx -> Rows.findContact(tx, id));
    }

    @Override
    public Optional<Contact> find(OnionAddress address) throws StoreException {
        Objects.requireNonNull(address, "address");
        return db.transaction("finding a contact", tx -> find(tx, address));
    }

    @Override
    public List<Contact> list() throws StoreException {
        return db.transaction("listing contacts", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + Rows.CONTACT_COLUMNS + " FROM contacts ORDER BY id");
            List<Contact> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.contact(rs));
                }
            }
            return out;
        });
    }

    @Override
    public EndpointKeys endpointKeys(ContactId id) throws StoreException {
        return db.transaction("reading endpoint keys", tx -> {
            Rows.requireContact(tx, id);
            return keys(tx, id);
        });
    }

    // --- in-transaction helpers -------------------------------------------------------

    private Contact insert(Database.Tx tx, OnionAddress address, String nickname, ContactState state,
            String requestNickname, String requestText, boolean delivered, EndpointKeys keys) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT id FROM FINAL TABLE (INSERT INTO contacts (address, nickname,"
                + " state, verified, first_seen, last_seen, request_nickname, request_text, request_delivered)"
                + " VALUES (?, ?, ?, FALSE, ?, NULL, ?, ?, ?))");
        ps.setString(1, address.serviceId());
        ps.setString(2, nickname);
        ps.setString(3, state.name());
        ps.setLong(4, clock.millis());
        ps.setString(5, requestNickname);
        ps.setString(6, requestText);
        ps.setBoolean(7, delivered);
        ContactId id;
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = new ContactId(rs.getLong(1));
        }
        writeKeys(tx, id, keys);
        MessageStoreImpl.createConversation(tx, id);
        return Rows.findContact(tx, id).orElseThrow();
    }

    private static Optional<Contact> find(Database.Tx tx, OnionAddress address) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT " + Rows.CONTACT_COLUMNS + " FROM contacts WHERE address = ?");
        ps.setString(1, address.serviceId());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.contact(rs)) : Optional.empty();
        }
    }

    private Contact block(Database.Tx tx, Contact c) throws SQLException, StoreException {
        if (c.state() == ContactState.BLOCKED) {
            return c;
        }
        if (!c.state().canBecome(ContactState.BLOCKED)) {
            throw new ContactStateException(c.state(), "block");
        }
        PreparedStatement keys = tx.prepare("DELETE FROM endpoint_keys WHERE contact_id = ?");
        keys.setLong(1, c.id().value());
        keys.executeUpdate();
        clearRequest(tx, c.id());
        List<MessageId> failed = MessageStoreImpl.failPending(tx, c.id());
        if (!failed.isEmpty()) {
            tx.attach(new StoreEvent.MessageStatusChanged(c.id(), failed, MessageStatus.FAILED));
        }
        addToBlocklist(tx, c.address());
        return setState(tx, c, ContactState.BLOCKED);
    }

    private static void clearRequest(Database.Tx tx, ContactId id) throws SQLException {
        PreparedStatement ps = tx.prepare(
                "UPDATE contacts SET request_nickname = NULL, request_text = NULL WHERE id = ?");
        ps.setLong(1, id.value());
        ps.executeUpdate();
    }

    private void addToBlocklist(Database.Tx tx, OnionAddress address) throws SQLException {
        PreparedStatement ps = tx.prepare("MERGE INTO blocklist (address_hash) KEY (address_hash) VALUES (?)");
        ps.setBytes(1, addressHash(address));
        ps.executeUpdate();
    }

    private boolean isBlocked(Database.Tx tx, OnionAddress address) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT 1 FROM blocklist WHERE address_hash = ?");
        ps.setBytes(1, addressHash(address));
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static void delete(Database.Tx tx, ContactId id) throws SQLException {
        // endpoint_keys, conversations and messages go with it (ON DELETE CASCADE).
        PreparedStatement ps = tx.prepare("DELETE FROM contacts WHERE id = ?");
        ps.setLong(1, id.value());
        ps.executeUpdate();
        tx.attach(new StoreEvent.ContactRemoved(id));
    }

    private static Contact setState(Database.Tx tx, Contact c, ContactState next) throws SQLException {
        PreparedStatement ps = tx.prepare("UPDATE contacts SET state = ? WHERE id = ?");
        ps.setString(1, next.name());
        ps.setLong(2, c.id().value());
        ps.executeUpdate();
        return changed(tx, c);
    }

    private static Contact changed(Database.Tx tx, Contact before) throws SQLException {
        Contact after = Rows.findContact(tx, before.id()).orElseThrow();
        if (!after.equals(before)) {
            tx.attach(new StoreEvent.ContactChanged(after, before.state()));
        }
        return after;
    }

    static EndpointKeys keys(Database.Tx tx, ContactId id) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT our_endpoint_seed, their_client_auth_public, their_endpoint,"
                + " our_client_auth_private FROM endpoint_keys WHERE contact_id = ?");
        ps.setLong(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return EndpointKeys.NONE;
            }
            byte[] seed = rs.getBytes(1);
            byte[] theirAuth = rs.getBytes(2);
            String theirEndpoint = rs.getString(3);
            byte[] ourAuth = rs.getBytes(4);
            try {
                return new EndpointKeys(
                        seed == null ? null : IdentityKeyPair.fromSeed(seed),
                        theirAuth == null ? null : ClientAuthKeyPair.encodePublicKeyBase32(theirAuth),
                        theirEndpoint == null ? null : new OnionAddress(theirEndpoint),
                        ourAuth == null ? null : ClientAuthKeyPair.fromPrivateKey(ourAuth));
            } finally {
                wipe(seed);
                wipe(ourAuth);
            }
        }
    }

    private static void writeKeys(Database.Tx tx, ContactId id, EndpointKeys keys) throws SQLException {
        PreparedStatement ps = tx.prepare("MERGE INTO endpoint_keys (contact_id, our_endpoint_seed,"
                + " their_client_auth_public, their_endpoint, our_client_auth_private) KEY (contact_id)"
                + " VALUES (?, ?, ?, ?, ?)");
        byte[] seed = keys.ourEndpoint() == null ? null : keys.ourEndpoint().seed();
        byte[] ourAuth = keys.ourClientAuth() == null ? null : keys.ourClientAuth().privateKey();
        try {
            ps.setLong(1, id.value());
            setBytes(ps, 2, seed);
            setBytes(ps, 3, keys.theirClientAuthPublicKey() == null ? null
                    : ClientAuthKeyPair.decodePublicKeyBase32(keys.theirClientAuthPublicKey()));
            if (keys.theirEndpoint() == null) {
                ps.setNull(4, Types.VARCHAR);
            } else {
                ps.setString(4, keys.theirEndpoint().serviceId());
            }
            setBytes(ps, 5, ourAuth);
            ps.executeUpdate();
        } finally {
            wipe(seed);
            wipe(ourAuth);
        }
    }

    private static void setBytes(PreparedStatement ps, int index, byte[] value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BINARY);
        } else {
            ps.setBytes(index, value);
        }
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            java.util.Arrays.fill(b, (byte) 0);
        }
    }

    private byte[] addressHash(OnionAddress address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(addressHashKey);
            return mac.doFinal(address.serviceId().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void checkRequestText(String text) {
        if (text != null && text.length() > MAX_REQUEST_TEXT_LENGTH) {
            throw new IllegalArgumentException("request text longer than " + MAX_REQUEST_TEXT_LENGTH + " characters");
        }
    }

    static String cleanNickname(String nickname) {
        if (nickname == null || nickname.isBlank()) {
            return null;
        }
        String n = nickname.strip();
        if (n.length() > MAX_NICKNAME_LENGTH) {
            throw new IllegalArgumentException("nickname longer than " + MAX_NICKNAME_LENGTH + " characters");
        }
        return n;
    }
}
