package org.allium.core;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.allium.contacts.api.StoreException;
import org.allium.core.dropline.DropChannel;
import org.allium.core.dropline.DropLineDesk;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.Envelope;

/**
 * Where the identity onion meets the drop line: which purposes it accepts now, and the
 * hand-over of an authenticated {@code DROP_SUBMISSION} session to the {@link DropLineDesk}.
 */
final class DropLineDoor {
    private final DropLineDesk desk;
    private final BooleanSupplier acceptingContacts;

    DropLineDoor(DropLineDesk desk, BooleanSupplier acceptingContacts) {
        this.desk = desk;
        this.acceptingContacts = acceptingContacts;
    }

    /** The purposes the identity onion takes now. */
    java.util.Set<Wire.Purpose> purposes() {
        java.util.Set<Wire.Purpose> p = java.util.EnumSet.noneOf(Wire.Purpose.class);
        if (acceptingContacts.getAsBoolean()) {
            p.add(Wire.Purpose.CONTACT_REQUEST);
        }
        if (desk.isOpen()) {
            p.add(Wire.Purpose.DROP_SUBMISSION);
        }
        if (p.isEmpty()) {
            p.add(Wire.Purpose.CONTACT_REQUEST); // the onion is being taken down; RequestDesk refuses as before
        }
        return p;
    }

    /** Whether the identity onion must be hosted. */
    boolean needsIdentityOnion() {
        return acceptingContacts.getAsBoolean() || desk.isOpen();
    }

    /** @param admitted called when the exchange becomes long-lived (an upload): it no longer waits to say what it wants */
    void serve(Session session, Runnable admitted) throws IOException, StoreException {
        desk.serve(new DropChannel() {
            @Override
            public OnionAddress source() {
                return session.peer();
            }

            @Override
            public Envelope receive() throws IOException {
                Frame f = session.receive();
                if (f instanceof Frame.Drop d) {
                    return d.envelope();
                }
                throw new IOException("not a drop-line frame");
            }

            @Override
            public void send(Envelope envelope) throws IOException {
                session.send(new Frame.Drop(envelope));
            }

            @Override
            public void setReadTimeout(Duration timeout) throws IOException {
                session.setReadTimeout(timeout);
            }

            @Override
            public boolean inputPending() throws IOException {
                return session.inputPending();
            }

            @Override
            public void longLived() {
                admitted.run();
            }
        });
    }
}
