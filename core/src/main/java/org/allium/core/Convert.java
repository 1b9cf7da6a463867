package org.allium.core;

import java.util.HexFormat;
import org.allium.contacts.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;

/** Maps contacts-layer types to the public core API types, so front ends never see the former. */
final class Convert {
    private Convert() {
    }

    static ContactId id(org.allium.contacts.api.ContactId id) {
        return new ContactId(id.value());
    }

    static org.allium.contacts.api.ContactId id(ContactId id) {
        return new org.allium.contacts.api.ContactId(id.value());
    }

    static MessageId messageId(org.allium.contacts.api.MessageId id) {
        return new MessageId(id.toHex());
    }

    static org.allium.contacts.api.MessageId messageId(MessageId id) {
        return org.allium.contacts.api.MessageId.fromBytes(HexFormat.of().parseHex(id.hex()));
    }

    static ContactState state(org.allium.contacts.api.ContactState s) {
        return switch (s) {
            case OUTGOING_REQUEST -> ContactState.OUTGOING_REQUEST;
            case INCOMING_REQUEST -> ContactState.INCOMING_REQUEST;
            case ACCEPTED -> ContactState.ACCEPTED;
            case BLOCKED, REMOVED -> ContactState.BLOCKED;
        };
    }

    static MessageStatus status(org.allium.contacts.api.MessageStatus s) {
        return switch (s) {
            case QUEUED -> MessageStatus.QUEUED;
            case SENT -> MessageStatus.SENT;
            case DELIVERED -> MessageStatus.DELIVERED;
            case FAILED -> MessageStatus.FAILED;
        };
    }

    static Direction direction(org.allium.contacts.api.Direction d) {
        return d == org.allium.contacts.api.Direction.INCOMING ? Direction.INCOMING : Direction.OUTGOING;
    }

    /**
     * The name we know them by, or "" when they gave none and we gave none: front ends show a
     * placeholder then — never a piece of the address, which reads like a name and is not one.
     */
    static String displayName(Contact c) {
        return nz(c.nickname());
    }

    static org.allium.core.api.Contact contact(Contact c, boolean online, int unread) {
        return new org.allium.core.api.Contact(id(c.id()), c.address().serviceId(), displayName(c), state(c.state()),
                online, unread, c.verified(), c.address().fingerprint().text());
    }

    static ContactRequest incomingRequest(Contact c) {
        return new ContactRequest(id(c.id()), Direction.INCOMING, c.address().serviceId(), displayName(c),
                nz(c.requestText()), c.firstSeen(), true);
    }

    static ContactRequest outgoingRequest(Contact c) {
        return new ContactRequest(id(c.id()), Direction.OUTGOING, c.address().serviceId(),
                nz(c.requestNickname()), nz(c.requestText()), c.firstSeen(), c.requestDelivered(), c.nickname());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static Message message(org.allium.contacts.api.Message m, boolean read) {
        return new Message(messageId(m.id()), id(m.contact()), direction(m.direction()), m.body(), m.composed(),
                m.received(), status(m.status()),
                read || m.direction() == org.allium.contacts.api.Direction.OUTGOING);
    }
}
