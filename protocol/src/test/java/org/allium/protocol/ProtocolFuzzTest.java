package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.protocol.proto.Envelope;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz tests of everything a peer can reach before authentication. In the normal
 * test run they replay the committed corpus (src/test/resources/org/allium/protocol/
 * ProtocolFuzzTestInputs/&lt;method&gt;/); with JAZZER_FUZZ=1 they fuzz (see README).
 * Only {@link ProtocolException} may escape the code under test; anything else fails.
 */
class ProtocolFuzzTest {
    /** Counts executed inputs, so the run proves the fuzz tests really ran. */
    static final AtomicInteger EXECUTIONS = new AtomicInteger();

    @AfterAll
    static void corpusWasReplayed() {
        // 3 methods × (committed seeds + the empty input Jazzer always adds)
        assertTrue(EXECUTIONS.get() >= 12, "fuzz tests executed only " + EXECUTIONS.get() + " inputs");
    }

    /** The incremental decoder (chunk sizes chosen by the input) and the blocking reader agree. */
    @FuzzTest
    void frameReader(byte[] data) throws IOException {
        EXECUTIONS.incrementAndGet();
        if (data.length == 0) {
            return;
        }
        int piece = 1 + (data[0] & 0x3f);
        byte[] stream = java.util.Arrays.copyOfRange(data, 1, data.length);
        List<Envelope> incremental = new ArrayList<>();
        FormatException incrementalError = null;
        FrameDecoder decoder = new FrameDecoder(Limits.MAX_FRAME_POST_AUTH);
        try {
            for (int i = 0; i < stream.length; i += piece) {
                ByteBuffer b = ByteBuffer.wrap(stream, i, Math.min(piece, stream.length - i));
                for (Envelope e; (e = decoder.poll(b)) != null; ) {
                    incremental.add(e);
                }
            }
            decoder.endOfStream();
        } catch (FormatException e) {
            incrementalError = e;
        }
        List<Envelope> blocking = new ArrayList<>();
        FormatException blockingError = null;
        FrameReader reader = new FrameReader(new ByteArrayInputStream(stream), Limits.MAX_FRAME_POST_AUTH);
        try {
            for (Envelope e; (e = reader.read()) != null; ) {
                blocking.add(e);
            }
        } catch (FormatException e) {
            blockingError = e;
        }
        assertEquals(incremental, blocking);
        assertEquals(incrementalError == null, blockingError == null);
        if (incrementalError != null) {
            assertEquals(incrementalError.code(), blockingError.code());
        }
        for (Envelope e : incremental) {
            byte[] again = FrameWriter.encode(e); // whatever we accept, we can send
            assertEquals(e, new FrameDecoder(Limits.MAX_FRAME_POST_AUTH).poll(again, 0, again.length));
        }
    }

    /** Envelope parsing and validation of one frame body. */
    @FuzzTest
    void envelopeParser(byte[] data) {
        EXECUTIONS.incrementAndGet();
        try {
            Envelope e = Envelopes.parse(data, 0, data.length);
            Envelopes.validate(e);
            if (!Envelopes.isUnknownType(e)) {
                byte[] body = e.toByteArray();
                assertEquals(e, Envelopes.parse(body, 0, body.length));
            }
        } catch (FormatException expected) {
            // rejected cleanly
        }
    }

    /**
     * The server handshake fed frames from the input. If the first byte is odd, a valid Hello
     * of the golden client (whose Auth would verify for the fixed server nonce) comes first,
     * so the fuzzer reaches the Auth state.
     */
    @FuzzTest
    void serverHandshake(byte[] data) throws IOException {
        EXECUTIONS.incrementAndGet();
        ServerHandshake server = new ServerHandshake(GoldenVectors.BOB,
                d -> d.equals(GoldenVectors.BOB.address()) || d.equals(GoldenVectors.BOB_ENDPOINT.address()),
                GoldenVectors.fixed(GoldenVectors.SERVER_NONCE));
        assertNull(server.start());
        FrameDecoder decoder = new FrameDecoder();
        try {
            if (data.length > 0 && (data[0] & 1) == 1) {
                Envelope hello = new ClientHandshake(GoldenVectors.ALICE, GoldenVectors.BOB.address(), GoldenVectors.BOB.address(),
                        org.allium.protocol.proto.Purpose.CONTACT_REQUEST, GoldenVectors.fixed(GoldenVectors.CLIENT_NONCE)).start();
                server.onMessage(hello);
            }
            ByteBuffer in = ByteBuffer.wrap(data, Math.min(1, data.length), Math.max(0, data.length - 1));
            for (Envelope e; !server.isComplete() && (e = decoder.poll(in)) != null; ) {
                server.onMessage(e);
            }
        } catch (ProtocolException expected) {
            return;
        }
        if (server.isComplete()) {
            // Only a real signature of the golden client can complete: nothing was forged.
            assertEquals(GoldenVectors.ALICE.address(), server.result().client());
        }
    }
}
