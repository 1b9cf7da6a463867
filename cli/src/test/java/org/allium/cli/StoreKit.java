package org.allium.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreException;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;

/** What the command tests write straight into a profile's store before they run a command (no tor). */
final class StoreKit {
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreKit() {
    }

    /** The profile in {@code dir}, opened with {@code passphrase}; the caller closes it. */
    static Profile open(String dir, String passphrase) throws StoreException {
        return ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), RANDOM)
                .open(Path.of(dir), passphrase.toCharArray());
    }

    /** An accepted contact called {@code nickname}, with endpoint keys both ways: as after a request and its yes. */
    static Contact acceptedContact(Profile p, String nickname) throws StoreException {
        Contact c = p.contacts().addOutgoingRequest(IdentityKeyPair.generate(RANDOM).address(), nickname, null, null,
                EndpointKeys.ours(IdentityKeyPair.generate(RANDOM),
                        ClientAuthKeyPair.generate(RANDOM).publicKeyBase32()));
        return p.contacts().accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(RANDOM).address(),
                ClientAuthKeyPair.generate(RANDOM)));
    }
}
