package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactStore;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.KdfParams;
import org.allium.core.api.Profile;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash ITs' child JVMs end at once, with exit code 1 and the stack trace in their stderr
 * log, when their main throws once the store has published an event (its event thread is not
 * a daemon): the parent sees why, instead of waiting out its timeout on a child that will never
 * answer.
 */
class ChildProcessTest {
    @Test
    void aChildWhoseMainThrowsExitsOneAtOnceWithItsStackTrace(@TempDir Path tmp) throws Exception {
        Path profile = tmp.resolve("profile");
        long contact;
        try (Profile p = ProfilesImpl.create(Runnable::run, KdfParams.FAST_INSECURE_FOR_TESTS)
                .create(profile, Node.PASS, "nell")) {
            SecureRandom random = new SecureRandom();
            ContactStore contacts = ((ProfileImpl) p).store().contacts();
            Contact c = contacts.addOutgoingRequest(IdentityKeyPair.generate(random).address(), null, null, null,
                    EndpointKeys.ours(IdentityKeyPair.generate(random), ClientAuthKeyPair.generate(random)
                            .publicKeyBase32()));
            contact = contacts.accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(random).address(),
                    ClientAuthKeyPair.generate(random))).id().value();
        }
        // A line tor refuses: the child's tor never starts, and nothing reaches any network.
        Path torrc = Files.write(tmp.resolve("torrc-lines"), List.of("NoSuchTorOption 1"));
        Path file = Files.writeString(tmp.resolve("note.txt"), "a note");
        Path log = tmp.resolve("child-stderr.log");
        ChildProcess child = ChildProcess.start(FileChild.class, List.of(profile.toString(), torrc.toString()), log);
        try {
            // An offer goes into the outbox (a store event), then a command that throws.
            child.send("offer " + contact + " " + file);
            child.awaitLine("offered", l -> l.startsWith("OFFERED "));
            child.send("offer not-a-contact " + file);
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "the child ended by itself");
            assertEquals(1, child.process().exitValue());
            String err = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(err.contains("not a contact id") && err.contains("at org.allium.core.FileChild"),
                    "the stack trace in the child's log: " + err);
        } finally {
            child.kill();
        }
    }
}
