package org.allium.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Identity;
import org.allium.core.api.Message;
import org.allium.core.api.MessengerEvent;

/**
 * The JSON shape of the core API's records and events: schema version {@link #SCHEMA}
 * (documented in cli/README.md). New fields may be added within a version; renaming or
 * removing one bumps it. With {@code redact}, nicknames, links, fingerprints and texts are
 * left out (for event streams that end up in a system journal). Stateless.
 */
final class JsonView {

    /** Version of the event and control-socket schema. */
    static final int SCHEMA = 1;

    private JsonView() {
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> identity(Identity id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("link", id.link());
        m.put("onion", id.onionAddress());
        m.put("fingerprint", id.fingerprint());
        m.put("nickname", id.nickname());
        return m;
    }

    static Map<String, Object> contact(Contact c, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id().value());
        if (!redact) {
            m.put("link", c.link());
            m.put("nickname", c.nickname());
            m.put("fingerprint", c.fingerprint());
        }
        m.put("state", lower(c.state()));
        m.put("online", c.online());
        m.put("unread", c.unread());
        m.put("verified", c.verified());
        return m;
    }

    static Map<String, Object> request(ContactRequest r, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().value());
        m.put("direction", lower(r.direction()));
        if (!redact) {
            m.put("link", r.link());
            m.put("nickname", r.nickname());
            m.put("message", r.message());
        }
        m.put("time", r.time().toString());
        m.put("delivered", r.delivered());
        return m;
    }

    static Map<String, Object> message(Message msg, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", msg.id().hex());
        m.put("contact", msg.contact().value());
        m.put("direction", lower(msg.direction()));
        if (!redact) {
            m.put("text", msg.text());
        }
        m.put("composed", msg.composed().toString());
        m.put("received", msg.received() == null ? null : msg.received().toString());
        m.put("status", lower(msg.status()));
        m.put("read", msg.read());
        return m;
    }

    /** An event line: {@code {"v":1,"type":…,"time":…, …}}. */
    static Map<String, Object> event(MessengerEvent e, Instant now, boolean redact) {
        Map<String, Object> m = header(typeOf(e), now);
        if (e instanceof MessengerEvent.TorProgress) {
            MessengerEvent.TorProgress p = (MessengerEvent.TorProgress) e;
            m.put("percent", p.percent());
            m.put("tag", p.tag());
            m.put("summary", p.summary());
        } else if (e instanceof MessengerEvent.TorProblem) {
            MessengerEvent.TorProblem p = (MessengerEvent.TorProblem) e;
            m.put("kind", lower(p.kind()));
            m.put("message", p.message());
        } else if (e instanceof MessengerEvent.DiskFull d) {
            m.put("needed_mb", org.allium.core.api.DiskFullException.megabytes(d.bytesNeeded()));
            m.put("message", d.message());
        } else if (e instanceof MessengerEvent.AcceptingContactsChanged) {
            m.put("accepting", ((MessengerEvent.AcceptingContactsChanged) e).accepting());
        } else if (e instanceof MessengerEvent.RequestReceived) {
            m.put("request", request(((MessengerEvent.RequestReceived) e).request(), redact));
        } else if (e instanceof MessengerEvent.RequestChanged) {
            m.put("request", request(((MessengerEvent.RequestChanged) e).request(), redact));
        } else if (e instanceof MessengerEvent.RequestExpired) {
            m.put("request", request(((MessengerEvent.RequestExpired) e).request(), redact));
        } else if (e instanceof MessengerEvent.ContactAdded) {
            m.put("contact", contact(((MessengerEvent.ContactAdded) e).contact(), redact));
        } else if (e instanceof MessengerEvent.ContactChanged) {
            m.put("contact", contact(((MessengerEvent.ContactChanged) e).contact(), redact));
        } else if (e instanceof MessengerEvent.ContactRemoved) {
            m.put("contact_id", ((MessengerEvent.ContactRemoved) e).contact().value());
        } else if (e instanceof MessengerEvent.PresenceChanged) {
            MessengerEvent.PresenceChanged p = (MessengerEvent.PresenceChanged) e;
            m.put("contact_id", p.contact().value());
            m.put("online", p.online());
        } else if (e instanceof MessengerEvent.MessageReceived) {
            m.put("message", message(((MessengerEvent.MessageReceived) e).message(), redact));
        } else if (e instanceof MessengerEvent.MessageStatusChanged) {
            MessengerEvent.MessageStatusChanged s = (MessengerEvent.MessageStatusChanged) e;
            m.put("contact_id", s.contact().value());
            m.put("message_id", s.message().hex());
            m.put("status", lower(s.status()));
        }
        return m;
    }

    static Map<String, Object> header(String type, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", SCHEMA);
        m.put("type", type);
        m.put("time", now.toString());
        return m;
    }

    /** The snake_case type name of an event record ({@code MessageStatusChanged} → {@code message_status_changed}). */
    static String typeOf(MessengerEvent e) {
        String simple = e.getClass().getSimpleName();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
