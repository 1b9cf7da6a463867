package org.allium.desktop.groups;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Subscription;
import org.allium.core.api.TextTooLongException;
import org.allium.core.api.UnknownContactException;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupException;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.core.groups.Groups;

/**
 * An in-memory fake of core's {@link Groups} (not of the sync) for UI tests: groups with
 * members, posts and the rules the UI relies on (admins invite, remove and rename, the
 * creator appoints and cannot leave), names as core gives them (the contact's name, else the
 * adder's suggestion, else empty), and hooks that play the other members: an invitation
 * arrives, a member writes, receipts come in, the user is removed. Events are delivered in
 * order on one thread, as core does. Thread-safe.
 */
public final class FakeGroups implements Groups {
    private final Clock clock;
    private final Supplier<String> me;
    private final Supplier<List<Contact>> contacts;
    private final SecureRandom random = new SecureRandom();
    private final Map<GroupId, G> groups = new LinkedHashMap<>();
    private final List<Consumer<GroupEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-groups-events");
        t.setDaemon(true);
        return t;
    });
    /** How many introductions the user asked for. */
    public volatile int introductions;
    private boolean acceptIntroductions = true;

    private static final class M {
        final String address;
        final String suggested;
        boolean admin;
        final boolean creator;
        boolean joined;
        boolean current = true;

        M(String address, String suggested, boolean creator, boolean joined) {
            this.address = address;
            this.suggested = suggested;
            this.creator = creator;
            this.admin = creator;
            this.joined = joined;
        }
    }

    private static final class P {
        final String id;
        final GroupPost.Kind kind;
        final String author;
        final long seq;
        final java.time.Instant at;
        final String text;
        final String subject;
        final java.util.Set<String> holders = new java.util.HashSet<>();

        P(String id, GroupPost.Kind kind, String author, long seq, java.time.Instant at, String text, String subject) {
            this.id = id;
            this.kind = kind;
            this.author = author;
            this.seq = seq;
            this.at = at;
            this.text = text;
            this.subject = subject;
        }
    }

    private static final class G {
        final GroupId id;
        String name;
        Group.Status status;
        String inviter;
        final Map<String, M> members = new LinkedHashMap<>();
        final List<P> posts = new ArrayList<>();
        int readUpTo;

        G(GroupId id, String name, Group.Status status) {
            this.id = id;
            this.name = name;
            this.status = status;
        }
    }

    /**
     * @param me       the user's service id
     * @param contacts the user's contacts (names, invitations)
     */
    public FakeGroups(Clock clock, Supplier<String> me, Supplier<List<Contact>> contacts) {
        this.clock = clock;
        this.me = me;
        this.contacts = contacts;
    }

    // ---- hooks playing the other members ----

    /** A contact invites the user into a group with these other members (address → suggested name). */
    public GroupId invitation(String inviter, String groupName, Map<String, String> others) {
        GroupId id = newId();
        Group view;
        synchronized (this) {
            G g = new G(id, groupName, Group.Status.INVITED);
            g.inviter = inviter;
            g.members.put(inviter, new M(inviter, "", true, true));
            g.posts.add(new P(randomHex(), GroupPost.Kind.CREATED, inviter, 1, clock.instant(), groupName, null));
            for (Map.Entry<String, String> e : others.entrySet()) {
                g.members.put(e.getKey(), new M(e.getKey(), e.getValue(), false, true));
                g.posts.add(new P(randomHex(), GroupPost.Kind.ADDED, inviter, g.posts.size() + 1, clock.instant(), "",
                        e.getKey()));
            }
            g.members.put(me.get(), new M(me.get(), "", false, false));
            g.posts.add(new P(randomHex(), GroupPost.Kind.ADDED, inviter, g.posts.size() + 1, clock.instant(), "",
                    me.get()));
            g.readUpTo = g.posts.size();
            groups.put(id, g);
            view = view(g);
        }
        emit(new GroupEvent.Invited(view));
        return id;
    }

    /** A member writes into a group. */
    public GroupPost post(GroupId id, String author, String text) {
        GroupPost p;
        synchronized (this) {
            G g = groups.get(id);
            P raw = new P(randomHex(), GroupPost.Kind.POST, author, g.posts.size() + 1, clock.instant(), text, null);
            g.posts.add(raw);
            p = post(g, raw);
        }
        emit(new GroupEvent.Posted(p));
        return p;
    }

    /** A member accepts the invitation. */
    public void joins(GroupId id, String address) {
        membership(id, address, GroupPost.Kind.JOINED, null, g -> g.members.get(address).joined = true);
    }

    /** An admin ({@code by}) removes the user. */
    public void removesMe(GroupId id, String by) {
        membership(id, by, GroupPost.Kind.REMOVED, me.get(), g -> {
            g.members.get(me.get()).current = false;
            g.status = Group.Status.REMOVED;
        });
        Group view;
        synchronized (this) {
            view = view(groups.get(id));
        }
        emit(new GroupEvent.Removed(view));
    }

    /** An admin renames the group. */
    public void renamedBy(GroupId id, String by, String name) {
        membership(id, by, GroupPost.Kind.RENAMED, null, g -> g.name = name);
    }

    /** {@code n} more members' receipts for the user's post {@code postId}. */
    public void delivered(GroupId id, String postId, int n) {
        synchronized (this) {
            G g = groups.get(id);
            for (P p : g.posts) {
                if (p.id.equals(postId)) {
                    for (M m : g.members.values()) {
                        if (n > 0 && m.current && !m.address.equals(me.get()) && p.holders.add(m.address)) {
                            n--;
                        }
                    }
                }
            }
        }
        emit(new GroupEvent.Delivery(id));
    }

    private void membership(GroupId id, String author, GroupPost.Kind kind, String subject, Consumer<G> change) {
        GroupPost p;
        Group view;
        synchronized (this) {
            G g = groups.get(id);
            change.accept(g);
            P raw = new P(randomHex(), kind, author, g.posts.size() + 1, clock.instant(),
                    kind == GroupPost.Kind.RENAMED ? g.name : "", subject);
            g.posts.add(raw);
            p = post(g, raw);
            view = view(g);
        }
        emit(new GroupEvent.Posted(p));
        emit(new GroupEvent.Changed(view));
    }

    /** Waits until every event emitted so far was delivered. */
    public void drain() {
        try {
            events.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized String name(GroupId id) {
        return groups.get(id).name;
    }

    public synchronized List<GroupPost> all(GroupId id) {
        G g = groups.get(id);
        List<GroupPost> out = new ArrayList<>();
        for (P p : g.posts) {
            out.add(post(g, p));
        }
        return out;
    }

    // ---- Groups ----

    @Override
    public GroupId create(String name) throws MessengerException {
        checkName(name);
        GroupId id = newId();
        synchronized (this) {
            G g = new G(id, name, Group.Status.JOINED);
            g.members.put(me.get(), new M(me.get(), "", true, true));
            g.posts.add(new P(randomHex(), GroupPost.Kind.CREATED, me.get(), 1, clock.instant(), name, null));
            g.readUpTo = 1;
            groups.put(id, g);
        }
        return id;
    }

    @Override
    public void invite(GroupId group, ContactId contact) throws MessengerException {
        Contact c = null;
        for (Contact x : contacts.get()) {
            if (x.id().equals(contact)) {
                c = x;
            }
        }
        if (c == null) {
            throw new UnknownContactException("no such contact");
        }
        String address = c.serviceId();
        String nick = c.nickname();
        membershipChecked(group, GroupPost.Kind.ADDED, address, g -> {
            if (!g.members.get(me.get()).admin) {
                throw new GroupException("only an admin can invite");
            }
            if (g.members.containsKey(address)) {
                throw new GroupException("already a member");
            }
            g.members.put(address, new M(address, nick, false, false));
        });
    }

    @Override
    public void accept(GroupId group) throws MessengerException {
        answer(group, true);
    }

    @Override
    public void decline(GroupId group) throws MessengerException {
        answer(group, false);
    }

    private void answer(GroupId group, boolean join) throws MessengerException {
        membershipChecked(group, join ? GroupPost.Kind.JOINED : GroupPost.Kind.LEFT, null, g -> {
            if (g.status != Group.Status.INVITED) {
                throw new GroupException("there is no open invitation to this group");
            }
            g.status = join ? Group.Status.JOINED : Group.Status.LEFT;
            g.members.get(me.get()).joined = join;
            g.members.get(me.get()).current = join;
        });
    }

    @Override
    public GroupPost send(GroupId group, String text) throws MessengerException {
        if (text == null || text.isBlank()) {
            throw new GroupException("a post needs text");
        }
        if (text.length() > MAX_POST_LENGTH) {
            throw new TextTooLongException("a post", MAX_POST_LENGTH);
        }
        GroupPost p;
        synchronized (this) {
            G g = joined(group);
            P raw = new P(randomHex(), GroupPost.Kind.POST, me.get(), g.posts.size() + 1, clock.instant(), text, null);
            g.posts.add(raw);
            g.readUpTo = g.posts.size();
            p = post(g, raw);
        }
        emit(new GroupEvent.Posted(p));
        return p;
    }

    @Override
    public synchronized List<GroupPost> history(GroupId group, int limit) throws MessengerException {
        G g = get(group.hex());
        List<GroupPost> out = new ArrayList<>();
        for (P p : g.posts.subList(Math.max(0, g.posts.size() - limit), g.posts.size())) {
            out.add(post(g, p));
        }
        return out;
    }

    @Override
    public synchronized List<GroupMember> members(GroupId group) throws MessengerException {
        G g = get(group.hex());
        List<GroupMember> out = new ArrayList<>();
        for (M m : g.members.values()) {
            if (m.current) {
                out.add(new GroupMember(m.address, coreName(m.address, m.suggested), contactId(m.address),
                        m.address.equals(me.get()), m.admin, m.creator, m.joined));
            }
        }
        return out;
    }

    @Override
    public synchronized List<Group> list() {
        List<Group> out = new ArrayList<>();
        for (G g : groups.values()) {
            out.add(view(g));
        }
        return out;
    }

    @Override
    public synchronized Group get(GroupId group) throws MessengerException {
        return view(get(group.hex()));
    }

    @Override
    public void leave(GroupId group) throws MessengerException {
        membershipChecked(group, GroupPost.Kind.LEFT, null, g -> {
            if (g.members.get(me.get()).creator) {
                throw new GroupException("the creator cannot leave");
            }
            g.status = Group.Status.LEFT;
            g.members.get(me.get()).current = false;
        });
    }

    @Override
    public void remove(GroupId group, String memberAddress) throws MessengerException {
        membershipChecked(group, GroupPost.Kind.REMOVED, memberAddress, g -> {
            M mine = g.members.get(me.get());
            M m = g.members.get(memberAddress);
            if (m == null || !m.current) {
                throw new GroupException("not a member");
            }
            if (!mine.admin || m.creator || (m.admin && !mine.creator)) {
                throw new GroupException("not allowed");
            }
            m.current = false;
        });
    }

    @Override
    public void rename(GroupId group, String name) throws MessengerException {
        checkName(name);
        membershipChecked(group, GroupPost.Kind.RENAMED, null, g -> {
            if (!g.members.get(me.get()).admin) {
                throw new GroupException("only an admin can rename the group");
            }
            g.name = name;
        });
    }

    @Override
    public void appoint(GroupId group, String memberAddress) throws MessengerException {
        membershipChecked(group, GroupPost.Kind.APPOINTED, memberAddress, g -> {
            if (!g.members.get(me.get()).creator) {
                throw new GroupException("only the creator appoints admins");
            }
            g.members.get(memberAddress).admin = true;
        });
    }

    @Override
    public void markRead(GroupId group) throws MessengerException {
        Group view;
        synchronized (this) {
            G g = get(group.hex());
            g.readUpTo = g.posts.size();
            view = view(g);
        }
        emit(new GroupEvent.Changed(view));
    }

    @Override
    public int introduce(GroupId group) throws MessengerException {
        int n = 0;
        synchronized (this) {
            G g = joined(group);
            for (M m : g.members.values()) {
                if (m.current && !m.address.equals(me.get()) && contactId(m.address) == null) {
                    n++;
                }
            }
        }
        membershipChecked(group, GroupPost.Kind.INTRODUCED, null, g -> { });
        introductions++;
        return n;
    }

    @Override
    public synchronized boolean acceptsIntroductions() {
        return acceptIntroductions;
    }

    @Override
    public synchronized void setAcceptIntroductions(boolean accept) {
        acceptIntroductions = accept;
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public Subscription subscribe(Consumer<GroupEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ---- inside ----

    private interface Change {
        void apply(G g) throws MessengerException;
    }

    /** Checks and applies a change of the user's, records it as the user's entry, tells the listeners. */
    private void membershipChecked(GroupId id, GroupPost.Kind kind, String subject, Change change)
            throws MessengerException {
        GroupPost p;
        Group view;
        synchronized (this) {
            G g = get(id.hex());
            if (kind != GroupPost.Kind.JOINED && kind != GroupPost.Kind.LEFT || g.status != Group.Status.INVITED) {
                if (g.status != Group.Status.JOINED) {
                    throw new GroupException("not a member of this group");
                }
            }
            change.apply(g);
            P raw = new P(randomHex(), kind, me.get(), g.posts.size() + 1, clock.instant(),
                    kind == GroupPost.Kind.RENAMED ? g.name : "", subject);
            g.posts.add(raw);
            g.readUpTo = g.posts.size();
            p = post(g, raw);
            view = view(g);
        }
        emit(new GroupEvent.Posted(p));
        emit(new GroupEvent.Changed(view));
    }

    private G joined(GroupId id) throws GroupException {
        G g = get(id.hex());
        if (g.status != Group.Status.JOINED) {
            throw new GroupException("not a member of this group");
        }
        return g;
    }

    private G get(String hex) throws GroupException {
        G g = groups.get(new GroupId(hex));
        if (g == null) {
            throw new GroupException("no such group");
        }
        return g;
    }

    private static void checkName(String name) throws GroupException {
        if (name == null || name.isBlank() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new GroupException("a group name is 1 to " + MAX_NAME_BYTES + " bytes");
        }
    }

    private Group view(G g) {
        int unread = 0;
        for (int i = g.readUpTo; i < g.posts.size(); i++) {
            if (!g.posts.get(i).author.equals(me.get())) {
                unread++;
            }
        }
        int current = 0;
        for (M m : g.members.values()) {
            if (m.current) {
                current++;
            }
        }
        M mine = g.members.get(me.get());
        String inviter = g.inviter == null ? null : coreName(g.inviter, "");
        return new Group(g.id, g.name, g.status, inviter, current, unread, mine != null && mine.admin,
                mine != null && mine.creator);
    }

    private GroupPost post(G g, P p) {
        boolean mine = p.author.equals(me.get());
        int of = 0;
        int delivered = 0;
        if (mine) {
            for (M m : g.members.values()) {
                if (m.current && !m.address.equals(me.get())) {
                    of++;
                    if (p.holders.contains(m.address)) {
                        delivered++;
                    }
                }
            }
        }
        M a = g.members.get(p.author);
        String authorName = mine ? "me" : coreName(p.author, a == null ? "" : a.suggested);
        return new GroupPost(g.id, p.id, p.kind, p.author, authorName, mine, p.seq, p.at,
                p.kind == GroupPost.Kind.POST || p.kind == GroupPost.Kind.CREATED || p.kind == GroupPost.Kind.RENAMED
                        ? p.text : "", p.subject, delivered, of);
    }

    /** As core: the contact's name, else the adder's suggestion, else empty. */
    private String coreName(String address, String suggested) {
        for (Contact c : contacts.get()) {
            if (c.serviceId().equals(address) && !c.nickname().isBlank()) {
                return c.nickname();
            }
        }
        return suggested == null ? "" : suggested;
    }

    private ContactId contactId(String address) {
        for (Contact c : contacts.get()) {
            if (c.serviceId().equals(address)) {
                return c.id();
            }
        }
        return null;
    }

    private void emit(GroupEvent e) {
        events.execute(() -> {
            for (Consumer<GroupEvent> l : listeners) {
                l.accept(e);
            }
        });
    }

    private GroupId newId() {
        return new GroupId(randomHex());
    }

    private String randomHex() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
