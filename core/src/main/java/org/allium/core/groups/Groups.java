package org.allium.core.groups;

import java.util.List;
import java.util.function.Consumer;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Subscription;

/**
 * Private groups without a server (PROTOCOL.md §12): messages signed by their authors travel
 * over the sessions of members who are contacts, each member checks everything. Thread-safe;
 * every method may block on the store.
 */
public interface Groups {
    /** Most members of a group, the creator included. */
    int MAX_MEMBERS = 100;
    /** Longest post, in characters (as chat). */
    int MAX_POST_LENGTH = org.allium.core.api.Messenger.MAX_MESSAGE_LENGTH;
    /** Longest group name, in UTF-8 bytes. */
    int MAX_NAME_BYTES = 100;

    /** Creates a group with the user as creator and only member. */
    GroupId create(String name) throws MessengerException;

    /** Adds an accepted contact (admins only); it gets an invitation when next connected. */
    void invite(GroupId group, ContactId contact) throws MessengerException;

    void accept(GroupId group) throws MessengerException;

    void decline(GroupId group) throws MessengerException;

    /** Writes a post; it reaches the members through whoever is connected. */
    GroupPost send(GroupId group, String text) throws MessengerException;

    /** The newest {@code limit} entries (posts and membership changes), oldest first. */
    List<GroupPost> history(GroupId group, int limit) throws MessengerException;

    List<GroupMember> members(GroupId group) throws MessengerException;

    List<Group> list() throws MessengerException;

    Group get(GroupId group) throws MessengerException;

    void leave(GroupId group) throws MessengerException;

    /** Removes a member by address (admins only; only the creator removes an admin). */
    void remove(GroupId group, String memberAddress) throws MessengerException;

    void rename(GroupId group, String name) throws MessengerException;

    /** Makes a member an admin (the creator only). */
    void appoint(GroupId group, String memberAddress) throws MessengerException;

    void markRead(GroupId group) throws MessengerException;

    /**
     * "Connect me with the members I don't know" (PROTOCOL.md §12.5): writes an introduction
     * into the group, sends a contact request to every current member that is not a contact
     * yet and accepts members' pending requests. Members who allow introductions answer with
     * a request of their own, so the two become contacts without anyone accepting by hand.
     *
     * @return how many members were asked (or accepted)
     */
    int introduce(GroupId group) throws MessengerException;

    /** Whether requests vouched for by a shared group (an introduction) are accepted automatically; on by default. */
    boolean acceptsIntroductions();

    void setAcceptIntroductions(boolean accept) throws MessengerException;

    /** Messages received that failed validation (forged, non-member, forks, …) since start. */
    long dropped();

    Subscription subscribe(Consumer<GroupEvent> listener);
}
