package org.allium.core.dropline;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Profile;
import org.allium.core.api.DropLine;
import org.allium.core.api.DropLineException;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.DropCheckIn;
import org.allium.protocol.proto.DropRefusal;
import org.allium.protocol.proto.DropState;
import org.allium.protocol.proto.DropSubmission;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.KeepAlive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drop line's answers to sources (PROTOCOL.md §13.1), without tor. */
class DropLineDeskTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;
    Profile profile;
    DropLineDesk desk;
    final IdentityKeyPair source = IdentityKeyPair.generate(RANDOM);
    final AtomicInteger notified = new AtomicInteger();

    static Profile profile(Path dir) throws Exception {
        return ContactsModule.profileManager(Runnable::run)
                .create(dir, "correct horse battery staple".toCharArray(), null, KdfParams.FAST_INSECURE_FOR_TESTS);
    }

    @BeforeEach
    void open() throws Exception {
        profile = profile(tmp.resolve("line"));
        desk = new DropLineDesk(profile, RANDOM, Clock.systemUTC(), new DropStore.Quotas(3, 100_000, 100, 1_000_000),
                Duration.ofSeconds(5), profile.identity().address());
        desk.addListener(new DropLineDesk.Listener() {
            @Override
            public void submitted(long caseId) {
                notified.incrementAndGet();
            }
        });
    }

    @AfterEach
    void close() throws Exception {
        profile.close();
    }

    static Envelope submission(byte[] id, String text) {
        return Envelope.newBuilder().setDropSubmission(DropSubmission.newBuilder().setId(ByteString.copyFrom(id))
                .setComposedAtMs(1).setText(text)).build();
    }

    static Envelope checkIn() {
        return Envelope.newBuilder().setDropCheckIn(DropCheckIn.getDefaultInstance()).build();
    }

    List<Envelope> serve(IdentityKeyPair who, Envelope e) throws Exception {
        FakeChannel ch = new FakeChannel(who.address(), e);
        desk.serve(ch);
        return ch.out;
    }

    @Test
    void aSubmissionIsAcknowledgedAnsweredAndStoredOnce() throws Exception {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        List<Envelope> out = serve(source, submission(id, "the documents"));
        assertEquals(3, out.size());
        assertArrayEquals(id, out.get(0).getAck().getIds(0).toByteArray());
        assertEquals(DropState.DROP_RECEIVED, out.get(1).getDropCase().getState());
        assertEquals(DropLine.DEFAULT_ACKNOWLEDGEMENT, out.get(1).getDropCase().getAcknowledgement());
        assertEquals(CloseCode.NORMAL, out.get(2).getClose().getCode());
        assertEquals(out, serve(source, submission(id, "the documents")), "a resend gets the same answer");
        assertEquals(1, desk.cases().size());
        assertEquals(1, desk.cases().get(0).submissions());
        assertEquals(1, notified.get(), "a resend notifies nobody");
        assertFalse(desk.cases().get(0).pseudonym().isEmpty());
    }

    @Test
    void anUnknownSourceGetsExactlyTheAnswerOfACaseWithoutReplies() throws Exception {
        serve(source, submission(new byte[16], "hello"));
        List<Envelope> known = serve(source, checkIn());
        List<Envelope> unknown = serve(IdentityKeyPair.generate(RANDOM), checkIn());
        assertEquals(known, unknown);
        assertEquals(DropState.DROP_RECEIVED, unknown.get(0).getDropCase().getState());
        assertEquals(0, unknown.get(0).getDropCase().getReplyCount());
    }

    @Test
    void repliesAndStatusReachTheSourceAtCheckIn() throws Exception {
        serve(source, submission(new byte[16], "hello"));
        long c = desk.cases().get(0).id();
        desk.read(c);
        assertEquals(DropState.DROP_READ, serve(source, checkIn()).get(0).getDropCase().getState());
        desk.reply(c, "first");
        desk.note(c, "team only: never to the source");
        desk.reply(c, "second");
        List<Envelope> out = serve(source, checkIn());
        assertEquals(DropState.DROP_REPLIED, out.get(0).getDropCase().getState());
        assertEquals(2, out.get(0).getDropCase().getReplyCount());
        assertEquals("first", out.get(1).getDropReply().getText());
        assertEquals("second", out.get(2).getDropReply().getText());
        assertEquals(CloseCode.NORMAL, out.get(3).getClose().getCode());
        desk.setState(c, DropStore.State.CLOSED);
        assertEquals(DropState.DROP_CLOSED, serve(source, checkIn()).get(0).getDropCase().getState());
    }

    @Test
    void quotasRefuseWithAReasonAndNoAck() throws Exception {
        for (int i = 0; i < 3; i++) {
            byte[] id = new byte[16];
            id[0] = (byte) i;
            assertTrue(serve(source, submission(id, "x" + i)).get(0).hasAck());
        }
        List<Envelope> out = serve(source, submission(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "x"));
        assertEquals(DropRefusal.DROP_SOURCE_QUOTA, out.get(0).getDropCase().getRefusal());
        assertEquals(0, out.get(0).getDropCase().getReplyCount());
    }

    @Test
    void anythingElseIsRefusedAndStoresNothing() throws Exception {
        List<Envelope> out = serve(source, Envelope.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());
        assertEquals(1, out.size());
        assertEquals(CloseCode.UNEXPECTED_MESSAGE, out.get(0).getClose().getCode());
        assertTrue(desk.cases().isEmpty());
    }

    @Test
    void repliesAreBoundedByTheWireLimit() throws Exception {
        serve(source, submission(new byte[16], "hello"));
        long c = desk.cases().get(0).id();
        assertThrows(IllegalArgumentException.class, () -> desk.reply(c, "é".repeat(4097)));
        assertThrows(IllegalArgumentException.class, () -> desk.reply(c, ""));
        assertThrows(DropLineException.class, () -> desk.reply(c + 1, "x"));
    }

    @Test
    void settingsPersist() throws Exception {
        assertFalse(desk.enabled());
        desk.setEnabled(true);
        desk.setAcknowledgement("Got it.");
        desk.setRetentionDays(30);
        DropLineDesk again = new DropLineDesk(profile, RANDOM, Clock.systemUTC(), DropStore.Quotas.DEFAULT, Duration.ofSeconds(5),
                profile.identity().address());
        assertTrue(again.enabled());
        assertEquals("Got it.", again.acknowledgement());
        assertEquals(30, again.retentionDays());
        serve(source, submission(new byte[16], "hello"));
        assertEquals("Got it.", serve(source, checkIn()).get(0).getDropCase().getAcknowledgement());
    }

    @Test
    void subscribersHearSubmissionsChangesAndSwitchesInOrderUntilClosed() throws Exception {
        List<org.allium.core.api.DropEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.allium.core.api.Subscription sub = desk.subscribe(heard::add);
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        serve(source, submission(id, "the documents"));
        long caseId = desk.cases().get(0).id();
        desk.reply(caseId, "thanks");
        desk.setEnabled(true);
        assertEquals(List.of(new org.allium.core.api.DropEvent(org.allium.core.api.DropEvent.Kind.SUBMITTED, caseId, null),
                new org.allium.core.api.DropEvent(org.allium.core.api.DropEvent.Kind.CHANGED, caseId, null),
                new org.allium.core.api.DropEvent(org.allium.core.api.DropEvent.Kind.SWITCHED, 0, null)), heard);
        sub.close();
        desk.note(caseId, "team only");
        assertEquals(3, heard.size(), "nothing after the subscription was closed");
    }

    @Test
    void attachmentsAreListedAndOnlyACompleteOneCanBeExported() throws Exception {
        org.allium.contacts.api.FileOfferSpec spec = new org.allium.contacts.api.FileOfferSpec("../../etc/passwd", 10,
                1024, new byte[32], new byte[32]);
        org.allium.contacts.api.MessageId file = org.allium.contacts.api.MessageId.random(RANDOM);
        DropStore.Submitted s = profile.drops().submit(source.address().publicKey(), "a b 10",
                org.allium.contacts.api.MessageId.random(RANDOM), java.time.Instant.EPOCH, "see attached",
                List.of(new DropStore.NewAttachment(file, spec)), DropStore.Quotas.DEFAULT);
        List<DropStore.Attachment> list = desk.attachments(s.caseId());
        assertEquals(1, list.size());
        assertEquals(file, list.get(0).fileId());
        assertFalse(list.get(0).complete());
        DropLineException e = assertThrows(DropLineException.class, () -> desk.export(s.caseId(), file, tmp));
        assertTrue(e.getMessage().contains("not fully arrived"), e.getMessage());
        assertThrows(DropLineException.class, () -> desk.attachments(s.caseId() + 99));
    }
}
