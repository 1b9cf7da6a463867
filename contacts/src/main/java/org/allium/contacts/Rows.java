package org.allium.contacts;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.NoSuchContactException;
import org.allium.protocol.OnionAddress;

/** Row mapping shared by the stores. */
final class Rows {
    static final String CONTACT_COLUMNS =
            "id, address, nickname, state, verified, first_seen, last_seen, request_nickname, request_text,"
                    + " request_delivered";
    static final String MESSAGE_COLUMNS =
            "contact_id, pos, outgoing, msg_id, seq, composed_at, received_at, status, body";

    private Rows() {
    }

    static Contact contact(ResultSet rs) throws SQLException {
        long lastSeen = rs.getLong(7);
        Instant last = rs.wasNull() ? null : Instant.ofEpochMilli(lastSeen);
        return new Contact(new ContactId(rs.getLong(1)), new OnionAddress(rs.getString(2)), rs.getString(3),
                ContactState.valueOf(rs.getString(4)), rs.getBoolean(5), Instant.ofEpochMilli(rs.getLong(6)),
                last, rs.getString(8), rs.getString(9), rs.getBoolean(10));
    }

    /** A message row; incoming ones at or below {@code readUpTo} count as read. */
    static Message message(ResultSet rs, long readUpTo) throws SQLException {
        long received = rs.getLong(7);
        Instant rec = rs.wasNull() ? null : Instant.ofEpochMilli(received);
        return new Message(new ContactId(rs.getLong(1)), rs.getLong(2),
                rs.getBoolean(3) ? Direction.OUTGOING : Direction.INCOMING, MessageId.fromBytes(rs.getBytes(4)),
                rs.getLong(5), Instant.ofEpochMilli(rs.getLong(6)), rec, MessageStatus.valueOf(rs.getString(8)),
                rs.getString(9), rs.getBoolean(3) || rs.getLong(2) <= readUpTo);
    }

    static Optional<Contact> findContact(Database.Tx tx, ContactId id) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT " + CONTACT_COLUMNS + " FROM contacts WHERE id = ?");
        ps.setLong(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(contact(rs)) : Optional.empty();
        }
    }

    static Contact requireContact(Database.Tx tx, ContactId id) throws SQLException, NoSuchContactException {
        return findContact(tx, id).orElseThrow(() -> new NoSuchContactException(id));
    }

    static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
