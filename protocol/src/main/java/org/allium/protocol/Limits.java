package org.allium.protocol;

import java.time.Duration;

/** Every limit and timing constant of protocol version 1 (PROTOCOL.md §3, §7, §9). */
public final class Limits {
    private Limits() {
    }

    /** Protocol versions this implementation speaks. */
    public static final java.util.List<Integer> SUPPORTED_VERSIONS = java.util.List.of(1);
    /** Frame header: uint32 big-endian length of the Envelope that follows. */
    public static final int HEADER_LENGTH = 4;
    /** Largest Envelope before the handshake completed. */
    public static final int MAX_FRAME_PRE_AUTH = 4 * 1024;
    /** Largest Envelope after the handshake completed. */
    public static final int MAX_FRAME_POST_AUTH = 64 * 1024;

    public static final int NONCE_LENGTH = 32;
    public static final int KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;
    public static final int ID_LENGTH = 16;
    public static final int HASH_LENGTH = 32;
    public static final int MAX_VERSIONS = 16;
    public static final int MAX_CLOSE_TEXT_BYTES = 256;
    public static final int MAX_NICKNAME_BYTES = 64;
    public static final int MAX_REQUEST_TEXT_BYTES = 1024;
    public static final int MAX_CHAT_TEXT_BYTES = 8192;
    public static final int MAX_DROP_TEXT_BYTES = 32768;
    public static final int MAX_ACK_IDS = 256;
    /** Drop line (PROTOCOL.md §12): a reply, the acknowledgement text, replies per answer. */
    public static final int MAX_DROP_REPLY_BYTES = 8192;
    public static final int MAX_DROP_ACK_BYTES = 1024;
    public static final int MAX_DROP_REPLIES = 64;
    /** A pseudonym or an operator's name in the operator sync (PROTOCOL.md §13.4). */
    public static final int MAX_DROP_NAME_BYTES = 64;
    /** Drop line (PROTOCOL.md §13.5): attachments per submission, attachment states per DropCase. */
    public static final int MAX_DROP_FILES = 16;
    public static final int MAX_DROP_FILE_STATUSES = 64;
    public static final int MAX_FILE_NAME_BYTES = 255;
    public static final int MIN_CHUNK_SIZE = 1024;
    public static final int MAX_CHUNK_SIZE = 60 * 1024;
    public static final int MAX_CHUNKS = 1 << 18;
    public static final int MAX_WINDOW = 64;
    public static final int MAX_HASHES_PER_FRAME = 1024;
    public static final int MAX_PROGRESS_ENTRIES = 64;

    /** Each handshake step (waiting for the peer's next message) must finish within this. */
    public static final Duration HANDSHAKE_STEP_TIMEOUT = Duration.ofSeconds(30);
    /** The whole handshake, from the connection to AuthOk, must finish within this. */
    public static final Duration HANDSHAKE_DEADLINE = Duration.ofSeconds(40);
    /** Send a KeepAlive after this long without sending anything. */
    public static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(60);
    /** Close with TIMEOUT after this long without receiving anything (3 keepalives missed). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(180);
}
