package org.allium.protocol;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.allium.protocol.proto.GroupAction;
import org.allium.protocol.proto.GroupHead;
import org.allium.protocol.proto.GroupInvitation;
import org.allium.protocol.proto.GroupMember;
import org.allium.protocol.proto.GroupMessage;
import org.allium.protocol.proto.GroupSummary;

/**
 * Private-group messages (PROTOCOL.md §12): field limits, the canonical signed bytes, message
 * and group ids, signing and verification. Stateless and thread-safe; the membership rules
 * that need a group's state are the application's.
 */
public final class GroupMessages {
    private GroupMessages() {
    }

    public static final int GROUP_ID_LENGTH = 16;
    public static final int SALT_LENGTH = 16;
    public static final int MAX_PARENTS = 8;
    public static final int MAX_POST_BYTES = Limits.MAX_CHAT_TEXT_BYTES;
    public static final int MAX_NAME_BYTES = 100;
    public static final int MAX_MEMBERS = 100;
    public static final int MAX_HEADS = 256;

    static final byte[] SIGN_LABEL = "allium group message v1\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ID_LABEL = "allium group message id v1\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] GROUP_ID_LABEL = "allium group id v1\0".getBytes(StandardCharsets.US_ASCII);

    /** The group id a creator key and salt give: SHA-256(label ‖ creator ‖ salt)[0..16). */
    public static byte[] groupId(byte[] creator, byte[] salt) {
        return Arrays.copyOf(sha256(GROUP_ID_LABEL, creator, salt), GROUP_ID_LENGTH);
    }

    /**
     * The bytes an author signs (§12.2), independent of protobuf encoding:
     * label ‖ group_id ‖ author ‖ u64 sequence ‖ i64 composed_at_ms ‖ u8 action ‖
     * u8 n ‖ n × parent ‖ u32 len ‖ text ‖ u8 len ‖ subject ‖ u64 subject_seq.
     */
    public static byte[] signedBytes(GroupMessage m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + m.getText().length() * 3);
        out.writeBytes(SIGN_LABEL);
        out.writeBytes(m.getGroupId().toByteArray());
        out.writeBytes(m.getAuthor().toByteArray());
        u64(out, m.getSequence());
        u64(out, m.getComposedAtMs());
        out.write(m.getActionValue() & 0xff);
        out.write(m.getParentsCount() & 0xff);
        for (ByteString p : m.getParentsList()) {
            out.writeBytes(p.toByteArray());
        }
        byte[] text = m.getText().getBytes(StandardCharsets.UTF_8);
        u32(out, text.length);
        out.writeBytes(text);
        out.write(m.getSubject().size() & 0xff);
        out.writeBytes(m.getSubject().toByteArray());
        u64(out, m.getSubjectSeq());
        return out.toByteArray();
    }

    /** The message id: SHA-256(id label ‖ signed bytes)[0..16). Never sent; every receiver computes it. */
    public static byte[] messageId(GroupMessage m) {
        return Arrays.copyOf(sha256(ID_LABEL, signedBytes(m)), Limits.ID_LENGTH);
    }

    /** {@code unsigned} with the author's signature set; the author field must be {@code key}'s. */
    public static GroupMessage sign(GroupMessage unsigned, IdentityKeyPair key) {
        if (!Arrays.equals(unsigned.getAuthor().toByteArray(), key.publicKey())) {
            throw new IllegalArgumentException("the author is not the signing key");
        }
        GroupMessage m = unsigned.toBuilder().clearSignature().build();
        return m.toBuilder().setSignature(ByteString.copyFrom(key.sign(signedBytes(m)))).build();
    }

    /** Whether the signature is the author's over the signed bytes. Never throws on bad input. */
    public static boolean verify(GroupMessage m) {
        byte[] author = m.getAuthor().toByteArray();
        return author.length == Limits.KEY_LENGTH
                && IdentityKeyPair.verify(author, signedBytes(m), m.getSignature().toByteArray());
    }

    // ---- field limits (§12.1), called by Envelopes.validate ----

    static void validate(GroupMessage m, String field) throws FormatException {
        bytes(m.getGroupId(), GROUP_ID_LENGTH, field + ".group_id");
        bytes(m.getAuthor(), Limits.KEY_LENGTH, field + ".author");
        check(m.getSequence() >= 1, field + ".sequence: starts at 1");
        check(m.getParentsCount() <= MAX_PARENTS, field + ".parents: at most " + MAX_PARENTS);
        for (ByteString p : m.getParentsList()) {
            bytes(p, Limits.ID_LENGTH, field + ".parents");
        }
        bytes(m.getSignature(), Limits.SIGNATURE_LENGTH, field + ".signature");
        long text = Envelopes.utf8Length(m.getText());
        int subject = m.getSubject().size();
        GroupAction a = m.getAction();
        switch (a) {
            case POST -> check(text >= 1 && text <= MAX_POST_BYTES, field + ".text: 1.." + MAX_POST_BYTES + " bytes");
            case CREATE, RENAME -> check(text >= 1 && text <= MAX_NAME_BYTES, field + ".text: a name of 1.." + MAX_NAME_BYTES + " bytes");
            case ADD -> check(text <= Limits.MAX_NICKNAME_BYTES, field + ".text: a nickname of 0.." + Limits.MAX_NICKNAME_BYTES + " bytes");
            case JOIN, LEAVE, REMOVE, APPOINT, INTRODUCE -> check(text == 0, field + ".text: empty for " + a);
            default -> throw new FormatException(field + ".action: unknown action");
        }
        switch (a) {
            case CREATE -> check(subject == SALT_LENGTH, field + ".subject: the 16-byte salt");
            case ADD, REMOVE, APPOINT -> check(subject == Limits.KEY_LENGTH, field + ".subject: a 32-byte key");
            default -> check(subject == 0, field + ".subject: empty for " + a);
        }
        check(a == GroupAction.REMOVE || m.getSubjectSeq() == 0, field + ".subject_seq: REMOVE only");
        check(a != GroupAction.CREATE || m.getSequence() == 1, field + ".sequence: CREATE is the creator's first");
    }

    static void validate(GroupInvitation m) throws FormatException {
        check(m.hasCreate() && m.hasAdd(), "GroupInvitation: create and add are required");
        validate(m.getCreate(), "GroupInvitation.create");
        validate(m.getAdd(), "GroupInvitation.add");
        check(m.getCreate().getAction() == GroupAction.CREATE, "GroupInvitation.create: not a CREATE");
        check(m.getAdd().getAction() == GroupAction.ADD, "GroupInvitation.add: not an ADD");
        check(m.getCreate().getGroupId().equals(m.getAdd().getGroupId()), "GroupInvitation: two groups");
        long name = Envelopes.utf8Length(m.getName());
        check(name >= 1 && name <= MAX_NAME_BYTES, "GroupInvitation.name: 1.." + MAX_NAME_BYTES + " bytes");
        check(m.getMembersCount() <= MAX_MEMBERS, "GroupInvitation.members: at most " + MAX_MEMBERS);
        for (GroupMember g : m.getMembersList()) {
            bytes(g.getKey(), Limits.KEY_LENGTH, "GroupInvitation.members.key");
            check(Envelopes.utf8Length(g.getNickname()) <= Limits.MAX_NICKNAME_BYTES,
                    "GroupInvitation.members.nickname: 0.." + Limits.MAX_NICKNAME_BYTES + " bytes");
        }
    }

    static void validate(GroupSummary m) throws FormatException {
        bytes(m.getGroupId(), GROUP_ID_LENGTH, "GroupSummary.group_id");
        check(m.getHeadsCount() <= MAX_HEADS, "GroupSummary.heads: at most " + MAX_HEADS);
        for (GroupHead h : m.getHeadsList()) {
            bytes(h.getAuthor(), Limits.KEY_LENGTH, "GroupSummary.heads.author");
            check(h.getSequence() >= 1, "GroupSummary.heads.sequence: starts at 1");
        }
    }

    private static void bytes(ByteString b, int length, String field) throws FormatException {
        check(b.size() == length, field + ": expected " + length + " bytes, got " + b.size());
    }

    private static void check(boolean ok, String message) throws FormatException {
        if (!ok) {
            throw new FormatException(message);
        }
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        for (int i = 7; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        for (int i = 3; i >= 0; i--) {
            out.write((v >>> (8 * i)) & 0xff);
        }
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
