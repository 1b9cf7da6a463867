package org.allium.desktop.dropline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.MessageId;
import org.allium.core.Messengers;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.Messenger;
import org.allium.core.api.DropLine;
import org.allium.core.api.DropLineException;
import org.allium.core.dropline.DropSource;
import org.allium.protocol.DropCodename;

/**
 * An in-memory fake of drop lines (not of tor) for UI tests: drop lines by service id, each
 * an operators' {@link DropLine} with cases as the engine keeps them, and sources that reach
 * them at once. A source's key is a hash of (address, codename) instead of Argon2id; the
 * codename's words and the case pseudonyms are the real ones. Thread-safe.
 */
public final class FakeDropLines implements DropAccess {
    private final Clock clock;
    private final Map<String, Line> lines = new LinkedHashMap<>();
    final List<Source> sources = new CopyOnWriteArrayList<>();
    /** When set, a source's call waits on it after reporting its first step (to see the busy card). */
    volatile CountDownLatch gate;

    public FakeDropLines(Clock clock) {
        this.clock = clock;
    }

    /** The drop line at {@code serviceId} (made, switched off, on first use). */
    public synchronized Line line(String serviceId) {
        return lines.computeIfAbsent(serviceId, Line::new);
    }

    /** Every drop line made so far (the unlocked profile's, once its inbox opened). */
    synchronized List<Line> lines() {
        return List.copyOf(lines.values());
    }

    @Override
    public SourceClient newSource() {
        Source s = new Source();
        sources.add(s);
        return s;
    }

    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    private record Watch(Line line, Watcher w, java.util.concurrent.atomic.AtomicBoolean open) {
    }

    @Override
    public org.allium.core.api.Subscription watch(DropLine line, Watcher w) {
        Watch x = new Watch((Line) line, w, new java.util.concurrent.atomic.AtomicBoolean(true));
        watches.add(x);
        return () -> {
            x.open().set(false);
            watches.remove(x);
        };
    }

    /** Tells the watchers of {@code line}, as the engine does after storing (outside its lock). */
    void fire(Line line, long caseId, boolean submitted) {
        for (Watch x : watches) {
            if (x.line() == line && x.open().get()) {
                if (submitted) {
                    x.w().submitted(caseId);
                } else {
                    x.w().changed(caseId);
                }
            }
        }
    }

    @Override
    public DropLine dropLine(Messenger messenger) {
        return line(messenger.myIdentity().serviceId());
    }

    static byte[] sourceKey(String serviceId, String codename) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((serviceId + "\n" + codename).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source: one window's client. */
    final class Source implements SourceClient {
        volatile boolean closed;
        volatile boolean torStarted;
        final List<Step> steps = new CopyOnWriteArrayList<>();
        private String keyFor;
        volatile org.allium.core.api.TorSettings tor = org.allium.core.api.TorSettings.ownTor();

        @Override
        public org.allium.core.api.TorSettings torSettings() {
            return tor;
        }

        @Override
        public void setTorSettings(org.allium.core.api.TorSettings s) {
            tor = s;
            torStarted = false; // started anew with them
        }

        @Override
        public String normalizeAddress(String typed) throws InvalidAddressException {
            return Messengers.normalizeAddress(typed);
        }

        @Override
        public byte[] newId() {
            return MessageId.random(new java.security.SecureRandom()).toBytes();
        }

        private Line reach(String serviceId, String codename, Consumer<Step> progress)
                throws DropLineException, InterruptedException {
            if (closed) {
                throw new InterruptedException("closed");
            }
            if (!torStarted) {
                step(Step.STARTING_TOR, progress);
                torStarted = true;
            }
            CountDownLatch g = gate;
            if (g != null && !g.await(30, TimeUnit.SECONDS)) {
                throw new InterruptedException("gate");
            }
            String k = serviceId + "\n" + codename;
            if (!k.equals(keyFor)) {
                step(Step.DERIVING_KEY, progress);
                keyFor = k;
            }
            step(Step.SENDING, progress);
            Line l;
            synchronized (FakeDropLines.this) {
                l = lines.get(serviceId);
            }
            if (l == null || !l.enabled) {
                throw new DropLineException("Could not reach the drop line (it may be offline, or Tor is slow). "
                        + "Try again; nothing is sent twice.");
            }
            return l;
        }

        private void step(Step s, Consumer<Step> progress) {
            steps.add(s);
            progress.accept(s);
        }

        @Override
        public DropSource.Answer submit(String serviceId, String codename, byte[] id, String text,
                                        Consumer<Step> progress) throws DropLineException, InterruptedException {
            Line l = reach(serviceId, codename, progress);
            byte[] key = sourceKey(serviceId, codename);
            int before = l.submissions().size();
            DropSource.Answer a = l.submit(key, id, text);
            if (l.submissions().size() > before) {
                fire(l, l.caseOf(key), true);
            }
            return a;
        }

        /** Calls of the upload variant of submit (each resume is one). */
        final java.util.concurrent.atomic.AtomicInteger uploadCalls = new java.util.concurrent.atomic.AtomicInteger();
        /** Where each call of the upload started, per file (the bytes the drop line had). */
        final List<List<Long>> startedAt = new CopyOnWriteArrayList<>();

        @Override
        public DropSource.Answer submit(String serviceId, String codename, String text,
                                        List<DropSource.Attachment> files, DropSource.UploadListener upload,
                                        Consumer<Step> progress) throws DropLineException, InterruptedException {
            Line l = reach(serviceId, codename, progress);
            byte[] key = sourceKey(serviceId, codename);
            byte[] id;
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(key);
                d.update(text.getBytes(StandardCharsets.UTF_8));
                for (DropSource.Attachment a : files) {
                    d.update(a.prepared().spec().fileSha256());
                }
                id = Arrays.copyOf(d.digest(), 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            int before = l.submissions().size();
            DropSource.Answer a = l.submit(key, id, text);
            if (a.refusal() != null) {
                return a;
            }
            if (l.submissions().size() > before) {
                fire(l, l.caseOf(key), true);
            }
            uploadCalls.incrementAndGet();
            return l.upload(key, id, files, upload, this);
        }

        @Override
        public DropSource.Answer checkIn(String serviceId, String codename, Consumer<Step> progress)
                throws DropLineException, InterruptedException {
            return reach(serviceId, codename, progress).checkIn(sourceKey(serviceId, codename));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** One drop line: the operators' API over in-memory cases. */
    public final class Line implements DropLine {
        private final String serviceId;
        /** This profile's name as the team sees it. */
        volatile String selfName = "Newsdesk";

        Line(String serviceId) {
            this.serviceId = serviceId;
        }

        /** This profile's key as the team sees it (the fake core's addresses are not real keys). */
        private final org.allium.protocol.OnionAddress selfKey =
                org.allium.protocol.IdentityKeyPair.generate(new java.security.SecureRandom()).address();

        DropStore.Person self() {
            return new DropStore.Person(selfKey, selfName);
        }

        private final AtomicLong ids = new AtomicLong();
        private final AtomicLong positions = new AtomicLong();
        private final Map<Long, CaseData> cases = new LinkedHashMap<>();
        private final Map<String, Long> bySource = new LinkedHashMap<>();
        volatile boolean enabled;
        private String ack = DEFAULT_ACKNOWLEDGEMENT;
        private int retention;
        /** What the next submission answers instead of storing (null: store). */
        volatile DropSource.Refusal refuse;
        /** The per-file limit a TOO_LARGE refusal names (0: none), as PROTOCOL.md §13.1's max_file_size. */
        volatile long refuseLimit;
        /** Files every answer lists after the case's own, as a hostile drop line could name them (test hook). */
        volatile List<DropSource.FileStatus> echoed = List.of();

        private final class CaseData {
            final long id;
            final String pseudonym;
            final Instant created;
            Instant updated;
            DropStore.State state = DropStore.State.NEW;
            Long assignee;
            /** Taken by this profile ("I take this one"). */
            boolean taken;
            boolean unread = true;
            final List<DropStore.Item> items = new ArrayList<>();
            final List<String> submissionIds = new ArrayList<>();

            CaseData(long id, String pseudonym, Instant created) {
                this.id = id;
                this.pseudonym = pseudonym;
                this.created = created;
                this.updated = created;
            }

            DropStore.Case view() {
                int subs = (int) items.stream().filter(i -> i.kind() == DropStore.Kind.SUBMISSION).count();
                int reps = (int) items.stream().filter(i -> i.kind() == DropStore.Kind.REPLY).count();
                return new DropStore.Case(id, pseudonym, state, created, updated, assignee, subs, reps, unread,
                        MessageId.fromBytes(java.nio.ByteBuffer.allocate(16).putLong(id).array()), null,
                        taken ? self() : operator);
            }

            /** Assigned to another operator of the team (test hook), unless taken here. */
            DropStore.Person operator;
        }

        /** Another operator of the team takes the case and writes in it (a reply and a note). */
        public void byOperator(long caseId, DropStore.Person who, String reply, String note) throws DropLineException {
            synchronized (this) {
                CaseData c = find(caseId);
                c.operator = who;
                Instant now = clock.instant();
                c.items.add(new DropStore.Item(positions.incrementAndGet(), c.id, MessageId.random(new java.security.SecureRandom()),
                        DropStore.Kind.REPLY, now, now, null, reply, who));
                c.items.add(new DropStore.Item(positions.incrementAndGet(), c.id, MessageId.random(new java.security.SecureRandom()),
                        DropStore.Kind.NOTE, now, now, null, note, who));
            }
            fire(this, caseId, false);
        }

        /** What the drop line holds of each file of each submission (key: submission id / index). */
        private final Map<String, java.io.ByteArrayOutputStream> held = new java.util.HashMap<>();
        /** One-shot: the connection breaks once the upload confirmed this many bytes in one call (-1: never). */
        volatile long cutAfter = -1;
        /** When set, a call that resumes an upload waits on it first (to see "resuming"). */
        volatile CountDownLatch resumeGate;
        /** When set, the upload waits on it after its first chunk (to see the progress). */
        volatile CountDownLatch uploadGate;

        /** The upload phase as the engine's drop line runs it: per file from what it holds, chunk by chunk. */
        DropSource.Answer upload(byte[] key, byte[] id, List<DropSource.Attachment> files,
                                 DropSource.UploadListener listener, Source source)
                throws DropLineException, InterruptedException {
            long caseId = caseOf(key);
            List<Long> starts = new ArrayList<>();
            synchronized (this) {
                for (int i = 0; i < files.size(); i++) {
                    java.io.ByteArrayOutputStream h = held.get(hex(id) + "/" + i);
                    starts.add(h == null ? 0L : h.size());
                }
            }
            source.startedAt.add(starts);
            boolean resumed = starts.stream().anyMatch(n -> n > 0);
            CountDownLatch rg = resumeGate;
            if (resumed && rg != null && !rg.await(60, TimeUnit.SECONDS)) {
                throw new InterruptedException("resume gate");
            }
            long sentThisCall = 0;
            for (int i = 0; i < files.size(); i++) {
                org.allium.contacts.api.FileOfferSpec spec = files.get(i).prepared().spec();
                java.io.ByteArrayOutputStream h;
                synchronized (this) {
                    h = held.computeIfAbsent(hex(id) + "/" + i, k -> new java.io.ByteArrayOutputStream());
                }
                if (h.size() == spec.size() && spec.size() > 0) {
                    continue; // complete: not asked for again
                }
                listener.progress(i, h.size(), spec.size());
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(files.get(i).prepared().path())) {
                    byte[] buf = new byte[spec.chunkSize()];
                    while (h.size() < spec.size()) {
                        int n = (int) Math.min(buf.length, spec.size() - h.size());
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf, 0, n);
                        while (b.hasRemaining()) {
                            if (ch.read(b, h.size() + b.position()) < 0) {
                                throw new DropLineException("an attachment changed");
                            }
                        }
                        h.write(buf, 0, n);
                        sentThisCall += n;
                        listener.progress(i, h.size(), spec.size());
                        CountDownLatch ug = uploadGate;
                        if (ug != null) {
                            uploadGate = null;
                            if (!ug.await(60, TimeUnit.SECONDS)) {
                                throw new InterruptedException("upload gate");
                            }
                        }
                        long cut = cutAfter;
                        if (cut >= 0 && sentThisCall >= cut) {
                            cutAfter = -1;
                            throw new DropLineException("Could not reach the drop line (it may be offline, or Tor is slow). "
                                    + "Try again; nothing is sent twice.");
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new DropLineException("an attachment changed", e);
                }
                try {
                    if (!Arrays.equals(MessageDigest.getInstance("SHA-256").digest(h.toByteArray()), spec.fileSha256())) {
                        synchronized (this) {
                            held.remove(hex(id) + "/" + i);
                        }
                        throw new SourceClient.FileChanged(i); // as the engine's chunk checks find it
                    }
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                attach(caseId, spec.name(), h.toByteArray(), spec.size());
            }
            synchronized (this) {
                return answer(cases.get(caseId));
            }
        }

        /** The bytes of the attachment named {@code name} that arrived whole (the newest), or null. */
        synchronized byte[] received(String name) {
            byte[] out = null;
            for (List<DropStore.Attachment> l : files.values()) {
                for (DropStore.Attachment a : l) {
                    if (a.complete() && a.spec().name().equals(name)) {
                        out = fileData.get(a.fileId()).clone();
                    }
                }
            }
            return out;
        }

        synchronized DropSource.Answer submit(byte[] key, byte[] id, String text) {
            if (refuse != null) {
                return new DropSource.Answer(false, refuse, DropSource.Status.RECEIVED, ack, List.of(), List.of(), refuseLimit);
            }
            String k = HexFormat.of().formatHex(key);
            Long caseId = bySource.get(k);
            Instant now = clock.instant();
            CaseData c;
            if (caseId == null) {
                c = new CaseData(ids.incrementAndGet(), DropCodename.pseudonym(key), now);
                cases.put(c.id, c);
                bySource.put(k, c.id);
            } else {
                c = cases.get(caseId);
            }
            String hex = HexFormat.of().formatHex(id);
            if (!c.submissionIds.contains(hex)) {
                c.submissionIds.add(hex);
                c.items.add(new DropStore.Item(positions.incrementAndGet(), c.id, MessageId.fromBytes(id),
                        DropStore.Kind.SUBMISSION, now, now, null, text, null));
                c.state = DropStore.State.NEW;
                c.unread = true;
                c.updated = now;
            }
            return answer(c);
        }

        synchronized long caseOf(byte[] key) {
            return bySource.get(HexFormat.of().formatHex(key));
        }

        synchronized DropSource.Answer checkIn(byte[] key) {
            Long caseId = bySource.get(HexFormat.of().formatHex(key));
            if (caseId == null) {
                return new DropSource.Answer(false, null, DropSource.Status.RECEIVED, ack, List.of());
            }
            return answer(cases.get(caseId));
        }

        private DropSource.Answer answer(CaseData c) {
            List<DropSource.Reply> rs = new ArrayList<>();
            for (DropStore.Item i : c.items) {
                if (i.kind() == DropStore.Kind.REPLY) {
                    rs.add(new DropSource.Reply(i.id().toBytes(), i.composed(), i.text()));
                }
            }
            DropSource.Status st = switch (c.state) {
                case NEW -> DropSource.Status.RECEIVED;
                case READ -> DropSource.Status.READ;
                case REPLIED -> DropSource.Status.REPLIED;
                case CLOSED -> DropSource.Status.CLOSED;
            };
            List<DropSource.FileStatus> fs = new ArrayList<>();
            for (DropStore.Attachment x : files.getOrDefault(c.id, List.of())) {
                fs.add(new DropSource.FileStatus(x.fileId().toBytes(), x.spec().name(), x.spec().size(), x.received(),
                        x.complete()));
            }
            fs.addAll(echoed);
            return new DropSource.Answer(true, null, st, ack, rs, fs);
        }

        private CaseData find(long caseId) throws DropLineException {
            CaseData c = cases.get(caseId);
            if (c == null) {
                throw new DropLineException("There is no case " + caseId + ".");
            }
            return c;
        }

        @Override
        public synchronized boolean enabled() {
            return enabled;
        }

        @Override
        public synchronized void setEnabled(boolean on) {
            enabled = on;
        }

        @Override
        public synchronized String acknowledgement() {
            return ack;
        }

        @Override
        public synchronized void setAcknowledgement(String text) {
            ack = text;
        }

        @Override
        public synchronized int retentionDays() {
            return retention;
        }

        @Override
        public synchronized void setRetentionDays(int days) {
            retention = days;
        }

        @Override
        public synchronized List<DropStore.Case> cases() {
            return cases.values().stream().map(CaseData::view)
                    .sorted(Comparator.comparing(DropStore.Case::updated).reversed()).toList();
        }

        @Override
        public synchronized DropStore.Case get(long caseId) throws DropLineException {
            return find(caseId).view();
        }

        @Override
        public synchronized List<DropStore.Item> read(long caseId) throws DropLineException {
            CaseData c = find(caseId);
            c.unread = false;
            if (c.state == DropStore.State.NEW) {
                c.state = DropStore.State.READ;
            }
            return List.copyOf(c.items);
        }

        @Override
        public DropStore.Item reply(long caseId, String text) throws DropLineException {
            DropStore.Item i = add(caseId, DropStore.Kind.REPLY, text);
            fire(this, caseId, false);
            return i;
        }

        @Override
        public DropStore.Item note(long caseId, String text) throws DropLineException {
            DropStore.Item i = add(caseId, DropStore.Kind.NOTE, text);
            fire(this, caseId, false);
            return i;
        }

        private synchronized DropStore.Item add(long caseId, DropStore.Kind kind, String text) throws DropLineException {
            CaseData c = find(caseId);
            Instant now = clock.instant();
            DropStore.Item i = new DropStore.Item(positions.incrementAndGet(), caseId,
                    MessageId.random(new java.security.SecureRandom()), kind, now, now, null, text, self());
            c.items.add(i);
            if (kind == DropStore.Kind.REPLY) {
                c.state = DropStore.State.REPLIED;
            }
            c.updated = now;
            return i;
        }

        @Override
        public void setState(long caseId, DropStore.State state) throws DropLineException {
            synchronized (this) {
                find(caseId).state = state;
            }
            fire(this, caseId, false);
        }

        @Override
        public void assign(long caseId, Long operator) throws DropLineException {
            synchronized (this) {
                find(caseId).assignee = operator;
            }
            fire(this, caseId, false);
        }

        @Override
        public void take(long caseId) throws DropLineException {
            synchronized (this) {
                find(caseId).taken = true;
            }
            fire(this, caseId, false);
        }

        @Override
        public synchronized List<Long> operators() {
            return List.copyOf(operators);
        }

        @Override
        public synchronized boolean addOperator(long contact) {
            return !operators.contains(contact) && operators.add(contact);
        }

        @Override
        public synchronized boolean removeOperator(long contact) {
            return operators.remove(contact);
        }

        private final java.util.Set<Long> operators = new java.util.TreeSet<>();

        @Override
        public void delete(long caseId) throws DropLineException {
            synchronized (this) {
                if (cases.remove(caseId) == null) {
                    throw new DropLineException("There is no case " + caseId + ".");
                }
                bySource.values().removeIf(v -> v == caseId);
            }
            fire(this, caseId, false);
        }

        @Override
        public synchronized int applyRetention() {
            return 0;
        }

        /** Attachments by case (test hooks put them there), and their bytes. */
        private final Map<Long, List<DropStore.Attachment>> files = new LinkedHashMap<>();
        private final Map<MessageId, byte[]> fileData = new java.util.HashMap<>();

        /**
         * The source attached a file to the case's latest submission; {@code received} of its
         * bytes have arrived (all: complete). Returns its id.
         */
        public MessageId attach(long caseId, String name, byte[] data, long received) throws DropLineException {
            MessageId id = MessageId.random(new java.security.SecureRandom());
            synchronized (this) {
                CaseData c = find(caseId);
                MessageId item = null;
                for (DropStore.Item i : c.items) {
                    if (i.kind() == DropStore.Kind.SUBMISSION) {
                        item = i.id();
                    }
                }
                org.allium.contacts.api.FileOfferSpec spec = new org.allium.contacts.api.FileOfferSpec(name, data.length,
                        61_440, new byte[32], new byte[32]);
                files.computeIfAbsent(caseId, k -> new ArrayList<>()).add(new DropStore.Attachment(caseId, item, id, spec,
                        received, received == data.length, clock.instant()));
                fileData.put(id, data.clone());
            }
            fire(this, caseId, false);
            return id;
        }

        /** More of an attachment arrived (all of it: complete). */
        public void progress(long caseId, MessageId fileId, long received) {
            synchronized (this) {
                List<DropStore.Attachment> l = files.get(caseId);
                for (int i = 0; i < l.size(); i++) {
                    DropStore.Attachment a = l.get(i);
                    if (a.fileId().equals(fileId)) {
                        l.set(i, new DropStore.Attachment(a.caseId(), a.item(), a.fileId(), a.spec(), received,
                                received == a.spec().size(), a.created()));
                    }
                }
            }
            fire(this, caseId, false);
        }

        @Override
        public synchronized List<DropStore.Attachment> attachments(long caseId) {
            return List.copyOf(files.getOrDefault(caseId, List.of()));
        }

        @Override
        public java.nio.file.Path export(long caseId, MessageId fileId, java.nio.file.Path dir)
                throws DropLineException {
            DropStore.Attachment a;
            byte[] data;
            synchronized (this) {
                a = files.getOrDefault(caseId, List.of()).stream().filter(x -> x.fileId().equals(fileId)).findFirst()
                        .orElseThrow(() -> new DropLineException("There is no such attachment in case " + caseId + "."));
                data = fileData.get(fileId);
            }
            if (!a.complete()) {
                throw new DropLineException("The attachment has not completely arrived yet.");
            }
            try {
                String safe = org.allium.core.api.FileNames.safe(a.spec().name());
                java.nio.file.Path out = dir.resolve(safe);
                for (int n = 1; java.nio.file.Files.exists(out); n++) {
                    out = dir.resolve(n + " " + safe);
                }
                return java.nio.file.Files.write(out, data, java.nio.file.StandardOpenOption.CREATE_NEW);
            } catch (java.io.IOException e) {
                throw new DropLineException("Writing the attachment failed.", e);
            }
        }

        @Override
        public org.allium.core.api.Subscription subscribe(
                java.util.function.Consumer<org.allium.core.api.DropEvent> listener) {
            return watch(this, new Watcher() {
                @Override
                public void submitted(long caseId) {
                    listener.accept(new org.allium.core.api.DropEvent(org.allium.core.api.DropEvent.Kind.SUBMITTED,
                            caseId, null));
                }

                @Override
                public void changed(long caseId) {
                    listener.accept(new org.allium.core.api.DropEvent(org.allium.core.api.DropEvent.Kind.CHANGED,
                            caseId, null));
                }
            });
        }

        /** Every submission text stored, in order (for tests). */
        synchronized List<String> submissions() {
            List<String> out = new ArrayList<>();
            for (CaseData c : cases.values()) {
                for (DropStore.Item i : c.items) {
                    if (i.kind() == DropStore.Kind.SUBMISSION) {
                        out.add(i.text());
                    }
                }
            }
            return out;
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(Arrays.copyOf(b, b.length));
    }
}
