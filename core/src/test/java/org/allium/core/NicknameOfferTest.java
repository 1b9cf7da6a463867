package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: "no nickname" is expressible apart from "the profile's nickname". A requester who
 * offers {@link Messenger#NO_NICKNAME} reaches the other side with no name at all (not the
 * profile's, not a piece of the address); {@code null} offers the profile's. Real engines on
 * the in-JVM fake onion network.
 */
class NicknameOfferTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final FakeNodes fake = new FakeNodes();

    private FakeNode node(String name) throws Exception {
        return fake.start(name, tmp);
    }

    private static ContactRequest outgoing(FakeNode n, ContactId id) throws Exception {
        return n.messenger.requests().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void noNicknameArrivesAsNoneAndNullAsTheProfilesNickname() throws Exception {
        FakeNode source = node("source");
        FakeNode journalist = node("journalist");
        FakeNode editor = node("editor");

        source.messenger.sendContactRequest("allium:" + journalist.address(), Messenger.NO_NICKNAME, "hello");
        ContactRequest unnamed = journalist.events.await(MessengerEvent.RequestReceived.class, e -> true,
                FakeNode.LONG, "request at the journalist").request();
        assertEquals("", unnamed.nickname(), "the profile's nickname must not leak");
        assertEquals("", journalist.messenger.requests().get(0).nickname());
        // Our own outgoing request records that we offered none.
        assertEquals("", source.messenger.requests().get(0).nickname());

        ContactId toEditor = source.messenger.sendContactRequest("allium:" + editor.address(), null, "hello");
        assertNull(outgoing(source, toEditor).localName(), "not named by us yet");
        // Our own name for them (local only): the outgoing request carries it, the offered name stays ours.
        source.messenger.rename(toEditor, "Editor at the desk");
        assertEquals("Editor at the desk", outgoing(source, toEditor).localName());
        assertEquals(source.nickname(), outgoing(source, toEditor).nickname());
        source.messenger.rename(toEditor, null);
        assertNull(outgoing(source, toEditor).localName());
        ContactRequest named = editor.events.await(MessengerEvent.RequestReceived.class, e -> true,
                FakeNode.LONG, "request at the editor").request();
        assertEquals(source.nickname(), named.nickname());

        // Accepted without a name: the contact has none either (front ends show a placeholder).
        journalist.messenger.accept(unnamed.id());
        assertEquals("", journalist.messenger.contact(unnamed.id()).nickname());
    }
}
