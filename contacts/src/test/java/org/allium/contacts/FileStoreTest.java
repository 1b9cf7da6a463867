package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.FileRecord;
import org.allium.contacts.api.FileState;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
    private static final String NAME = "SecretPlanQ4x.odt";
    private static final String MARKER = "CHUNKmarkerZq81";

    @TempDir
    Path tmp;

    private final ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());
    private final SecureRandom random = new SecureRandom();
    private Profile profile;
    private ContactId bob;

    @BeforeEach
    void open() throws Exception {
        profile = TestProfiles.create(manager, tmp.resolve("p"));
        bob = TestProfiles.acceptedContact(profile);
    }

    @AfterEach
    void close() throws Exception {
        profile.close();
    }

    private static FileOfferSpec spec(long size) {
        return new FileOfferSpec(NAME, size, 1024, new byte[32], new byte[32]);
    }

    @Test
    void anOfferSharesTheConversationSequenceAndOutboxWithMessages() throws Exception {
        Message m1 = profile.messages().enqueueOutgoing(bob, "before");
        MessageId id = MessageId.random(random);
        Message offer = profile.files().offerOutgoing(bob, id, spec(3000), "/tmp/x", 5, new byte[3 * 32]);
        Message m3 = profile.messages().enqueueOutgoing(bob, "after");
        assertEquals(List.of(m1.seq(), m1.seq() + 1, m1.seq() + 2), List.of(m1.seq(), offer.seq(), m3.seq()));
        assertEquals(List.of(m1.id(), id, m3.id()), profile.messages().pendingFor(bob).stream().map(Message::id).toList());
        assertEquals(NAME, offer.body());
        FileRecord r = profile.files().get(bob, Direction.OUTGOING, id).orElseThrow();
        assertEquals(FileState.OFFERED, r.state());
        assertEquals("/tmp/x", r.sourcePath());
        try (FileData d = profile.files().open(r)) {
            assertArrayEquals(new byte[3 * 32], d.readHashes().orElseThrow());
        }
        profile.messages().markDelivered(bob, List.of(id));
        assertEquals(MessageStatus.DELIVERED, profile.messages().get(bob, Direction.OUTGOING, id).orElseThrow().status());
    }

    @Test
    void incomingOffersAreStoredOnceAndSurviveAReopen() throws Exception {
        MessageId id = MessageId.random(random);
        assertTrue(profile.files().acceptIncomingOffer(bob, id, 1, Instant.ofEpochMilli(7), spec(10), FileState.OFFERED,
                null));
        assertFalse(profile.files().acceptIncomingOffer(bob, id, 1, Instant.ofEpochMilli(7), spec(10),
                FileState.OFFERED, null), "a resend is a duplicate");
        assertEquals(1, profile.files().countIncoming(bob, FileState.OFFERED));
        assertTrue(profile.files().setState(bob, Direction.INCOMING, id, FileState.ACTIVE, null));
        profile.close();
        profile = manager.open(tmp.resolve("p"), TestProfiles.PASSPHRASE);
        FileRecord r = profile.files().get(bob, Direction.INCOMING, id).orElseThrow();
        assertEquals(FileState.ACTIVE, r.state());
        assertEquals(NAME, r.offer().name());
        assertEquals(1, profile.files().list().size());
    }

    @Test
    void chunksReadBackOnlyIfWrittenWholeAndUntampered() throws Exception {
        MessageId id = MessageId.random(random);
        profile.files().acceptIncomingOffer(bob, id, 1, Instant.now(), spec(2500), FileState.ACTIVE, null);
        FileRecord r = profile.files().get(bob, Direction.INCOMING, id).orElseThrow();
        byte[] c0 = chunk(1024, 0);
        byte[] c2 = chunk(452, 2);
        byte[] out = new byte[1024];
        try (FileData d = profile.files().open(r)) {
            assertEquals(-1, d.readChunk(0, out), "nothing written yet");
            d.writeChunk(2, c2, 0, c2.length);
            d.writeChunk(0, c0, 0, c0.length);
            d.force();
            assertEquals(1024, d.readChunk(0, out));
            assertArrayEquals(c0, out);
            assertEquals(-1, d.readChunk(1, out), "a hole of the sparse file is not a chunk");
            assertEquals(452, d.readChunk(2, out));
            assertArrayEquals(c2, java.util.Arrays.copyOf(out, 452));
            assertThrows(IndexOutOfBoundsException.class, () -> d.readChunk(3, out));
        }
        Path data = dataFiles().stream().filter(p -> p.toString().endsWith(".data")).findFirst().orElseThrow();
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 10); // flip a byte of chunk 0's ciphertext
        }
        try (FileData d = profile.files().open(r)) {
            assertEquals(-1, d.readChunk(0, out), "tampered ciphertext does not decrypt");
            assertEquals(452, d.readChunk(2, out));
        }
        for (Path p : dataFiles()) {
            String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            assertFalse(content.contains(MARKER), p + " holds plaintext");
            assertFalse(p.toString().contains(NAME));
        }
    }

    @Test
    void sweepAndContactRemovalLeaveNoData() throws Exception {
        MessageId id = MessageId.random(random);
        profile.files().offerOutgoing(bob, id, spec(1024), "/tmp/x", 0, new byte[32]);
        try (FileData d = profile.files().open(new FileRecord(bob, Direction.INCOMING, MessageId.random(random),
                spec(1024), FileState.ACTIVE, null, null, 0, Instant.now()))) {
            d.writeChunk(0, chunk(1024, 0), 0, 1024); // an orphan: no row
        }
        assertEquals(2, dataFiles().size(), "the offer's hash list and the orphan's data");
        assertEquals(1, profile.files().sweep());
        assertEquals(1, dataFiles().size(), "the offer's hash list stays");
        profile.contacts().remove(bob);
        assertTrue(profile.files().list().isEmpty(), "rows go with the contact");
        assertEquals(1, profile.files().sweep());
        assertTrue(dataFiles().isEmpty());
    }

    @Test
    void onlyAcceptedContactsGetOffers() throws Exception {
        profile.contacts().block(bob);
        assertThrows(ContactStateException.class, () -> profile.files().offerOutgoing(bob, MessageId.random(random),
                spec(1), "/x", 0, new byte[32]));
        assertThrows(ContactStateException.class, () -> profile.files().acceptIncomingOffer(bob,
                MessageId.random(random), 1, Instant.now(), spec(1), FileState.OFFERED, null));
    }

    private static byte[] chunk(int len, int seed) {
        byte[] b = new byte[len];
        new java.util.Random(seed).nextBytes(b);
        byte[] m = MARKER.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, b, 0, Math.min(m.length, len));
        return b;
    }

    private List<Path> dataFiles() throws Exception {
        Path dir = tmp.resolve("p").resolve(FileStoreImpl.DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
