package org.allium.bench;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.List;
import org.allium.protocol.ClientHandshake;
import org.allium.protocol.FrameDecoder;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.MessageId;
import org.allium.protocol.ServerHandshake;
import org.allium.protocol.proto.ChatMessage;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileChunk;
import org.allium.protocol.proto.Purpose;

/** What the protocol benchmarks send, built the way an application would build it. */
final class Payloads {
    static final int CHAT_TEXT_BYTES = 1024;
    static final int CHUNK_BYTES = 60 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TEXT = "x".repeat(CHAT_TEXT_BYTES);
    private static final ByteString CHUNK;
    private static final ByteString FILE_ID = MessageId.random(RANDOM).toByteString();
    private static final IdentityKeyPair ALICE = IdentityKeyPair.generate(RANDOM);
    private static final IdentityKeyPair BOB = IdentityKeyPair.generate(RANDOM);

    static {
        byte[] b = new byte[CHUNK_BYTES];
        RANDOM.nextBytes(b);
        CHUNK = ByteString.copyFrom(b);
    }

    private Payloads() {
    }

    static Envelope chat(long sequence) {
        return Envelope.newBuilder().setChatMessage(ChatMessage.newBuilder()
                .setId(MessageId.random(RANDOM).toByteString()).setSequence(sequence)
                .setComposedAtMs(System.currentTimeMillis()).setText(TEXT)).build();
    }

    static Envelope chunk(int index) {
        return Envelope.newBuilder().setFileChunk(FileChunk.newBuilder().setFileId(FILE_ID).setIndex(index)
                .setData(CHUNK)).build();
    }

    /** Size of the frame a payload makes, so the raw baseline moves the same number of bytes. */
    static int frameLength(Envelope e) {
        return FrameWriter.encode(e).length;
    }

    /** One complete handshake, both sides, through the real frame codec; returns a hash byte to defeat dead-code elimination. */
    static byte handshake() throws Exception {
        ClientHandshake c = new ClientHandshake(ALICE, BOB.address(), BOB.address(), Purpose.CONTACT_SESSION, RANDOM);
        ServerHandshake s = new ServerHandshake(BOB, d -> d.equals(BOB.address()), RANDOM);
        Envelope authOk = s.onMessage(wire(c.onMessage(wire(s.onMessage(wire(c.start()))))));
        c.onMessage(wire(authOk));
        return c.result().transcriptHash()[0];
    }

    private static Envelope wire(Envelope e) throws Exception {
        byte[] frame = FrameWriter.encode(e);
        return new FrameDecoder().poll(frame, 0, frame.length);
    }

    static final List<String> KINDS = List.of("chat1k", "chunk60k");
}
