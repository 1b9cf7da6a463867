package org.allium.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.core.groups.Groups;

/**
 * The control operations of private groups ({@code group_*}) and their JSON. Operations
 * hands every {@code group_*} command here; the daemon turns group events into JSON lines
 * with {@link #event}. Thread-safe (the messenger is).
 */
final class GroupOperations {
    private final Messenger messenger;
    private final Operations ops;

    GroupOperations(Messenger messenger, Operations ops) {
        this.messenger = messenger;
        this.ops = ops;
    }

    static boolean handles(String cmd) {
        return cmd.startsWith("group_");
    }

    Map<String, Object> call(String cmd, Args a) throws CliException, MessengerException {
        Groups g = messenger.groups();
        Map<String, Object> r = new LinkedHashMap<>();
        switch (cmd) {
            case "group_create":
                r.put("group", g.create(a.string("name")).hex());
                return r;
            case "group_list": {
                List<Object> list = new ArrayList<>();
                for (Group x : g.list()) {
                    list.add(group(x, false));
                }
                r.put("groups", list);
                r.put("dropped", g.dropped()); // invalid messages received since start: counted, never shown
                return r;
            }
            case "group_invite":
                g.invite(id(a), ops.resolve(a.contactRef("contact")));
                return r;
            case "group_accept":
                g.accept(id(a));
                return r;
            case "group_decline":
                g.decline(id(a));
                return r;
            case "group_send": {
                GroupPost p = g.send(id(a), a.string("text"));
                r.put("post", p.id());
                r.put("delivered_to", p.deliveredTo());
                r.put("of", p.of());
                return r;
            }
            case "group_history": {
                GroupId id = id(a);
                List<Object> list = new ArrayList<>();
                for (GroupPost p : g.history(id, a.intArg("limit", 50, 1, 1000))) {
                    list.add(post(p, false));
                }
                if (!Boolean.FALSE.equals(a.optBool("mark_read"))) {
                    g.markRead(id);
                }
                r.put("posts", list);
                return r;
            }
            case "group_members": {
                List<Object> list = new ArrayList<>();
                for (GroupMember m : g.members(id(a))) {
                    list.add(member(m));
                }
                r.put("members", list);
                return r;
            }
            case "group_remove":
                g.remove(id(a), a.string("member"));
                return r;
            case "group_leave":
                g.leave(id(a));
                return r;
            case "group_rename":
                g.rename(id(a), a.string("name"));
                return r;
            case "group_introduce":
                r.put("asked", g.introduce(id(a)));
                return r;
            case "group_introductions": {
                Boolean on = a.optBool("accept");
                if (on != null) {
                    g.setAcceptIntroductions(on);
                }
                r.put("accept", g.acceptsIntroductions());
                return r;
            }
            case "group_appoint":
                g.appoint(id(a), a.string("member"));
                return r;
            default:
                throw new CliException(ExitCode.USAGE, "unknown command \"" + cmd + "\"");
        }
    }

    private static GroupId id(Args a) throws CliException {
        try {
            return GroupId.parse(a.string("group"));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "a group id is 32 hex digits");
        }
    }

    static Map<String, Object> group(Group x, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", x.id().hex());
        if (!redact) {
            m.put("name", x.name());
            if (x.invitedBy() != null) {
                m.put("invited_by", x.invitedBy());
            }
        }
        m.put("status", JsonView.lower(x.status()));
        m.put("members", x.members());
        m.put("unread", x.unread());
        m.put("admin", x.admin());
        m.put("creator", x.creator());
        return m;
    }

    static Map<String, Object> post(GroupPost p, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", p.group().hex());
        m.put("id", p.id());
        m.put("kind", JsonView.lower(p.kind()));
        m.put("mine", p.mine());
        m.put("seq", p.seq());
        m.put("composed", p.composed().toString());
        if (!redact) {
            m.put("author", p.author());
            m.put("author_name", p.authorName());
            m.put("text", p.text());
            if (p.subject() != null) {
                m.put("subject", p.subject());
            }
        }
        if (p.mine()) {
            m.put("delivered_to", p.deliveredTo());
            m.put("of", p.of());
        }
        return m;
    }

    static Map<String, Object> member(GroupMember x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", x.address());
        m.put("name", x.name());
        if (x.contact() != null) {
            m.put("contact", x.contact().value());
        }
        m.put("me", x.me());
        m.put("admin", x.admin());
        m.put("creator", x.creator());
        m.put("joined", x.joined());
        return m;
    }

    /** One JSON event line for a group event; {@code redact} leaves out names, addresses and text. */
    static Map<String, Object> event(GroupEvent e, Instant now, boolean redact) {
        if (e instanceof GroupEvent.Invited x) {
            Map<String, Object> m = JsonView.header("group_invited", now);
            m.put("group", group(x.group(), redact));
            return m;
        } else if (e instanceof GroupEvent.Changed x) {
            Map<String, Object> m = JsonView.header("group_changed", now);
            m.put("group", group(x.group(), redact));
            return m;
        } else if (e instanceof GroupEvent.Removed x) {
            Map<String, Object> m = JsonView.header("group_removed", now);
            m.put("group", group(x.group(), redact));
            return m;
        } else if (e instanceof GroupEvent.Posted x) {
            Map<String, Object> m = JsonView.header("group_posted", now);
            m.put("post", post(x.post(), redact));
            return m;
        } else {
            Map<String, Object> m = JsonView.header("group_delivery", now);
            m.put("group", ((GroupEvent.Delivery) e).group().hex());
            return m;
        }
    }
}
