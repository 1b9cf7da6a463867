package org.allium.core.dropline;

import com.google.protobuf.ByteString;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.allium.core.files.ChunkSender;
import org.allium.core.files.FileLink;
import org.allium.protocol.ClientHandshake;
import org.allium.protocol.FrameReader;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.HandshakeDriver;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.ProtocolException;
import org.allium.protocol.Scheduler;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.DropCase;
import org.allium.protocol.proto.DropCheckIn;
import org.allium.protocol.proto.DropFile;
import org.allium.protocol.proto.DropFileStatus;
import org.allium.protocol.proto.DropRefusal;
import org.allium.protocol.proto.DropSubmission;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Purpose;

/**
 * The source's side of a drop line (PROTOCOL.md §13.1): dials the drop line, proves the
 * codename's key, sends one submission or check-in and reads the answer. Holds no state
 * between calls; each call dials afresh. Thread-safe.
 */
public final class DropSource {
    /** The virtual port of every Allium onion (the engine's OnionHost.VIRTUAL_PORT). */
    public static final int VIRTUAL_PORT = 7878;

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "allium-drop-source-timers");
        t.setDaemon(true);
        return t;
    });

    /** Opens a connection to an onion; every call must use a fresh stream isolation. */
    @FunctionalInterface
    public interface Dialer {
        Socket dial(OnionAddress onion) throws IOException, InterruptedException;
    }

    /** What the source sees of its case. */
    public enum Status { RECEIVED, READ, REPLIED, CLOSED }

    /** Why a submission was not stored; each has a fixed text for people. */
    public enum Refusal {
        SOURCE_QUOTA("The drop line has received too much from you for now. Try again later."),
        LINE_FULL("The drop line takes no new submissions at the moment. Try again later."),
        TOO_LARGE("An attachment is larger than this drop line accepts.");

        private final String text;

        Refusal(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One reply of the organisation (plain text; never render it as markup). */
    public record Reply(byte[] id, Instant composed, String text) {
        @Override
        public String toString() {
            return "Reply[" + composed + "]";
        }
    }

    /**
     * How far one attachment of the case arrived at the drop line (PROTOCOL.md §13.5).
     * {@code name} is the source's own, echoed (plain text).
     */
    public record FileStatus(byte[] id, String name, long size, long received, boolean complete) {
        @Override
        public String toString() {
            return "FileStatus[" + received + "/" + size + (complete ? ", complete" : "") + "]";
        }
    }

    /** An attachment to send: a local file hashed once ({@link #attach}). */
    public record Attachment(ChunkSender.Prepared prepared) {
        @Override
        public String toString() {
            return "Attachment[" + prepared.spec() + "]";
        }
    }

    /**
     * An attachment changed or vanished since {@link #attach} read it: sending again cannot
     * help (the drop line checks every chunk against the hashes announced). Attach it anew.
     */
    public static final class SourceChangedException extends IOException {
        private final int index;

        public SourceChangedException(int index) {
            super("attachment " + (index + 1) + " changed or vanished since it was read");
            this.index = index;
        }

        /** Which attachment (0-based, in the order given). */
        public int index() {
            return index;
        }
    }

    /** Told how an upload goes (on the calling thread). */
    public interface UploadListener {
        /** {@code sent} bytes of file {@code index} (0-based, in the order given) are confirmed by the drop line. */
        void progress(int index, long sent, long size);
    }

    /**
     * The drop line's answer.
     *
     * @param stored whether the submission was acknowledged (false for a check-in)
     * @param refusal why it was refused, or null
     * @param files the case's attachments; after an upload, as it left them
     * @param maxFileSize with {@link Refusal#TOO_LARGE}: the largest attachment the drop line takes, in
     *                    bytes, as it said (0: not said; always 0 with any other answer) — a figure to show
     */
    public record Answer(boolean stored, Refusal refusal, Status status, String acknowledgement, List<Reply> replies,
                         List<FileStatus> files, long maxFileSize) {
        public Answer {
            replies = List.copyOf(replies);
            files = List.copyOf(files);
            if (refusal != Refusal.TOO_LARGE || maxFileSize < 0) {
                maxFileSize = 0;
            }
        }

        public Answer(boolean stored, Refusal refusal, Status status, String acknowledgement, List<Reply> replies,
                      List<FileStatus> files) {
            this(stored, refusal, status, acknowledgement, replies, files, 0);
        }

        public Answer(boolean stored, Refusal refusal, Status status, String acknowledgement, List<Reply> replies) {
            this(stored, refusal, status, acknowledgement, replies, List.of());
        }
    }

    /** Largest attachment a source offers (the wire's limit for 60 KiB chunks). */
    public static final long MAX_FILE_BYTES = (long) org.allium.core.files.FileEngine.CHUNK_SIZE
            * org.allium.protocol.Limits.MAX_CHUNKS;

    /**
     * Hashes a file to attach (reads it once; blocks on disk). The announced name is the
     * file's own last path element, made a plain file name (PROTOCOL.md §9.1).
     *
     * @throws IOException if it cannot be read, or is larger than {@link #MAX_FILE_BYTES}
     */
    public static Attachment attach(java.nio.file.Path file) throws IOException {
        java.nio.file.Path n = file.getFileName();
        String name = org.allium.core.api.FileNames.safe(n == null ? "attachment" : n.toString());
        byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (utf8.length > org.allium.protocol.Limits.MAX_FILE_NAME_BYTES) {
            name = org.allium.protocol.Envelopes.truncateUtf8(name, org.allium.protocol.Limits.MAX_FILE_NAME_BYTES).strip();
        }
        if (!org.allium.protocol.Envelopes.isSafeFileName(name)) {
            name = "attachment";
        }
        return new Attachment(ChunkSender.prepare(file, name, MAX_FILE_BYTES));
    }

    /**
     * The submission id a source derives (PROTOCOL.md §13.5): the same text and files from the
     * same codename name the same submission, so sending them again resumes their upload.
     */
    public static byte[] submissionId(IdentityKeyPair key, String text, List<Attachment> files) {
        List<org.allium.protocol.DropFiles.Content> c = new ArrayList<>();
        for (Attachment a : files) {
            c.add(new org.allium.protocol.DropFiles.Content(a.prepared().spec().fileSha256(), a.prepared().spec().size()));
        }
        return org.allium.protocol.DropFiles.submissionId(key.publicKey(), text, c);
    }

    private final Dialer dialer;
    private final SecureRandom random;
    private final Duration stepTimeout;

    public DropSource(Dialer dialer, SecureRandom random, Duration stepTimeout) {
        this.dialer = dialer;
        this.random = random;
        this.stepTimeout = stepTimeout;
    }

    /** A fresh 16-byte submission id; a retry of the same submission reuses it. */
    public byte[] newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return id;
    }

    /**
     * Sends one submission (1..32768 UTF-8 bytes) of the source {@code key} to
     * {@code dropLine}; a resend with the same {@code id} is stored once.
     */
    public Answer submit(OnionAddress dropLine, IdentityKeyPair key, byte[] id, String text)
            throws IOException, InterruptedException {
        Envelope m = Envelope.newBuilder().setDropSubmission(DropSubmission.newBuilder()
                .setId(ByteString.copyFrom(id)).setComposedAtMs(System.currentTimeMillis()).setText(text)).build();
        return exchange(dropLine, key, m, id);
    }

    /**
     * Sends one submission with attachments (its id derived, {@link #submissionId}) and uploads
     * what the drop line still lacks of them on the same connection, verified chunk by chunk
     * (PROTOCOL.md §13.5). Call again with the same text and files after an interruption: the
     * drop line says what it has and the upload resumes there. Blocks until the end.
     *
     * @param listener told the progress (may be null)
     * @throws SourceChangedException if an attachment changed since it was read (calling again cannot help)
     * @throws IOException if the connection broke (call again to resume)
     */
    public Answer submit(OnionAddress dropLine, IdentityKeyPair key, String text, List<Attachment> files,
                         UploadListener listener) throws IOException, InterruptedException {
        if (files.size() > org.allium.protocol.Limits.MAX_DROP_FILES) {
            throw new IllegalArgumentException("at most " + org.allium.protocol.Limits.MAX_DROP_FILES + " attachments");
        }
        byte[] id = submissionId(key, text, files);
        DropSubmission.Builder b = DropSubmission.newBuilder().setId(ByteString.copyFrom(id))
                .setComposedAtMs(System.currentTimeMillis()).setText(text);
        for (int i = 0; i < files.size(); i++) {
            org.allium.contacts.api.FileOfferSpec spec = files.get(i).prepared().spec();
            b.addFiles(DropFile.newBuilder()
                    .setId(ByteString.copyFrom(org.allium.protocol.DropFiles.fileId(id, i, spec.fileSha256())))
                    .setName(spec.name()).setSize(spec.size()).setChunkSize(spec.chunkSize())
                    .setFileSha256(ByteString.copyFrom(spec.fileSha256()))
                    .setChunkHashesSha256(ByteString.copyFrom(spec.chunkHashesSha256())));
        }
        return exchange(dropLine, key, Envelope.newBuilder().setDropSubmission(b).build(), id, files, listener);
    }

    /** Asks for the case's status and replies. */
    public Answer checkIn(OnionAddress dropLine, IdentityKeyPair key) throws IOException, InterruptedException {
        return exchange(dropLine, key, Envelope.newBuilder().setDropCheckIn(DropCheckIn.getDefaultInstance()).build(), null);
    }

    private Answer exchange(OnionAddress dropLine, IdentityKeyPair key, Envelope message, byte[] id)
            throws IOException, InterruptedException {
        return exchange(dropLine, key, message, id, List.of(), null);
    }

    private Answer exchange(OnionAddress dropLine, IdentityKeyPair key, Envelope message, byte[] id,
                            List<Attachment> attachments, UploadListener listener)
            throws IOException, InterruptedException {
        Socket socket = dialer.dial(dropLine);
        try {
            socket.setTcpNoDelay(true);
            FrameReader r = new FrameReader(new BufferedInputStream(socket.getInputStream()));
            FrameWriter w = new FrameWriter(socket.getOutputStream());
            new HandshakeDriver(Scheduler.of(TIMERS), stepTimeout).run(
                    new ClientHandshake(key, dropLine, dropLine, Purpose.DROP_SUBMISSION, random), r, w, socket);
            w.write(message);
            socket.setSoTimeout((int) stepTimeout.toMillis());
            Envelope in = next(r);
            boolean stored = false;
            if (in.hasAck()) {
                if (id == null || in.getAck().getIdsCount() != 1
                        || !java.util.Arrays.equals(in.getAck().getIds(0).toByteArray(), id)) {
                    throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "the drop line acknowledged something else");
                }
                stored = true;
                in = next(r);
            }
            if (!in.hasDropCase()) {
                throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE, "the drop line did not answer with its case");
            }
            DropCase c = in.getDropCase();
            Refusal refusal = switch (c.getRefusal()) {
                case DROP_SOURCE_QUOTA -> Refusal.SOURCE_QUOTA;
                case DROP_LINE_FULL -> Refusal.LINE_FULL;
                case DROP_TOO_LARGE -> Refusal.TOO_LARGE;
                default -> null;
            };
            if (id != null && !stored && refusal == null) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "the drop line neither stored nor refused the submission");
            }
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < c.getReplyCount(); i++) {
                Envelope e = next(r);
                if (!e.hasDropReply()) {
                    throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE, "a reply was announced but not sent");
                }
                replies.add(new Reply(e.getDropReply().getId().toByteArray(),
                        Instant.ofEpochMilli(e.getDropReply().getComposedAtMs()), e.getDropReply().getText()));
            }
            Status status = switch (c.getState()) {
                case DROP_READ -> Status.READ;
                case DROP_REPLIED -> Status.REPLIED;
                case DROP_CLOSED -> Status.CLOSED;
                default -> Status.RECEIVED;
            };
            List<FileStatus> files = new ArrayList<>();
            for (DropFileStatus f : c.getFilesList()) {
                files.add(new FileStatus(f.getId().toByteArray(), f.getName(), f.getSize(), f.getReceived(), f.getComplete()));
            }
            if (stored && !attachments.isEmpty()) {
                upload(r, w, socket, message.getDropSubmission(), attachments, files, listener);
            }
            return new Answer(stored, refusal, status, c.getAcknowledgement(), replies, files, c.getMaxFileSize());
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
    }

    /**
     * The upload phase: the drop line asks for each file it lacks with FileResume; we send as
     * FILE_STREAM's sender (PROTOCOL.md §9.2) until it closes. Updates {@code files} as they complete.
     */
    private void upload(FrameReader r, FrameWriter w, Socket socket, DropSubmission sent, List<Attachment> attachments,
                        List<FileStatus> files, UploadListener listener) throws IOException {
        socket.setSoTimeout((int) Math.max(stepTimeout.toMillis(), UPLOAD_READ_TIMEOUT.toMillis()));
        FileLink link = new SocketLink(r, w, socket);
        while (true) {
            Envelope e = r.read();
            if (e == null) {
                throw new java.io.EOFException("the drop line closed the connection during the upload");
            }
            if (e.hasClose()) {
                if (e.getClose().getCode() == CloseCode.NORMAL) {
                    return;
                }
                throw new IOException("the drop line ended the upload (" + e.getClose().getCode() + ")");
            }
            if (!e.hasFileResume()) {
                continue;
            }
            byte[] fileId = e.getFileResume().getFileId().toByteArray();
            int index = -1;
            for (int i = 0; i < sent.getFilesCount(); i++) {
                if (java.util.Arrays.equals(sent.getFiles(i).getId().toByteArray(), fileId)) {
                    index = i;
                }
            }
            org.allium.contacts.api.MessageId mid = org.allium.contacts.api.MessageId.fromBytes(fileId);
            if (index < 0) {
                w.write(Envelope.newBuilder().setFileAbort(org.allium.protocol.proto.FileAbort.newBuilder()
                        .setFileId(e.getFileResume().getFileId())
                        .setReason(org.allium.protocol.proto.FileAbortReason.UNKNOWN_FILE)).build());
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "the drop line asked for a file we did not send");
            }
            ChunkSender.Prepared p = attachments.get(index).prepared();
            int which = index;
            ChunkSender.Result res;
            try (java.nio.channels.FileChannel ch = ChunkSender.open(p)) {
                res = ChunkSender.send(link, mid, p.spec(), p.chunkHashes(), ChunkSender.fromFile(ch, p.spec()),
                        e.getFileResume(), bytes -> {
                            if (listener != null) {
                                listener.progress(which, bytes, p.spec().size());
                            }
                        });
            } catch (java.nio.file.NoSuchFileException gone) {
                w.write(Envelope.newBuilder().setFileAbort(org.allium.protocol.proto.FileAbort.newBuilder()
                        .setFileId(e.getFileResume().getFileId())
                        .setReason(org.allium.protocol.proto.FileAbortReason.SOURCE_CHANGED)).build());
                res = ChunkSender.Result.SOURCE_CHANGED;
            }
            if (res == ChunkSender.Result.SOURCE_CHANGED) {
                throw new SourceChangedException(index);
            }
            if (res != ChunkSender.Result.COMPLETE) {
                throw new IOException("the drop line refused an attachment");
            }
            for (int i = 0; i < files.size(); i++) {
                if (java.util.Arrays.equals(files.get(i).id(), fileId)) {
                    FileStatus f = files.get(i);
                    files.set(i, new FileStatus(f.id(), f.name(), f.size(), f.size(), true));
                }
            }
        }
    }

    /** No frame for this long during an upload ends it (the drop line writes each chunk before confirming). */
    static final Duration UPLOAD_READ_TIMEOUT = Duration.ofSeconds(120);

    /** The source's connection as the file transfer code sees it. */
    private static final class SocketLink implements FileLink {
        private final FrameReader r;
        private final FrameWriter w;
        private final Socket socket;
        private final java.io.InputStream in;

        SocketLink(FrameReader r, FrameWriter w, Socket socket) throws IOException {
            this.r = r;
            this.w = w;
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        @Override
        public void send(Envelope message) throws IOException {
            w.write(message);
        }

        @Override
        public Envelope receive() throws IOException {
            while (true) {
                Envelope e = r.read();
                if (e == null || e.hasClose()) {
                    return null;
                }
                if (!e.hasKeepAlive()) {
                    return e;
                }
            }
        }

        @Override
        public boolean inputPending() throws IOException {
            return in.available() > 0;
        }

        @Override
        public void setReadTimeout(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
        }

        @Override
        public void finish() {
        }

        @Override
        public void close() {
        }
    }

    private static Envelope next(FrameReader r) throws IOException {
        Envelope e = r.read();
        if (e == null) {
            throw new java.io.EOFException("the drop line closed the connection early");
        }
        if (e.hasClose()) {
            throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE,
                    "the drop line closed the connection (" + e.getClose().getCode() + ")");
        }
        return e;
    }
}
