package org.allium.core.groups;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.StoreException;
import org.allium.contacts.api.Profile;
import org.allium.core.api.MessengerException;
import org.allium.protocol.InvalidAddressException;
import org.allium.protocol.OnionAddress;

/**
 * "Connect me with the members I don't know" (PROTOCOL.md §12.5). A member writes an
 * INTRODUCE into the group and sends a contact request to every member it does not know; a
 * member who learns of an INTRODUCE and allows introductions sends a request back, so the two
 * requests cross and become one contact, and accepts a pending request of the introduced
 * member. A request is vouched for by the group when its sender is a current, joined member of
 * a group we are in and either side wrote an INTRODUCE there. Work runs on one thread of its
 * own ({@code allium-groups-introductions}): callers never block on it.
 */
final class Introductions {
    private static final Logger LOG = Logger.getLogger(Introductions.class.getName());
    /** Profile setting: "false" turns automatic acceptance of introductions off. */
    static final String SETTING = "groups.accept-introductions";

    private final Profile profile;
    private final ByteString myKey;
    private final ContactDesk desk;
    private final Supplier<Collection<GroupState>> groups;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "allium-groups-introductions");
        t.setDaemon(true);
        return t;
    });
    private volatile Boolean accepting;

    Introductions(Profile profile, ByteString myKey, ContactDesk desk, Supplier<Collection<GroupState>> groups) {
        this.profile = profile;
        this.myKey = myKey;
        this.desk = desk;
        this.groups = groups;
    }

    boolean accepting() {
        Boolean a = accepting;
        if (a == null) {
            try {
                a = !"false".equals(profile.settings().get(SETTING).orElse("true"));
            } catch (StoreException e) {
                LOG.warning("reading the introductions setting failed: " + e.getMessage());
                return false; // unknown: ask the user rather than accept
            }
            accepting = a;
        }
        return a;
    }

    void setAccepting(boolean on) throws StoreException {
        profile.settings().put(SETTING, Boolean.toString(on));
        accepting = on;
    }

    /**
     * Our own INTRODUCE is stored: asks every current member of {@code s} that is no contact yet
     * and accepts the pending requests of members. Blocks on the store and the request desk.
     *
     * @return how many members were asked or accepted
     */
    int introduceMe(GroupState s) throws MessengerException, StoreException {
        java.util.List<ByteString> others = new java.util.ArrayList<>();
        synchronized (s) {
            for (GroupState.Member m : s.members.values()) {
                if (!m.key.equals(myKey) && m.current() && (m.joined || m.key.equals(s.creator))) {
                    others.add(m.key);
                }
            }
        }
        int asked = 0;
        for (ByteString k : others) {
            if (connect(k, true)) {
                asked++;
            }
        }
        return asked;
    }

    /** Another member's INTRODUCE was stored. Never blocks. */
    void introduced(ByteString author) {
        run(() -> {
            if (accepting() && vouched(author)) {
                connect(author, true);
            }
        });
    }

    /** A contact request arrived from {@code serviceId}. Never blocks. */
    void requestReceived(String serviceId) {
        run(() -> {
            ByteString key;
            try {
                key = ByteString.copyFrom(OnionAddress.parse(serviceId).publicKey());
            } catch (InvalidAddressException e) {
                return;
            }
            if (accepting() && vouched(key)) {
                connect(key, false);
            }
        });
    }

    void stop() {
        worker.shutdownNow();
    }

    private interface Work {
        void run() throws Exception;
    }

    private void run(Work w) {
        try {
            worker.execute(() -> {
                try {
                    w.run();
                } catch (Exception e) {
                    LOG.log(Level.FINE, "introduction step failed: {0}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.finest("introduction after stop");
        }
    }

    /** Whether {@code key} is a joined member of a group we are in where it or we wrote an INTRODUCE. */
    boolean vouched(ByteString key) {
        for (GroupState s : groups.get()) {
            synchronized (s) {
                if (s.status != org.allium.contacts.api.GroupStore.GroupState.JOINED || !s.isCurrent(myKey)
                        || !s.isCurrent(key)) {
                    continue;
                }
                GroupState.Member them = s.members.get(key);
                GroupState.Member us = s.members.get(myKey);
                boolean joined = them.joined || key.equals(s.creator);
                if (joined && (them.introduced || (us != null && us.introduced))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Becomes contacts with {@code key}: accepts its pending request, or (if {@code ask}) sends
     * one when there is none. A contact, a request of ours or a blocked one is left alone.
     */
    private boolean connect(ByteString key, boolean ask) throws StoreException, MessengerException {
        OnionAddress address = OnionAddress.fromPublicKey(key.toByteArray());
        for (Contact c : profile.contacts().list()) {
            if (c.address().equals(address)) {
                if (c.state() == ContactState.INCOMING_REQUEST) {
                    desk.accept(c.id());
                    return true;
                }
                return false;
            }
        }
        if (!ask) {
            return false;
        }
        desk.request(address);
        return true;
    }
}
