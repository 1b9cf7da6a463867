package org.allium.desktop.dropline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.allium.contacts.api.DropStore;
import org.allium.core.api.Contact;
import org.allium.desktop.PlainText;
import org.allium.desktop.UiContext;

/**
 * How an operator is named in the inbox ("assigned to …", "reply by …"): "you" for this
 * profile; else the name this profile gives that contact (a local rename or its nickname);
 * else the nickname the operator sent; else a readable placeholder — never a fragment of an
 * address or key. Names are outside text: sanitised plain text. Immutable; pure.
 */
final class OperatorNames {
    private final UiContext ctx;
    private final String self;
    /** Our name for each contact, by service id (as shown in the contact list). */
    private final Map<String, String> contacts;

    private OperatorNames(UiContext ctx, String self, Map<String, String> contacts) {
        this.ctx = ctx;
        this.self = self;
        this.contacts = contacts;
    }

    /** Before the contacts are loaded: the operators' own nicknames and the placeholder. */
    static OperatorNames none(UiContext ctx) {
        return new OperatorNames(ctx, null, Map.of());
    }

    /** @param selfServiceId this profile's service id, or null if unknown */
    static OperatorNames of(UiContext ctx, String selfServiceId, List<Contact> contacts) {
        Map<String, String> m = new HashMap<>();
        for (Contact c : contacts) {
            m.put(c.serviceId(), c.nickname());
        }
        return new OperatorNames(ctx, selfServiceId, m);
    }

    /** The operator's name as shown; {@code p} null: the placeholder. */
    String name(DropStore.Person p) {
        if (p == null) {
            return ctx.text("drop.operator.noName");
        }
        String id = p.key().serviceId();
        if (id.equals(self)) {
            return ctx.text("drop.operator.you");
        }
        String ours = PlainText.name(contacts.get(id), "");
        if (!ours.isEmpty()) {
            return ours;
        }
        return PlainText.name(p.name(), ctx.text("drop.operator.noName"));
    }
}
