package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.allium.contacts.api.EndpointKeys;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactState;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.Tor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A requester that stays online but whose endpoint the addressee cannot reach (here: withdrawn
 * from the requester's tor; in the 50-contact figures: its descriptor missing from every HSDir)
 * still learns of the acceptance, by asking the addressee's identity onion again while its
 * request is unanswered — not only at its next tor start.
 */
@ExtendWith(TestnetExtension.class)
class AcceptanceReaskIT {
    private static final Duration LONG = Node.LONG;

    static {
        TestLogs.install();
    }

    @Test
    void requesterWhoseEndpointIsUnreachableLearnsOfTheAcceptanceByAskingAgain(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        try (Node a = new Node("nora", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("otto", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            ContactId bAtA = a.messenger.sendContactRequest("allium:" + b.address(), null, "");
            MessengerEvent.RequestReceived got = b.events.await(MessengerEvent.RequestReceived.class, e -> true,
                    LONG, "request at B");
            a.events.await(MessengerEvent.RequestChanged.class,
                    e -> e.request().id().equals(bAtA) && e.request().delivered(), LONG, "request delivered at A");

            // A stays up, but the endpoint it granted B disappears from its tor: B's dials fail.
            EndpointKeys keys = ((ProfileImpl) a.profile).store().contacts()
                    .endpointKeys(new org.allium.contacts.api.ContactId(bAtA.value()));
            assertNotNull(keys.ourEndpoint());
            Tor aTor = a.messenger.readyTor();
            assertNotNull(aTor);
            aTor.unpublish(new ServiceId(keys.ourEndpoint().address().serviceId()));

            ContactId aAtB = got.request().id();
            b.messenger.accept(aAtB);

            a.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(bAtA), LONG,
                    "A learns of the acceptance without restarting");
            assertEquals(ContactState.ACCEPTED, a.messenger.contact(bAtA).state());
            a.events.await(MessengerEvent.PresenceChanged.class, e -> e.contact().equals(bAtA) && e.online(), LONG,
                    "A dials B's endpoint");

            MessageId m = b.messenger.sendMessage(aAtB, "over the session A opened");
            a.events.await(MessengerEvent.MessageReceived.class,
                    e -> e.message().text().equals("over the session A opened"), LONG, "message at A");
            b.events.await(MessengerEvent.MessageStatusChanged.class,
                    e -> e.message().equals(m) && e.status() == MessageStatus.DELIVERED, LONG, "delivered at B");

            List<String> leaks = TestLogs.leaks(List.of("over the session A opened", a.address(), b.address(),
                    keys.ourEndpoint().address().serviceId()));
            assertTrue(leaks.isEmpty(), "logs leak identifying text: " + leaks);
        }
    }
}
