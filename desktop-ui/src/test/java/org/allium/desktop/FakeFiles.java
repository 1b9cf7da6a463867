package org.allium.desktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.allium.core.api.ContactId;
import org.allium.core.api.Direction;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileNames;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.FileTransfers;
import org.allium.core.api.IllegalContactStateException;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Subscription;
import org.allium.core.api.UnknownContactException;

/**
 * An in-memory fake of the core's file transfers for UI tests: offers become conversation
 * items of the fake messenger, and hooks move transfers along (progress, completion, failure)
 * as a peer and the network would. Events in order on one thread. Thread-safe.
 */
final class FakeFiles implements FileTransfers {
    private final FakeCore.FakeMessenger messenger;
    private final Clock clock;
    private final Map<MessageId, FileTransfer> all = new LinkedHashMap<>();
    private final Map<MessageId, byte[]> content = new HashMap<>();
    private final Map<ContactId, Long> autoAccept = new HashMap<>();
    /** What the UI asked for, in order: "offer", "accept", "pause", ... */
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<FileEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-core-file-events");
        t.setDaemon(true);
        return t;
    });

    FakeFiles(FakeCore.FakeMessenger messenger, Clock clock) {
        this.messenger = messenger;
        this.clock = clock;
    }

    private void emit(FileEvent.Kind kind, FileTransfer t) {
        events.execute(() -> {
            for (Consumer<FileEvent> l : listeners) {
                l.accept(new FileEvent(kind, t));
            }
        });
    }

    void drain() throws Exception {
        events.submit(() -> { }).get(10, TimeUnit.SECONDS);
        messenger.drain();
    }

    // ---- test hooks: the peer and the network ----

    /** The contact offers us a file: an item in the conversation and an OFFERED event. */
    FileTransfer receiveOffer(ContactId from, String name, byte[] data) {
        Message m = messenger.store(from, Direction.INCOMING, name, clock.instant(), MessageStatus.DELIVERED);
        FileTransfer t = new FileTransfer(m.id(), from, Direction.INCOMING, name, data.length,
                FileTransfer.State.OFFERED, 0, 0, null, clock.instant());
        synchronized (this) {
            all.put(t.id(), t);
            content.put(t.id(), data.clone());
        }
        messenger.emit(new MessengerEvent.MessageReceived(m));
        emit(FileEvent.Kind.OFFERED, t);
        return t;
    }

    /** Moves a transfer on, as the engine would report it. */
    FileTransfer update(MessageId id, FileTransfer.State state, long done, long rate, String reason, boolean gone) {
        FileTransfer t;
        FileEvent.Kind kind;
        synchronized (this) {
            FileTransfer old = all.get(id);
            t = new FileTransfer(id, old.contact(), old.direction(), old.name(), old.size(), state, done, rate, reason,
                    old.offered(), gone);
            all.put(id, t);
            kind = old.state() == state && !gone ? FileEvent.Kind.PROGRESS : FileEvent.Kind.CHANGED;
        }
        emit(kind, t);
        return t;
    }

    synchronized FileTransfer latest(Direction d) {
        FileTransfer last = null;
        for (FileTransfer t : all.values()) {
            if (t.direction() == d) {
                last = t;
            }
        }
        return last;
    }

    synchronized List<FileTransfer> all() {
        return new ArrayList<>(all.values());
    }

    // ---- FileTransfers ----

    @Override
    public FileTransfer offer(ContactId contact, Path file) throws MessengerException {
        calls.add("offer");
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MessengerException("Not a readable file.", e);
        }
        Message m = messenger.store(contact, Direction.OUTGOING, file.getFileName().toString(), clock.instant(),
                MessageStatus.QUEUED);
        FileTransfer t = new FileTransfer(m.id(), contact, Direction.OUTGOING, file.getFileName().toString(),
                data.length, FileTransfer.State.OFFERED, 0, 0, null, clock.instant());
        synchronized (this) {
            all.put(t.id(), t);
            content.put(t.id(), data);
        }
        emit(FileEvent.Kind.OFFERED, t);
        return t;
    }

    private synchronized FileTransfer require(MessageId id) throws MessengerException {
        FileTransfer t = all.get(id);
        if (t == null) {
            throw new UnknownContactException("file transfer");
        }
        return t;
    }

    private void change(MessageId id, String call, FileTransfer.State from, FileTransfer.State to)
            throws MessengerException {
        calls.add(call);
        FileTransfer t = require(id);
        if (from != null && t.state() != from) {
            throw new IllegalContactStateException("Not possible in this state.");
        }
        update(id, to, t.bytesDone(), 0, null, false);
    }

    @Override
    public void accept(MessageId file, Path saveTo) throws MessengerException {
        change(file, "accept", FileTransfer.State.OFFERED, FileTransfer.State.ACTIVE);
    }

    @Override
    public void decline(MessageId file) throws MessengerException {
        change(file, "decline", FileTransfer.State.OFFERED, FileTransfer.State.DECLINED);
    }

    @Override
    public void pause(MessageId file) throws MessengerException {
        change(file, "pause", FileTransfer.State.ACTIVE, FileTransfer.State.PAUSED);
    }

    @Override
    public void resume(MessageId file) throws MessengerException {
        change(file, "resume", FileTransfer.State.PAUSED, FileTransfer.State.ACTIVE);
    }

    @Override
    public void cancel(MessageId file) throws MessengerException {
        change(file, "cancel", null, FileTransfer.State.CANCELLED);
    }

    @Override
    public synchronized List<FileTransfer> list(ContactId contact) {
        List<FileTransfer> out = new ArrayList<>();
        for (FileTransfer t : all.values()) {
            if (contact == null || t.contact().equals(contact)) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<FileTransfer> get(MessageId file) {
        return Optional.ofNullable(all.get(file));
    }

    @Override
    public Path export(MessageId file, Path target) throws MessengerException {
        calls.add("export");
        FileTransfer t = require(file);
        if (t.direction() != Direction.INCOMING || t.state() != FileTransfer.State.COMPLETE) {
            throw new IllegalContactStateException("Only a completely received file can be saved.");
        }
        Path out = Files.isDirectory(target) ? target.resolve(FileNames.safe(t.name())) : target;
        try {
            Path tmp = out.resolveSibling(".fake-" + System.nanoTime() + ".part");
            synchronized (this) {
                Files.write(tmp, content.get(file));
            }
            return Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new MessengerException("Saving the file failed.", e);
        }
    }

    @Override
    public long maxIncomingBytes() {
        return DEFAULT_MAX_INCOMING_BYTES;
    }

    @Override
    public void setMaxIncomingBytes(long bytes) {
    }

    @Override
    public synchronized long autoAcceptBytes(ContactId contact) {
        return autoAccept.getOrDefault(contact, 0L);
    }

    @Override
    public synchronized void setAutoAcceptBytes(ContactId contact, long bytes) {
        calls.add("autoAccept");
        autoAccept.put(contact, bytes);
    }

    @Override
    public Subscription subscribe(Consumer<FileEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
