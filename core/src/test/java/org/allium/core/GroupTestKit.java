package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessengerEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupPost;

/** What the group tests (engine and tor) share: waiting on a condition, and what a node was told of. */
final class GroupTestKit {
    private GroupTestKit() {
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}, or at once if it throws. */
    static void await(Check condition, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.ok()) {
                    return;
                }
            } catch (Exception e) {
                throw new AssertionError(what, e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The ids of the entries of group {@code id} among those a node was told of. */
    static Set<String> seen(List<GroupPost> told, GroupId id) {
        Set<String> have = new HashSet<>();
        for (GroupPost p : told) {
            if (p.group().equals(id)) {
                have.add(p.id());
            }
        }
        return have;
    }

    /** No entry of group {@code id} was told to node {@code name} twice. */
    static void assertToldOnce(String name, List<GroupPost> told, GroupId id) {
        Set<String> once = new HashSet<>();
        for (GroupPost p : told) {
            if (p.group().equals(id)) {
                assertTrue(once.add(p.id()), "entry twice at " + name + ": " + p);
            }
        }
    }

    /** Two accepted contacts on the fake network, both online. Returns {B's id at A, A's id at B}. */
    static ContactId[] connect(FakeNode a, FakeNode b) throws Exception {
        Duration wait = FakeNode.LONG;
        ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "");
        MessengerEvent.RequestReceived got = b.events.await(MessengerEvent.RequestReceived.class,
                e -> e.request().serviceId().equals(a.address()), wait, "request at " + b.name);
        b.messenger.accept(got.request().id());
        a.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(bAtA), wait,
                a.name + " learns of the acceptance");
        await(() -> a.messenger.contacts().stream().anyMatch(c -> c.id().equals(bAtA) && c.online())
                && b.messenger.contacts().stream().anyMatch(c -> c.id().equals(got.request().id()) && c.online()),
                a.name + " and " + b.name + " online", wait);
        return new ContactId[] {bAtA, got.request().id()};
    }
}
