package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactExistsException;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreException;
import org.allium.contacts.api.WrongPassphraseException;
import org.allium.protocol.OnionAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes marker strings wherever the store keeps user text, then scans every byte of the
 * profile directory (open and closed) and every captured log record for them, in UTF-8,
 * UTF-16LE and UTF-16BE; key bytes are searched for raw.
 */
class NoPlaintextAtRestTest {
    @TempDir
    Path tmp;

    private final List<String> logs = new ArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter f = new SimpleFormatter();

        @Override
        public synchronized void publish(LogRecord r) {
            logs.add(f.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        capture.setLevel(Level.ALL);
    }

    @AfterEach
    void restoreLogs() {
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    @Test
    void markersNeverReachTheProfileDirectoryOrTheLogs() throws Exception {
        ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());
        Path dir = tmp.resolve("p");
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        OnionAddress address = TestProfiles.randomAddress();
        OnionAddress requester = TestProfiles.randomAddress();
        EndpointKeys ours = TestProfiles.ourKeys();
        EndpointKeys theirs = TestProfiles.theirKeys();
        Profile p = TestProfiles.create(manager, dir);
        try {
            p.setNickname("MarkerProfileNick");
            Contact c = p.contacts().addOutgoingRequest(address, "MarkerContactNick", "MarkerOfferedNick",
                    "MarkerRequestText", ours);
            c = p.contacts().accept(c.id(), theirs);
            p.contacts().recordIncomingRequest(requester, "MarkerTheirNick", "MarkerIncomingRequest",
                    TestProfiles.theirKeys());
            p.settings().put("marker.setting", "MarkerSettingValue");
            for (int i = 0; i < 300; i++) {
                p.messages().enqueueOutgoing(c.id(), "MarkerOutgoingText " + i);
                p.messages().acceptIncoming(c.id(), MessageId.random(TestProfiles.RANDOM), i + 1,
                        TestProfiles.RANDOM.nextBoolean() ? java.time.Instant.now() : java.time.Instant.EPOCH,
                        "MarkerIncomingText " + i);
            }
            p.messages().enqueueOutgoing(c.id(), "MarkerLongText " + "x".repeat(15_000));
            // error paths must not leak either
            assertThrows(ContactExistsException.class,
                    () -> p.contacts().addOutgoingRequest(address, "MarkerContactNick", null, null, ours));
            assertThrows(WrongPassphraseException.class, () -> p.changePassphrase("no".toCharArray(), "x".toCharArray()));
            p.messages().page(c.id(), Long.MAX_VALUE, 1000);
            p.messages().pendingFor(c.id());

            secrets.put("identity seed", p.identity().seed());
            secrets.put("endpoint seed", ours.ourEndpoint().seed());
            secrets.put("client auth private key", theirs.ourClientAuth().privateKey());
            for (String text : List.of("MarkerProfileNick", "MarkerContactNick", "MarkerOfferedNick", "MarkerRequestText",
                    "MarkerTheirNick", "MarkerIncomingRequest", "MarkerSettingValue", "MarkerOutgoingText",
                    "MarkerIncomingText", "MarkerLongText", "Marker", address.serviceId(), requester.serviceId(),
                    theirs.theirEndpoint().serviceId(), ours.theirClientAuthPublicKey())) {
                for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                    secrets.put(text + " in " + cs, text.getBytes(cs));
                }
            }
            secrets.put("address upper case", address.serviceId().toUpperCase().getBytes(StandardCharsets.US_ASCII));
            assertTrue(Files.size(dir.resolve(CommitLog.FILE_NAME)) > 0, "the commit log holds messages and is scanned");
            assertNothingFound(dir, secrets, "while open");
        } finally {
            p.close();
        }
        assertNothingFound(dir, secrets, "after close");
        // opening and closing again (migrations, session sweep, compaction) adds nothing either
        manager.open(dir, TestProfiles.PASSPHRASE).close();
        assertNothingFound(dir, secrets, "after reopen");
        assertThrows(WrongPassphraseException.class, () -> manager.open(dir, "wrong".toCharArray()));

        String allLogs = String.join("\n", logs);
        for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
            if (e.getKey().endsWith("UTF-8")) {
                String text = new String(e.getValue(), StandardCharsets.UTF_8);
                assertFalse(allLogs.contains(text), e.getKey() + " found in the log output");
            }
        }
        assertFalse(allLogs.toLowerCase().contains("marker"), "a marker in the log output");
    }

    @Test
    void sqlErrorsLoseTheirMessageButKeepTheirCodeAndTrace() {
        SQLException e = new SQLException("Unique index violation: VALUES ('MarkerSecret')", "23505", 23505);
        StoreException s = Sql.scrub("adding a contact", e);
        StringBuilder all = new StringBuilder();
        for (Throwable t = s; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        assertFalse(all.toString().contains("MarkerSecret"), all.toString());
        assertTrue(all.toString().contains("23505"));
        assertEquals(e.getStackTrace().length, s.getCause().getStackTrace().length);
    }

    private static void assertNothingFound(Path dir, Map<String, byte[]> secrets, String when) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty());
        long total = 0;
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            total += content.length;
            for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
                assertEquals(-1, indexOf(content, e.getValue()),
                        e.getKey() + " found in " + f.getFileName() + " " + when);
            }
        }
        assertTrue(total > 10_000, "the store holds data: " + total + " bytes");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theScannerFindsWhatIsThere() {
        byte[] hay = "abc MarkerX def".getBytes(StandardCharsets.UTF_16BE);
        assertEquals(8, indexOf(hay, "MarkerX".getBytes(StandardCharsets.UTF_16BE)));
        assertEquals(-1, indexOf(hay, "MarkerX".getBytes(StandardCharsets.UTF_8)));
    }
}
