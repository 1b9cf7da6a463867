package org.allium.core.groups;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.allium.contacts.api.GroupStore;
import org.allium.protocol.GroupMessages;
import org.allium.protocol.proto.GroupAction;
import org.allium.protocol.proto.GroupMessage;

/**
 * One group's state as its stored messages say (PROTOCOL.md §12.3): members, admins, name,
 * per-author chains, known ids. {@link #apply} is order-independent (every member reaches the
 * same state whatever the arrival order); {@link #check} is the validation of a received
 * message. Not thread-safe: {@link GroupsImpl} guards each instance with its monitor.
 */
final class GroupState {
    /** Most messages an author may write per UTC day (by composed time). */
    static final int MAX_PER_DAY = 1000;
    /** How far ahead of our clock a message may be composed. */
    static final long MAX_SKEW_MS = 24 * 3600_000L;
    /** Receivers take ADDs up to this many members (a bound on hostile admins; clients stop at 100). */
    static final int HARD_MEMBER_CAP = GroupMessages.MAX_MEMBERS + GroupMessages.MAX_MEMBERS / 2;
    /** Parents kept per message. */
    static final int PARENTS = GroupMessages.MAX_PARENTS;

    static final class Member {
        final ByteString key;
        String suggestedName = "";
        ByteString addedBy;
        boolean added;
        boolean joined;
        boolean admin;
        boolean left;
        boolean removed;
        /** Wrote an INTRODUCE: asks to become contacts with the other members (§12.5). */
        boolean introduced;
        /** Messages above this sequence are cut off (removal or leave). */
        long cutoff = Long.MAX_VALUE;
        /** The ADD that brought it in (for its invitation). */
        GroupMessage addMessage;
        /**
         * Where our store holds the first REMOVE of this member (0 while none is known): a removed
         * member is still sent what precedes it and the REMOVE itself, so that it learns (§12.4).
         */
        long removalPos;

        Member(ByteString key) {
            this.key = key;
        }

        boolean current() {
            return added && !left && !removed;
        }
    }

    final byte[] id;
    final ByteString groupId;
    ByteString creator;
    String name = "";
    private long nameRank = Long.MIN_VALUE;
    private ByteString nameRankId = ByteString.EMPTY;
    GroupStore.GroupState status;
    final Map<ByteString, Member> members = new LinkedHashMap<>();
    /** Highest sequence held per author (held contiguously). */
    final Map<ByteString, Long> heads = new HashMap<>();
    private final Map<ByteString, Long> lastComposed = new HashMap<>();
    private final Map<ByteString, long[]> dayCount = new HashMap<>();
    final Set<ByteString> ids = new HashSet<>();
    /** Latest message id per author, most recent author last (the next message's parents). */
    private final LinkedHashMap<ByteString, ByteString> latest = new LinkedHashMap<>();
    long lastPos;
    /** The CREATE (for invitations). */
    GroupMessage createMessage;
    /** Who invited us (from the invitation), its ADD's id and the name it showed; null if we created it. */
    ByteString inviter;
    ByteString addId;
    String invitationName;
    /** The latest summary heard from each member (what it holds): receipts for "delivered to". */
    final Map<ByteString, Map<ByteString, Long>> reported = new HashMap<>();

    GroupState(byte[] id, GroupStore.GroupState status) {
        this.id = id;
        this.groupId = ByteString.copyFrom(id);
        this.status = status;
    }

    Member member(ByteString key) {
        return members.computeIfAbsent(key, Member::new);
    }

    boolean isCurrent(ByteString key) {
        Member m = members.get(key);
        return m != null && m.current();
    }

    boolean isAdmin(ByteString key) {
        Member m = members.get(key);
        return m != null && m.current() && (m.admin || key.equals(creator));
    }

    int currentCount() {
        int n = 0;
        for (Member m : members.values()) {
            if (m.current()) {
                n++;
            }
        }
        return n;
    }

    long head(ByteString author) {
        return heads.getOrDefault(author, 0L);
    }

    /** The parents of the next message by {@code me}: the latest of the last authors heard from. */
    List<ByteString> parents(ByteString me) {
        List<ByteString> out = new ArrayList<>();
        List<Map.Entry<ByteString, ByteString>> all = new ArrayList<>(latest.entrySet());
        for (int i = all.size() - 1; i >= 0 && out.size() < PARENTS; i--) {
            if (!all.get(i).getKey().equals(me)) {
                out.add(all.get(i).getValue());
            }
        }
        return out;
    }

    long lastComposed(ByteString author) {
        return lastComposed.getOrDefault(author, Long.MIN_VALUE);
    }

    /** How many messages the author wrote on the UTC day of {@code composedMs}. */
    long writtenOnDay(ByteString author, long composedMs) {
        long[] d = dayCount.get(author);
        return d != null && d[0] == Math.floorDiv(composedMs, 86_400_000L) ? d[1] : 0;
    }

    /** Why a received message is not taken. */
    enum Verdict {
        ACCEPT,
        /** Already held (same id). */
        DUPLICATE,
        /** Not yet: a gap in the author's chain, an unknown parent, composed in the future. Comes again. */
        LATER,
        /** Invalid: counted, never stored or shown. */
        DROP
    }

    /**
     * Checks a received message against this state (§12.3). {@code msgId} is its computed id.
     */
    Verdict check(GroupMessage m, ByteString msgId, long nowMs) {
        if (!m.getGroupId().equals(groupId)) {
            return Verdict.DROP;
        }
        ByteString author = m.getAuthor();
        long head = head(author);
        if (m.getSequence() <= head) {
            return ids.contains(msgId) ? Verdict.DUPLICATE : Verdict.DROP; // a fork
        }
        if (m.getSequence() != head + 1) {
            return Verdict.LATER; // before the signature: a flood of gaps costs no verification
        }
        if (!GroupMessages.verify(m)) {
            return Verdict.DROP;
        }
        for (ByteString p : m.getParentsList()) {
            if (!ids.contains(p)) {
                return Verdict.LATER;
            }
        }
        if (m.getComposedAtMs() > nowMs + MAX_SKEW_MS) {
            return Verdict.LATER;
        }
        if (m.getComposedAtMs() < lastComposed(author)
                || writtenOnDay(author, m.getComposedAtMs()) >= MAX_PER_DAY) {
            return Verdict.DROP;
        }
        return allowed(m) ? Verdict.ACCEPT : Verdict.DROP;
    }

    /** The membership rules: may this author do this now? */
    boolean allowed(GroupMessage m) {
        ByteString author = m.getAuthor();
        if (m.getAction() == GroupAction.CREATE) {
            return m.getSequence() == 1 && java.util.Arrays.equals(id,
                    GroupMessages.groupId(author.toByteArray(), m.getSubject().toByteArray()));
        }
        Member a = members.get(author);
        if (a == null || !a.added || m.getSequence() > a.cutoff) {
            return false;
        }
        boolean admin = author.equals(creator) || a.admin;
        switch (m.getAction()) {
            case POST:
            case INTRODUCE:
                return a.joined || author.equals(creator);
            case JOIN:
            case LEAVE:
                return true;
            case ADD: {
                Member s = members.get(m.getSubject());
                boolean again = s != null && s.added;
                return admin && (again || currentCount() < HARD_MEMBER_CAP);
            }
            case REMOVE: {
                Member s = members.get(m.getSubject());
                return admin && s != null && s.added && !m.getSubject().equals(creator)
                        && (!s.admin || author.equals(creator));
            }
            case RENAME:
                return admin;
            case APPOINT: {
                Member s = members.get(m.getSubject());
                return author.equals(creator) && s != null && s.added;
            }
            default:
                return false;
        }
    }

    /**
     * Applies a stored message (ours, or one that passed {@link #check}). The effects commute:
     * a repeated ADD or REMOVE changes nothing, a removal keeps the lowest cut-off, the name is
     * the latest by (composed time, id).
     */
    void apply(GroupMessage m, ByteString msgId, long pos) {
        ByteString author = m.getAuthor();
        heads.merge(author, m.getSequence(), Math::max);
        lastComposed.merge(author, m.getComposedAtMs(), Math::max);
        long day = Math.floorDiv(m.getComposedAtMs(), 86_400_000L);
        long[] d = dayCount.get(author);
        if (d == null || d[0] != day) {
            dayCount.put(author, new long[] {day, 1});
        } else {
            d[1]++;
        }
        ids.add(msgId);
        latest.remove(author);
        latest.put(author, msgId);
        lastPos = Math.max(lastPos, pos);
        switch (m.getAction()) {
            case CREATE -> {
                creator = author;
                createMessage = m;
                Member c = member(author);
                c.added = true;
                c.joined = true;
                c.admin = true;
                rename(m);
            }
            case JOIN -> member(author).joined = true;
            case LEAVE -> {
                Member a = member(author);
                a.left = true;
                a.cutoff = Math.min(a.cutoff, m.getSequence());
            }
            case ADD -> {
                Member s = member(m.getSubject());
                if (!s.added) {
                    s.added = true;
                    s.addedBy = author;
                    s.suggestedName = m.getText();
                }
                if (s.addMessage == null || author.equals(s.addedBy)) {
                    s.addMessage = m;
                }
            }
            case REMOVE -> {
                Member s = member(m.getSubject());
                s.removed = true;
                s.cutoff = Math.min(s.cutoff, m.getSubjectSeq());
                if (pos > 0) {
                    removedAt(s, pos);
                }
            }
            case RENAME -> rename(m);
            case APPOINT -> member(m.getSubject()).admin = true;
            case INTRODUCE -> member(author).introduced = true;
            default -> {
            }
        }
    }

    /** Records that the REMOVE of {@code s} is stored at {@code pos} (the earliest one counts). */
    static void removedAt(Member s, long pos) {
        s.removalPos = s.removalPos == 0 ? pos : Math.min(s.removalPos, pos);
    }

    /**
     * Where the REMOVE of {@code peer} is stored if it is a removed member that we, a current
     * member, must still tell of its removal; 0 if it is not one.
     */
    long noticeUpTo(ByteString peer, ByteString me) {
        Member m = members.get(peer);
        if (status != GroupStore.GroupState.JOINED || !isCurrent(me) || m == null || !m.removed) {
            return 0;
        }
        return m.removalPos;
    }

    private void rename(GroupMessage m) {
        ByteString id = ByteString.copyFrom(GroupMessages.messageId(m));
        long rank = m.getComposedAtMs();
        if (rank > nameRank || (rank == nameRank
                && ByteString.unsignedLexicographicalComparator().compare(id, nameRankId) > 0)) {
            nameRank = rank;
            nameRankId = id;
            name = m.getText();
        }
    }

    /** Learns the creator and an ADD from an invitation before the real messages arrive by sync. */
    void provisional(GroupMessage create, GroupMessage add) {
        if (creator == null) {
            creator = create.getAuthor();
            createMessage = create;
            Member c = member(creator);
            c.added = true;
            c.joined = true;
            c.admin = true;
            rename(create);
        }
        member(add.getAuthor()).added = true; // the inviter; sync brings what proves its rights
        Member s = member(add.getSubject());
        if (!s.added) {
            s.added = true;
            s.addedBy = add.getAuthor();
            s.suggestedName = add.getText();
        }
    }
}
