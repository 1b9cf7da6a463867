package org.allium.desktop.groups;

import java.util.function.Function;
import org.allium.core.api.DisplayText;
import org.allium.desktop.PlainText;
import org.allium.desktop.UiContext;

/**
 * How a group member is named on screen: "You" for the user; a contact by the name the user
 * knows them by (the contact list's name); anyone else by the name the member who added them
 * suggested, marked as not a contact; with no name at all a readable placeholder — never a
 * piece of the address, which reads like a name and is not one. Every result is sanitised
 * plain text. Event thread only (reads the contact list).
 */
final class GroupNames {
    private final UiContext ctx;
    private final Function<String, String> contactName;

    /** @param contactName the shown name of a contact by service id, or null when it is not a contact */
    GroupNames(UiContext ctx, Function<String, String> contactName) {
        this.ctx = ctx;
        this.contactName = contactName;
    }

    /**
     * @param address  the member's service id
     * @param coreName the name core knows them by (contact name or the adder's suggestion), may be empty
     */
    String of(String address, String coreName, boolean me) {
        if (me) {
            return ctx.text("group.member.you");
        }
        String contact = address == null ? null : contactName.apply(address);
        if (contact != null) {
            return contact;
        }
        String suggested = DisplayText.name(coreName == null ? "" : coreName);
        return suggested.isEmpty() ? ctx.text("group.member.unknown")
                : PlainText.inert(ctx.format("group.member.suggested", suggested));
    }

    /** Whether {@code address} is one of the user's contacts. */
    boolean isContact(String address) {
        return address != null && contactName.apply(address) != null;
    }
}
