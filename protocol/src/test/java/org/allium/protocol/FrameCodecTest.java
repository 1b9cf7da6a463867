package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.allium.protocol.proto.ChatMessage;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static byte[] concatFrames(List<Envelope> envelopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        envelopes.forEach(e -> out.writeBytes(FrameWriter.encode(e)));
        return out.toByteArray();
    }

    private static List<Envelope> decodeInPieces(byte[] stream, int pieceSize) throws FormatException {
        FrameDecoder d = new FrameDecoder(Limits.MAX_FRAME_POST_AUTH);
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < stream.length; i += pieceSize) {
            ByteBuffer piece = ByteBuffer.wrap(stream, i, Math.min(pieceSize, stream.length - i));
            for (Envelope e; (e = d.poll(piece)) != null; ) {
                out.add(e);
            }
            assertFalse(piece.hasRemaining());
        }
        d.endOfStream();
        return out;
    }

    @Test
    void everyMessageRoundTripsThroughWriterAndReaderWhichReportsBufferedInput() throws IOException {
        List<Envelope> samples = Samples.all();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(sink);
        for (Envelope e : samples) {
            w.write(e);
        }
        FrameReader r = new FrameReader(new ByteArrayInputStream(sink.toByteArray()), Limits.MAX_FRAME_POST_AUTH);
        for (Envelope e : samples) {
            assertTrue(r.hasBufferedInput(), "the next frame has arrived");
            assertEquals(e, r.read());
        }
        assertFalse(r.hasBufferedInput(), "all consumed");
        assertNull(r.read(), "clean end of stream");
    }

    @Test
    void inputSplitAtEveryByteBoundary() throws FormatException {
        List<Envelope> samples = new ArrayList<>(Samples.all());
        samples.removeIf(e -> e.getBodyCase() == Envelope.BodyCase.FILE_CHUNK); // keeps the quadratic loop fast
        byte[] stream = concatFrames(samples);
        assertEquals(samples, decodeInPieces(stream, 1));
        assertEquals(samples, decodeInPieces(stream, 7));
        // Two pieces, cut at every position.
        for (int cut = 0; cut <= stream.length; cut++) {
            FrameDecoder d = new FrameDecoder(Limits.MAX_FRAME_POST_AUTH);
            List<Envelope> out = new ArrayList<>();
            for (ByteBuffer piece : new ByteBuffer[] {ByteBuffer.wrap(stream, 0, cut), ByteBuffer.wrap(stream, cut, stream.length - cut)}) {
                for (Envelope e; (e = d.poll(piece)) != null; ) {
                    out.add(e);
                }
            }
            assertEquals(samples, out, "cut at " + cut);
        }
        Envelope chunk = Samples.all().stream().filter(e -> e.hasFileChunk()).findFirst().orElseThrow();
        assertEquals(List.of(chunk), decodeInPieces(FrameWriter.encode(chunk), 1));
    }

    @Test
    void blockingReaderHandlesOneByteReads() throws IOException {
        List<Envelope> samples = Samples.all();
        byte[] stream = concatFrames(samples);
        InputStream trickle = new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < stream.length ? stream[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= stream.length) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                b[off] = stream[pos++];
                return 1;
            }
        };
        FrameReader r = new FrameReader(trickle, Limits.MAX_FRAME_POST_AUTH);
        for (Envelope e : samples) {
            assertEquals(e, r.read());
        }
        assertNull(r.read());
    }

    @Test
    void oversizedFramesAreRejectedBeforeAllocation() {
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        FormatException e = assertThrows(FormatException.class, () -> new FrameDecoder().poll(huge, 0, 4));
        assertEquals(CloseCode.FRAME_TOO_LARGE, e.code());
        // A reader given only the header must fail on the length, not wait for 4 GiB.
        e = assertThrows(FormatException.class, () -> new FrameReader(new ByteArrayInputStream(huge)).read());
        assertEquals(CloseCode.FRAME_TOO_LARGE, e.code());
        // One byte over each cap.
        byte[] preAuthPlusOne = ByteBuffer.allocate(4).putInt(Limits.MAX_FRAME_PRE_AUTH + 1).array();
        assertEquals(CloseCode.FRAME_TOO_LARGE,
                assertThrows(FormatException.class, () -> new FrameDecoder().poll(preAuthPlusOne, 0, 4)).code());
        byte[] postAuthPlusOne = ByteBuffer.allocate(4).putInt(Limits.MAX_FRAME_POST_AUTH + 1).array();
        assertEquals(CloseCode.FRAME_TOO_LARGE, assertThrows(FormatException.class,
                () -> new FrameDecoder(Limits.MAX_FRAME_POST_AUTH).poll(postAuthPlusOne, 0, 4)).code());
    }

    @Test
    void capIsSwitchable() throws IOException {
        Envelope chunk = Samples.all().stream().filter(Envelope::hasFileChunk).findFirst().orElseThrow();
        byte[] frame = FrameWriter.encode(chunk);
        FrameDecoder d = new FrameDecoder();
        assertEquals(Limits.MAX_FRAME_PRE_AUTH, d.maxFrameLength());
        assertThrows(FormatException.class, () -> d.poll(frame, 0, frame.length));
        assertThrows(FormatException.class, () -> d.poll(frame, 0, 1), "a failed decoder stays failed");
        FrameDecoder d2 = new FrameDecoder();
        d2.setMaxFrameLength(Limits.MAX_FRAME_POST_AUTH);
        assertEquals(chunk, d2.poll(frame, 0, frame.length));
        FrameReader r = new FrameReader(new ByteArrayInputStream(frame));
        assertEquals(CloseCode.FRAME_TOO_LARGE, assertThrows(FormatException.class, r::read).code());
        r = new FrameReader(new ByteArrayInputStream(frame));
        r.setMaxFrameLength(Limits.MAX_FRAME_POST_AUTH);
        assertEquals(chunk, r.read());
        assertThrows(IllegalArgumentException.class, () -> d2.setMaxFrameLength(Limits.MAX_FRAME_POST_AUTH + 1));
    }

    @Test
    void truncatedFramesAreRejected() throws FormatException {
        byte[] frame = FrameWriter.encode(Samples.all().get(0));
        for (int len = 1; len < frame.length; len++) {
            byte[] part = java.util.Arrays.copyOf(frame, len);
            FrameDecoder d = new FrameDecoder();
            assertNull(d.poll(part, 0, len));
            assertTrue(d.isMidFrame());
            assertThrows(FormatException.class, d::endOfStream);
            FormatException e = assertThrows(FormatException.class, () -> new FrameReader(new ByteArrayInputStream(part)).read());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void garbageIsRejected() {
        // Length 5, then bytes that are not protobuf.
        byte[] garbage = {0, 0, 0, 5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertEquals(CloseCode.PROTOCOL_ERROR, assertThrows(FormatException.class, () -> new FrameDecoder().poll(garbage, 0, garbage.length)).code());
        byte[] empty = {0, 0, 0, 0};
        assertThrows(FormatException.class, () -> new FrameDecoder().poll(empty, 0, 4));
        // A valid protobuf with a field of the wrong wire type for Hello (varint instead of message).
        byte[] wrongWireType = {0, 0, 0, 2, 0x08, 0x01};
        assertThrows(FormatException.class, () -> new FrameDecoder().poll(wrongWireType, 0, wrongWireType.length));
        Random random = new Random(1);
        int rejected = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[4 + random.nextInt(64)];
            random.nextBytes(b);
            ByteBuffer.wrap(b).putInt(b.length - 4);
            try {
                Envelope e = new FrameDecoder().poll(b, 0, b.length);
                assertNotNull(e);
            } catch (FormatException expected) {
                rejected++;
            }
        }
        assertTrue(rejected > 1900, "random bytes are almost never a valid Envelope: " + rejected);
    }

    @Test
    void fieldLimitsAreEnforced() {
        Envelope shortNonce = Samples.all().get(0).toBuilder()
                .setHello(Samples.all().get(0).getHello().toBuilder().setClientNonce(ByteString.copyFrom(new byte[31]))).build();
        byte[] frame = rawFrame(shortNonce);
        FormatException e = assertThrows(FormatException.class, () -> new FrameDecoder().poll(frame, 0, frame.length));
        assertTrue(e.getMessage().contains("Hello.client_nonce"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.encode(shortNonce), "the writer refuses too");
        Envelope emptyText = Envelope.newBuilder().setChatMessage(ChatMessage.newBuilder().setId(Samples.bytes(16, 1)).setSequence(1)).build();
        assertThrows(FormatException.class, () -> Envelopes.validate(emptyText));
        Envelope badName = Samples.all().stream().filter(Envelope::hasFileOffer).findFirst().orElseThrow();
        for (String name : new String[] {"../etc/passwd", "a/b", "a\\b", "..", ".", "x\u0000", "evil\u202egpj.exe", "trailing."}) {
            Envelope bad = badName.toBuilder().setFileOffer(badName.getFileOffer().toBuilder().setName(name)).build();
            assertThrows(FormatException.class, () -> Envelopes.validate(bad), name);
        }
    }

    @Test
    void unknownFieldsAreTolerated() throws IOException {
        Envelope chat = Samples.all().stream().filter(Envelope::hasChatMessage).findFirst().orElseThrow();
        // ChatMessage bytes + unknown field 99 (varint) and 100 (bytes), inside the known message.
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(inner);
        chat.getChatMessage().writeTo(c);
        c.writeUInt64(99, 12345);
        c.writeBytes(100, ByteString.copyFromUtf8("future"));
        c.flush();
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(outer);
        o.writeBytes(18, ByteString.copyFrom(inner.toByteArray()));
        o.writeUInt32(1999, 7); // unknown Envelope field beside the body
        o.flush();
        Envelope parsed = Envelopes.parse(outer.toByteArray(), 0, outer.size());
        assertEquals(chat.getChatMessage().getText(), parsed.getChatMessage().getText());
        assertEquals(chat.getChatMessage().getId(), parsed.getChatMessage().getId());
        // An Envelope carrying only a message type from the future: parsed, flagged unknown.
        ByteArrayOutputStream future = new ByteArrayOutputStream();
        CodedOutputStream f = CodedOutputStream.newInstance(future);
        f.writeBytes(100, ByteString.copyFromUtf8("new message"));
        f.flush();
        Envelope unknown = Envelopes.parse(future.toByteArray(), 0, future.size());
        assertTrue(Envelopes.isUnknownType(unknown));
    }

    @Test
    void closeTextIsCutAtTheLimitWithoutSplittingCharacters() throws FormatException {
        Envelope e = Envelopes.close(CloseCode.NORMAL, "é".repeat(200));
        Envelopes.validate(e);
        assertTrue(e.getClose().getTextBytes().size() <= Limits.MAX_CLOSE_TEXT_BYTES);
        assertEquals(128, e.getClose().getText().length());
    }

    static byte[] rawFrame(Envelope e) {
        byte[] body = e.toByteArray();
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    @Test
    void writerStreamsLargeFramesByteExactly() throws IOException {
        for (Envelope e : Samples.all()) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            new FrameWriter(sink).write(e);
            assertArrayEquals(FrameWriter.encode(e), sink.toByteArray(), e.getBodyCase().toString());
        }
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : new String[] {"", "abc", "é", "€", "🌍", "a\ud800b", "\udc00", "x".repeat(5000) + "ü"}) {
            String t = s.translateEscapes();
            assertEquals(ByteString.copyFromUtf8(t).size(), Envelopes.utf8Length(t), s);
        }
    }
}
