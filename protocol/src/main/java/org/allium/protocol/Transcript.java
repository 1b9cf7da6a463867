package org.allium.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.allium.protocol.proto.Purpose;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The handshake transcript both sides sign (PROTOCOL.md §6.3):
 *
 * <pre>
 * T = u32(version) ‖ u8(n) ‖ u32(versions[0]) … u32(versions[n-1]) ‖ u32(purpose)
 *     ‖ client_id[32] ‖ server_id[32] ‖ dialled_id[32] ‖ client_nonce[32] ‖ server_nonce[32]
 * H = SHA-256(T)
 * client signs "allium/v1/handshake/client" ‖ H;  server signs "allium/v1/handshake/server" ‖ H
 * </pre>
 * All integers big-endian; {@code versions} exactly as listed in the client's Hello.
 */
public final class Transcript {
    static final byte[] CLIENT_LABEL = "allium/v1/handshake/client".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SERVER_LABEL = "allium/v1/handshake/server".getBytes(StandardCharsets.US_ASCII);

    private Transcript() {
    }

    /** The transcript bytes T. */
    public static byte[] bytes(int version, List<Integer> offered, Purpose purpose, byte[] clientId, byte[] serverId,
            byte[] dialledId, byte[] clientNonce, byte[] serverNonce) {
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 * offered.size() + 4 + 5 * 32);
        b.putInt(version);
        b.put((byte) offered.size());
        for (int v : offered) {
            b.putInt(v);
        }
        b.putInt(purpose.getNumber());
        b.put(clientId).put(serverId).put(dialledId).put(clientNonce).put(serverNonce);
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("transcript field of the wrong length");
        }
        return b.array();
    }

    /** H = SHA-256(T). */
    public static byte[] hash(byte[] transcript) {
        SHA256Digest sha = new SHA256Digest();
        sha.update(transcript, 0, transcript.length);
        byte[] h = new byte[32];
        sha.doFinal(h, 0);
        return h;
    }

    /** What the client signs: {@code "allium/v1/handshake/client" ‖ H}. */
    public static byte[] clientMessage(byte[] hash) {
        return concat(CLIENT_LABEL, hash);
    }

    /** What the server signs: {@code "allium/v1/handshake/server" ‖ H}. */
    public static byte[] serverMessage(byte[] hash) {
        return concat(SERVER_LABEL, hash);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
