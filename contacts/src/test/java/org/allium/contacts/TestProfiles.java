package org.allium.contacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;

/** Shared test fixtures: fast profiles, a settable clock, recorded events, file hashes. */
final class TestProfiles {
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    static final SecureRandom RANDOM = new SecureRandom();

    private TestProfiles() {
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Events in order, delivered synchronously (the direct executor). */
    static final class Events {
        final List<StoreEvent> all = new CopyOnWriteArrayList<>();

        <T extends StoreEvent> List<T> of(Class<T> type) {
            return all.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static ProfileManager manager(Clock clock) {
        return ContactsModule.profileManager(Runnable::run, clock, RANDOM, KdfParams.FAST_INSECURE_FOR_TESTS);
    }

    static Profile create(ProfileManager m, Path dir) throws StoreException {
        return m.create(dir, PASSPHRASE, "me");
    }

    static OnionAddress randomAddress() {
        return IdentityKeyPair.generate(RANDOM).address();
    }

    static EndpointKeys ourKeys() {
        return EndpointKeys.ours(IdentityKeyPair.generate(RANDOM), ClientAuthKeyPair.generate(RANDOM).publicKeyBase32());
    }

    static EndpointKeys theirKeys() {
        return EndpointKeys.theirs(randomAddress(), ClientAuthKeyPair.generate(RANDOM));
    }

    /** A new accepted contact in {@code p}, with endpoint keys both ways: as after a request and its acceptance. */
    static ContactId acceptedContact(Profile p) throws StoreException {
        Contact c = p.contacts().addOutgoingRequest(randomAddress(), null, null, null, ourKeys());
        return p.contacts().accept(c.id(), theirKeys()).id();
    }

    /** SHA-256 of every file under {@code dir}, by relative path. */
    static Map<String, String> hashes(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
