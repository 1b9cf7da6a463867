package org.allium.protocol;

import static org.allium.protocol.Limits.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.allium.protocol.proto.Close;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.EndpointGrant;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileOffer;
import org.allium.protocol.proto.Purpose;

/**
 * Parsing and validation of Envelopes: the single place where field limits of
 * PROTOCOL.md §5 are enforced. Every Envelope that comes out of {@link FrameDecoder} or
 * {@link FrameReader} has passed {@link #validate}. Stateless and thread-safe.
 */
public final class Envelopes {
    private Envelopes() {
    }

    /**
     * Parses and validates one Envelope from exactly {@code length} bytes. Bytes fields
     * alias {@code buffer}, which the caller must not modify afterwards.
     *
     * @throws FormatException if the bytes are not a valid Envelope
     */
    public static Envelope parse(byte[] buffer, int offset, int length) throws FormatException {
        checkTopLevel(buffer, offset, length);
        Envelope envelope;
        try {
            // An "immutable" input lets bytes fields alias the frame buffer instead of copying it.
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(buffer, offset, length).newCodedInput();
            in.enableAliasing(true);
            envelope = Envelope.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new FormatException("not a valid Envelope: " + e.getMessage());
        } catch (IOException e) {
            throw new FormatException("not a valid Envelope", e); // reading an array cannot fail otherwise
        }
        validate(envelope);
        return envelope;
    }

    /** Nesting of unknown groups at the top level of an Envelope beyond this is refused (protobuf's own recursion limit). */
    static final int MAX_GROUP_DEPTH = 100;
    /** Field numbers of the Envelope's {@code body} oneof (every field of Envelope is in it). */
    private static final boolean[] BODY_FIELD = new boolean[2048];

    static {
        for (var f : Envelope.getDescriptor().getFields()) {
            BODY_FIELD[f.getNumber()] = true;
        }
    }

    /**
     * Walks the top-level tags of an Envelope before protobuf parses it, because protobuf
     * keeps only the last of several {@code body} fields (or merges repeats of the same one)
     * where PROTOCOL.md §3 demands exactly one; and walks unknown groups iteratively, so
     * that their nesting is bounded here and not by the thread's stack.
     */
    private static void checkTopLevel(byte[] buffer, int offset, int length) throws FormatException {
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        int bodies = 0;
        int depth = 0;
        try {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    if (depth != 0) {
                        throw new FormatException("not a valid Envelope: unterminated group");
                    }
                    return;
                }
                int number = com.google.protobuf.WireFormat.getTagFieldNumber(tag);
                int type = com.google.protobuf.WireFormat.getTagWireType(tag);
                if (type == com.google.protobuf.WireFormat.WIRETYPE_START_GROUP) {
                    if (++depth > MAX_GROUP_DEPTH) {
                        throw new FormatException("not a valid Envelope: groups nested deeper than " + MAX_GROUP_DEPTH);
                    }
                    continue;
                }
                if (type == com.google.protobuf.WireFormat.WIRETYPE_END_GROUP) {
                    if (--depth < 0) {
                        throw new FormatException("not a valid Envelope: end of a group never started");
                    }
                    continue;
                }
                if (depth == 0 && number < BODY_FIELD.length && BODY_FIELD[number]) {
                    if (type != com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        throw new FormatException("Envelope field " + number + " has the wrong wire type");
                    }
                    if (++bodies > 1) {
                        throw new FormatException("Envelope: more than one body field");
                    }
                }
                if (!in.skipField(tag)) {
                    throw new FormatException("not a valid Envelope: bad tag");
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new FormatException("not a valid Envelope: " + e.getMessage());
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new FormatException("not a valid Envelope", e);
        }
    }

    /** Whether the Envelope carries a message type this version does not know (only unknown fields). */
    public static boolean isUnknownType(Envelope e) {
        return e.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET;
    }

    /** An Envelope carrying {@code Close{code, text}}; the text is cut to the limit. */
    public static Envelope close(CloseCode code, String text) {
        return Envelope.newBuilder().setClose(Close.newBuilder().setCode(code).setText(truncateUtf8(text, MAX_CLOSE_TEXT_BYTES))).build();
    }

    /** {@code text} cut to at most {@code maxBytes} UTF-8 bytes, on a character boundary. */
    public static String truncateUtf8(String text, int maxBytes) {
        if (text == null) {
            return "";
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return text;
        }
        int end = maxBytes;
        while (end > 0 && (b[end] & 0xc0) == 0x80) {
            end--; // do not cut a code point in half
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Checks every field of the Envelope against the limits of PROTOCOL.md §5.
     *
     * @throws FormatException naming the message and field that is wrong
     */
    public static void validate(Envelope e) throws FormatException {
        switch (e.getBodyCase()) {
            case BODY_NOT_SET -> {
                if (e.getUnknownFields().asMap().isEmpty()) {
                    throw new FormatException("empty Envelope");
                }
                for (int number : e.getUnknownFields().asMap().keySet()) {
                    // protobuf files a known field with the wrong wire type under unknown fields
                    check(Envelope.getDescriptor().findFieldByNumber(number) == null,
                            "Envelope field " + number + " has the wrong wire type");
                }
            }
            case HELLO -> {
                var m = e.getHello();
                List<Integer> versions = m.getVersionsList();
                check(!versions.isEmpty() && versions.size() <= MAX_VERSIONS, "Hello.versions: 1.." + MAX_VERSIONS + " entries");
                Set<Integer> seen = new HashSet<>();
                for (int v : versions) {
                    check(v != 0, "Hello.versions: 0 is not a version"); // uint32: 2^31 and above read as negative
                    check(seen.add(v), "Hello.versions: duplicate version");
                }
                bytes(m.getClientNonce(), NONCE_LENGTH, "Hello.client_nonce");
                bytes(m.getClientId(), KEY_LENGTH, "Hello.client_id");
                check(m.getPurpose() != Purpose.PURPOSE_UNSPECIFIED && m.getPurpose() != Purpose.UNRECOGNIZED,
                        "Hello.purpose: unknown purpose");
                bytes(m.getDialledId(), KEY_LENGTH, "Hello.dialled_id");
            }
            case CHALLENGE -> {
                var m = e.getChallenge();
                check(m.getVersion() != 0, "Challenge.version: 0 is not a version");
                bytes(m.getServerNonce(), NONCE_LENGTH, "Challenge.server_nonce");
                bytes(m.getServerId(), KEY_LENGTH, "Challenge.server_id");
            }
            case AUTH -> bytes(e.getAuth().getClientSignature(), SIGNATURE_LENGTH, "Auth.client_signature");
            case AUTH_OK -> bytes(e.getAuthOk().getServerSignature(), SIGNATURE_LENGTH, "AuthOk.server_signature");
            case CLOSE -> text(e.getClose().getText(), 0, MAX_CLOSE_TEXT_BYTES, "Close.text");
            case KEEP_ALIVE -> {
            }
            case CONTACT_REQUEST -> {
                var m = e.getContactRequest();
                bytes(m.getRequestId(), ID_LENGTH, "ContactRequest.request_id");
                text(m.getNickname(), 0, MAX_NICKNAME_BYTES, "ContactRequest.nickname");
                text(m.getText(), 0, MAX_REQUEST_TEXT_BYTES, "ContactRequest.text");
                check(m.hasEndpoint(), "ContactRequest.endpoint: missing");
                grant(m.getEndpoint(), "ContactRequest.endpoint");
            }
            case CONTACT_RESPONSE -> {
                var m = e.getContactResponse();
                bytes(m.getRequestId(), ID_LENGTH, "ContactResponse.request_id");
                if (m.getAccepted()) {
                    check(m.hasEndpoint(), "ContactResponse.endpoint: missing in an acceptance");
                }
                if (m.hasEndpoint()) {
                    grant(m.getEndpoint(), "ContactResponse.endpoint");
                }
            }
            case CHAT_MESSAGE -> {
                var m = e.getChatMessage();
                bytes(m.getId(), ID_LENGTH, "ChatMessage.id");
                check(m.getSequence() >= 1, "ChatMessage.sequence: starts at 1");
                text(m.getText(), 1, MAX_CHAT_TEXT_BYTES, "ChatMessage.text");
            }
            case ACK -> {
                var m = e.getAck();
                check(m.getIdsCount() >= 1 && m.getIdsCount() <= MAX_ACK_IDS, "Ack.ids: 1.." + MAX_ACK_IDS + " entries");
                for (ByteString id : m.getIdsList()) {
                    bytes(id, ID_LENGTH, "Ack.ids");
                }
            }
            case DROP_SUBMISSION -> {
                var m = e.getDropSubmission();
                bytes(m.getId(), ID_LENGTH, "DropSubmission.id");
                text(m.getText(), 1, MAX_DROP_TEXT_BYTES, "DropSubmission.text");
                if (m.hasReplyEndpoint()) {
                    grant(m.getReplyEndpoint(), "DropSubmission.reply_endpoint");
                }
                check(m.getFilesCount() <= MAX_DROP_FILES, "DropSubmission.files: 0.." + MAX_DROP_FILES);
                java.util.Set<ByteString> ids = new java.util.HashSet<>();
                for (org.allium.protocol.proto.DropFile f : m.getFilesList()) {
                    dropFile(f, "DropSubmission.files");
                    check(ids.add(f.getId()), "DropSubmission.files: an id twice");
                }
            }
            case DROP_CHECK_IN -> {
            }
            case DROP_CASE -> {
                var m = e.getDropCase();
                check(m.getState() != org.allium.protocol.proto.DropState.DROP_STATE_UNSPECIFIED
                        && m.getState() != org.allium.protocol.proto.DropState.UNRECOGNIZED, "DropCase.state: unknown state");
                check(m.getRefusal() != org.allium.protocol.proto.DropRefusal.UNRECOGNIZED, "DropCase.refusal: unknown refusal");
                text(m.getAcknowledgement(), 0, MAX_DROP_ACK_BYTES, "DropCase.acknowledgement");
                check(Integer.toUnsignedLong(m.getReplyCount()) <= MAX_DROP_REPLIES, "DropCase.reply_count: 0.." + MAX_DROP_REPLIES);
                check(m.getFilesCount() <= MAX_DROP_FILE_STATUSES, "DropCase.files: 0.." + MAX_DROP_FILE_STATUSES);
                check(m.getMaxFileSize() >= 0, "DropCase.max_file_size: at most 2^63 - 1");
                check(m.getMaxFileSize() == 0 || m.getRefusal() == org.allium.protocol.proto.DropRefusal.DROP_TOO_LARGE,
                        "DropCase.max_file_size: only with DROP_TOO_LARGE");
                for (org.allium.protocol.proto.DropFileStatus f : m.getFilesList()) {
                    bytes(f.getId(), ID_LENGTH, "DropFileStatus.id");
                    text(f.getName(), 1, MAX_FILE_NAME_BYTES, "DropFileStatus.name");
                    check(f.getReceived() >= 0 && f.getSize() >= 0 && f.getReceived() <= f.getSize(),
                            "DropFileStatus.received: 0..size");
                }
            }
            case DROP_REPLY -> {
                var m = e.getDropReply();
                bytes(m.getId(), ID_LENGTH, "DropReply.id");
                text(m.getText(), 1, MAX_DROP_REPLY_BYTES, "DropReply.text");
            }
            case FILE_OFFER -> fileOffer(e.getFileOffer());
            case FILE_ACCEPT -> bytes(e.getFileAccept().getFileId(), ID_LENGTH, "FileAccept.file_id");
            case FILE_DECLINE -> bytes(e.getFileDecline().getFileId(), ID_LENGTH, "FileDecline.file_id");
            case FILE_RESUME -> {
                var m = e.getFileResume();
                bytes(m.getFileId(), ID_LENGTH, "FileResume.file_id");
                check(m.getHave().size() <= MAX_CHUNKS / 8, "FileResume.have: more than " + MAX_CHUNKS + " chunks");
                check(m.getWindow() >= 1 && m.getWindow() <= MAX_WINDOW, "FileResume.window: 1.." + MAX_WINDOW);
            }
            case FILE_HASHES -> {
                var m = e.getFileHashes();
                bytes(m.getFileId(), ID_LENGTH, "FileHashes.file_id");
                int n = m.getHashes().size() / HASH_LENGTH;
                check(m.getHashes().size() % HASH_LENGTH == 0 && n >= 1 && n <= MAX_HASHES_PER_FRAME,
                        "FileHashes.hashes: 1.." + MAX_HASHES_PER_FRAME + " hashes of 32 bytes");
                check(Integer.toUnsignedLong(m.getFirstIndex()) + n <= MAX_CHUNKS, "FileHashes.first_index: beyond the last chunk");
            }
            case FILE_CHUNK -> {
                var m = e.getFileChunk();
                bytes(m.getFileId(), ID_LENGTH, "FileChunk.file_id");
                check(Integer.toUnsignedLong(m.getIndex()) < MAX_CHUNKS, "FileChunk.index: beyond the last chunk");
                check(!m.getData().isEmpty() && m.getData().size() <= MAX_CHUNK_SIZE, "FileChunk.data: 1.." + MAX_CHUNK_SIZE + " bytes");
            }
            case FILE_PROGRESS -> {
                var m = e.getFileProgress();
                bytes(m.getFileId(), ID_LENGTH, "FileProgress.file_id");
                check(m.getVerifiedCount() >= 1 && m.getVerifiedCount() <= MAX_PROGRESS_ENTRIES,
                        "FileProgress.verified: 1.." + MAX_PROGRESS_ENTRIES + " entries");
                for (int i : m.getVerifiedList()) {
                    check(Integer.toUnsignedLong(i) < MAX_CHUNKS, "FileProgress.verified: beyond the last chunk");
                }
            }
            case FILE_DONE -> bytes(e.getFileDone().getFileId(), ID_LENGTH, "FileDone.file_id");
            case FILE_ABORT -> bytes(e.getFileAbort().getFileId(), ID_LENGTH, "FileAbort.file_id");
            case GROUP_INVITATION -> GroupMessages.validate(e.getGroupInvitation());
            case GROUP_MESSAGE -> GroupMessages.validate(e.getGroupMessage(), "GroupMessage");
            case GROUP_SUMMARY -> GroupMessages.validate(e.getGroupSummary());
            case DROP_SYNC -> dropSync(e.getDropSync());
            case DROP_SYNC_ACK -> {
                var m = e.getDropSyncAck();
                check(m.getIdsCount() >= 1 && m.getIdsCount() <= MAX_ACK_IDS, "DropSyncAck.ids: 1.." + MAX_ACK_IDS + " entries");
                for (ByteString id : m.getIdsList()) {
                    bytes(id, ID_LENGTH, "DropSyncAck.ids");
                }
            }
        }
    }

    /** PROTOCOL.md §13.4. */
    private static void dropSync(org.allium.protocol.proto.DropSync m) throws FormatException {
        bytes(m.getId(), ID_LENGTH, "DropSync.id");
        bytes(m.getCaseRef(), ID_LENGTH, "DropSync.case_ref");
        switch (m.getOpCase()) {
            case HEAD -> {
                var h = m.getHead();
                text(h.getPseudonym(), 1, MAX_DROP_NAME_BYTES, "DropSyncHead.pseudonym");
                check(h.getState() != org.allium.protocol.proto.DropState.DROP_STATE_UNSPECIFIED
                        && h.getState() != org.allium.protocol.proto.DropState.UNRECOGNIZED, "DropSyncHead.state: unknown state");
                if (h.hasAssignee()) {
                    dropOperator(h.getAssignee(), "DropSyncHead.assignee");
                }
            }
            case ITEM -> {
                var i = m.getItem();
                bytes(i.getItemId(), ID_LENGTH, "DropSyncItem.item_id");
                check(i.getKind() != org.allium.protocol.proto.DropItemKind.DROP_ITEM_KIND_UNSPECIFIED
                        && i.getKind() != org.allium.protocol.proto.DropItemKind.UNRECOGNIZED, "DropSyncItem.kind: unknown kind");
                int max = i.getKind() == org.allium.protocol.proto.DropItemKind.DROP_ITEM_SUBMISSION
                        ? MAX_DROP_TEXT_BYTES : MAX_DROP_REPLY_BYTES;
                text(i.getText(), 1, max, "DropSyncItem.text");
                if (i.hasAuthor()) {
                    dropOperator(i.getAuthor(), "DropSyncItem.author");
                }
            }
            case SET -> {
                var x = m.getSet();
                int st = x.getStateValue();
                check(st == 0 || (st >= 2 && st <= 4), "DropSyncSet.state: 0 or 2..4");
                check(x.getAssignee().isEmpty() || x.getAssignee().size() == 32, "DropSyncSet.assignee: 0 or 32 bytes");
                check(x.getSetAssignee() || x.getAssignee().isEmpty(), "DropSyncSet.assignee: set_assignee is false");
            }
            case DELETE -> {
            }
            case FILE -> {
                var f = m.getFile();
                bytes(f.getItemId(), ID_LENGTH, "DropSyncFile.item_id");
                check(f.hasFile(), "DropSyncFile.file: required");
                dropFile(f.getFile(), "DropSyncFile.file");
            }
            case OP_NOT_SET -> throw new FormatException("DropSync: no operation");
        }
    }

    private static void dropOperator(org.allium.protocol.proto.DropOperator o, String field) throws FormatException {
        bytes(o.getKey(), 32, field + ".key");
        text(o.getName(), 0, MAX_DROP_NAME_BYTES, field + ".name");
    }

    /** PROTOCOL.md §13.5: the fields of a FileOffer (§9.1). */
    private static void dropFile(org.allium.protocol.proto.DropFile m, String field) throws FormatException {
        bytes(m.getId(), ID_LENGTH, field + ".id");
        text(m.getName(), 1, MAX_FILE_NAME_BYTES, field + ".name");
        check(isSafeFileName(m.getName()), field + ".name: not a plain file name");
        long chunk = Integer.toUnsignedLong(m.getChunkSize());
        check(chunk >= MIN_CHUNK_SIZE && chunk <= MAX_CHUNK_SIZE, field + ".chunk_size: " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE);
        check(m.getSize() >= 0 && m.getSize() <= chunk * MAX_CHUNKS, field + ".size: more than " + MAX_CHUNKS + " chunks");
        bytes(m.getFileSha256(), HASH_LENGTH, field + ".file_sha256");
        bytes(m.getChunkHashesSha256(), HASH_LENGTH, field + ".chunk_hashes_sha256");
    }

    private static void fileOffer(FileOffer m) throws FormatException {
        bytes(m.getId(), ID_LENGTH, "FileOffer.id");
        check(m.getSequence() >= 1, "FileOffer.sequence: starts at 1");
        text(m.getName(), 1, MAX_FILE_NAME_BYTES, "FileOffer.name");
        check(isSafeFileName(m.getName()), "FileOffer.name: not a plain file name");
        long chunk = Integer.toUnsignedLong(m.getChunkSize());
        check(chunk >= MIN_CHUNK_SIZE && chunk <= MAX_CHUNK_SIZE, "FileOffer.chunk_size: " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE);
        check(m.getSize() >= 0 && m.getSize() <= chunk * MAX_CHUNKS, "FileOffer.size: more than " + MAX_CHUNKS + " chunks");
        bytes(m.getFileSha256(), HASH_LENGTH, "FileOffer.file_sha256");
        bytes(m.getChunkHashesSha256(), HASH_LENGTH, "FileOffer.chunk_hashes_sha256");
    }

    /**
     * Whether {@code name} is a plain file name that is safe to create in a directory on
     * any common OS: no path separators, no control characters, not {@code .}/{@code ..},
     * no leading or trailing space or dot.
     */
    public static boolean isSafeFileName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        if (name.startsWith(" ") || name.endsWith(" ") || name.endsWith(".")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || "/\\:*?\"<>|".indexOf(c) >= 0 || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069)) {
                return false; // separators, Windows-reserved and bidi-override characters
            }
        }
        return true;
    }

    private static void grant(EndpointGrant g, String field) throws FormatException {
        bytes(g.getEndpointId(), KEY_LENGTH, field + ".endpoint_id");
        bytes(g.getClientAuthKey(), KEY_LENGTH, field + ".client_auth_key");
        check(isClamped(g.getClientAuthKey()), field + ".client_auth_key: not a clamped x25519 private key");
    }

    /** RFC 7748 clamping (PROTOCOL.md §2.3): {@code k[0] & 7 == 0}, {@code k[31] & 0x80 == 0}, {@code k[31] & 0x40 != 0}. */
    static boolean isClamped(ByteString k) {
        return (k.byteAt(0) & 7) == 0 && (k.byteAt(31) & 0xc0) == 0x40;
    }

    private static void bytes(ByteString b, int length, String field) throws FormatException {
        if (b.size() != length) {
            throw new FormatException(field + ": expected " + length + " bytes, got " + b.size());
        }
    }

    private static void text(String s, int min, int max, String field) throws FormatException {
        long n = utf8Length(s);
        if (n < min || n > max) {
            throw new FormatException(field + ": " + min + ".." + max + " UTF-8 bytes, got " + n);
        }
    }

    /**
     * The number of bytes protobuf will write for {@code s}, without encoding it (an
     * unpaired surrogate, possible only in a locally built string, is written as '?').
     */
    static long utf8Length(String s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1; // protobuf writes an unpaired surrogate as '?'
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static void check(boolean ok, String message) throws FormatException {
        if (!ok) {
            throw new FormatException(message);
        }
    }
}
