package org.allium.desktop.files;

import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.SwingUtilities;
import org.allium.core.api.ContactId;
import org.allium.core.api.Direction;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileNames;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.FileTransfers;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Subscription;
import org.allium.desktop.DialogWindow;
import org.allium.desktop.PlainText;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * File transfers in the open conversation: "Attach…", files dropped on the conversation or
 * pasted into the composer, a {@link FileCard} in place of each offer's text with progress and
 * its buttons, and the contact's "accept automatically" setting. A listener of core file
 * events (re-posted to the event thread); every core call runs on the background executor.
 * Event thread only.
 */
public final class ConversationFiles {
    private static final Logger LOG = Logger.getLogger(ConversationFiles.class.getName());

    /** What the conversation offers to the file UI. Event thread only. */
    public interface Host {
        /** The contact whose conversation is shown, or null. */
        ContactId shownContact();

        /** Their name as shown (already made plain text). */
        String shownName();

        /** Puts {@code card} in the bubble of item {@code id}; false when that item is not shown (yet). */
        boolean decorate(MessageId id, JComponent card);

        /** Adds an item of the shown conversation (our own offer). */
        void addItem(Message m);

        /** A sentence for the user under the conversation ("" clears it). */
        void showError(String text);

        Window window();
    }

    private final UiContext ctx;
    private final Messenger messenger;
    private final Host host;
    private final FileTransfers files;
    private Places places;
    private CleanedCopies cleaned;
    private Subscription subscription;
    /** The shown contact's transfers, as last heard; and their cards once made. */
    private final Map<MessageId, FileTransfer> known = new HashMap<>();
    private final Map<MessageId, FileCard> cards = new HashMap<>();
    /** Where each received file was saved in this session (for "Open folder"). */
    private final Map<MessageId, Path> saved = new HashMap<>();
    /** The outcome of each cleaned copy made in this session, in words, and whether it failed. */
    private final Map<MessageId, Outcome> cleanOutcomes = new HashMap<>();
    private ContactId shown;
    private Path lastSaveFolder;
    public final JButton attach;
    public final JButton settings;
    private final Map<ContactId, JDialog> settingsDialogs = new HashMap<>();

    public ConversationFiles(UiContext ctx, Messenger messenger, Host host) {
        this.ctx = ctx;
        this.messenger = messenger;
        this.host = host;
        FileTransfers f;
        try {
            f = messenger.files();
        } catch (UnsupportedOperationException e) {
            f = null; // a core without file transfer: no file controls
        }
        this.files = f;
        this.places = new SwingPlaces(ctx);
        this.cleaned = new CleanedCopies(ctx, Mat2Cleaner.system());
        attach = Ui.button(ctx.text("file.attach"), e -> chooseAndSend());
        attach.setToolTipText(Ui.plain(ctx.text("file.attach.tip")));
        attach.getAccessibleContext().setAccessibleName(Ui.plain(ctx.text("file.attach.name")));
        settings = Ui.button(ctx.text("file.settings"), e -> openSettings());
        settings.setToolTipText(Ui.plain(ctx.text("file.settings.tip")));
        attach.setVisible(f != null);
        settings.setVisible(f != null);
    }

    /** Whether the core offers file transfer at all. */
    public boolean available() {
        return files != null;
    }

    /** Replaces the desktop's dialogs and file manager (tests answer for the user). */
    public void setPlaces(Places places) {
        this.places = places;
    }

    /** Replaces the system's mat2 (tests). */
    public void setCleaner(Mat2Cleaner cleaner) {
        this.cleaned = new CleanedCopies(ctx, cleaner);
        loadCleanTypes();
    }

    private void loadCleanTypes() {
        CleanedCopies now = cleaned;
        now.loadOnce(() -> {
            if (now == cleaned) {
                for (FileCard c : cards.values()) {
                    clean(c);
                }
            }
        });
    }

    /** Starts following core file events. */
    public void start() {
        if (files != null && subscription == null) {
            subscription = files.subscribe(ev -> SwingUtilities.invokeLater(() -> onEvent(ev)));
        }
    }

    public void stop() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** The conversation of {@code contact} (null: none) is now shown: loads its transfers. */
    public void show(ContactId contact) {
        if (contact != null && contact.equals(shown)) {
            return;
        }
        shown = contact;
        known.clear();
        cards.clear();
        attach.setEnabled(contact != null);
        settings.setEnabled(contact != null);
        if (files == null || contact == null) {
            return;
        }
        ctx.background().run(() -> files.list(contact), list -> {
            if (!contact.equals(shown)) {
                return;
            }
            for (FileTransfer t : list) {
                known.putIfAbsent(t.id(), t); // an event that came meanwhile is newer
                place(known.get(t.id()));
            }
        }, e -> host.showError(errorText(e)));
    }

    /** The card for a conversation item if it is a file transfer, else null (the item shows its text). */
    public JComponent cardFor(Message m) {
        FileTransfer t = known.get(m.id());
        if (t == null) {
            return null;
        }
        return cards.computeIfAbsent(t.id(), id -> newCard(t));
    }

    /** Files dropped on {@code target}, or pasted into it, are offered to the shown contact. */
    public void acceptDrops(JComponent target) {
        if (files != null) {
            FileDrop.install(target, this::send);
        }
    }

    /** Offers {@code paths} to the shown contact, each in the background; false if none is shown. */
    public boolean send(List<Path> paths) {
        ContactId to = shown;
        if (files == null || to == null || paths.isEmpty()) {
            return false;
        }
        host.showError("");
        for (Path p : paths) {
            if (!Files.isRegularFile(p)) {
                host.showError(ctx.text("file.notAFile"));
                continue;
            }
            ctx.background().run(() -> files.offer(to, p), t -> {
                if (!to.equals(shown)) {
                    return;
                }
                known.put(t.id(), t);
                host.addItem(new Message(t.id(), to, Direction.OUTGOING, t.name(), t.offered(), null,
                        MessageStatus.QUEUED, true));
                place(t);
            }, e -> host.showError(errorText(e)));
        }
        return true;
    }

    /** The card shown for a transfer (tests). */
    public JComponent card(MessageId id) {
        return cards.get(id);
    }

    private void chooseAndSend() {
        if (shown == null) {
            return;
        }
        List<Path> chosen = places.filesToSend(host.window());
        if (!chosen.isEmpty()) {
            send(chosen);
        }
    }

    private void openSettings() {
        ContactId c = shown;
        if (c == null || files == null) {
            return;
        }
        JDialog old = settingsDialogs.remove(c);
        if (old != null) {
            old.dispose();
        }
        AutoAcceptPanel panel = new AutoAcceptPanel(ctx, files, c);
        JDialog d = DialogWindow.show(host.window(), ctx.format("file.settings.title", host.shownName()), panel,
                panel.save);
        d.setName("fileSettings");
        settingsDialogs.put(c, d);
    }

    /** The open "files from this contact" dialog, if any (tests). */
    public JDialog settingsDialog() {
        return shown == null ? null : settingsDialogs.get(shown);
    }

    void onEvent(FileEvent ev) {
        FileTransfer t = ev.transfer();
        if (shown == null || !t.contact().equals(shown)) {
            return;
        }
        known.put(t.id(), t);
        place(t);
    }

    /** Updates the transfer's card, or makes one and puts it in its item if shown. */
    private void place(FileTransfer t) {
        FileCard card = cards.get(t.id());
        if (card != null) {
            card.update(t);
            return;
        }
        card = newCard(t);
        if (host.decorate(t.id(), card)) {
            cards.put(t.id(), card);
        }
    }

    private FileCard newCard(FileTransfer t) {
        FileCard card = new FileCard(ctx, t, actions);
        Path file = saved.get(t.id());
        if (file != null) {
            card.setSaved(file);
        }
        clean(card);
        return card;
    }

    private record Outcome(String text, boolean error) {
    }

    /** Shows on a card whether a cleaned copy can be made, the metadata note, and the last outcome. */
    private void clean(FileCard card) {
        FileTransfer t = card.transfer();
        if (t.direction() == Direction.INCOMING && t.state() == FileTransfer.State.COMPLETE) {
            loadCleanTypes(); // asks mat2 once, the first time a received file is shown
        }
        Outcome o = cleanOutcomes.get(t.id());
        card.setClean(cleaned.canClean(t.name()), cleaned.note(t.name()), o == null ? "" : o.text(),
                o != null && o.error());
    }

    private final FileCard.Actions actions = new FileCard.Actions() {
        @Override
        public void accept(FileTransfer t) {
            act(t, () -> files.accept(t.id(), null));
        }

        @Override
        public void decline(FileTransfer t) {
            act(t, () -> files.decline(t.id()));
        }

        @Override
        public void pause(FileTransfer t) {
            act(t, () -> files.pause(t.id()));
        }

        @Override
        public void resume(FileTransfer t) {
            act(t, () -> files.resume(t.id()));
        }

        @Override
        public void cancel(FileTransfer t) {
            act(t, () -> files.cancel(t.id()));
        }

        @Override
        public void saveAs(FileTransfer t) {
            Path folder = lastSaveFolder != null ? lastSaveFolder : defaultFolder();
            // The peer's name is only a proposal, made safe: never a path of its own.
            Path target = places.saveTarget(host.window(), folder.resolve(FileNames.safe(t.name())));
            if (target == null) {
                return;
            }
            MessageId id = t.id();
            ctx.background().run(() -> files.export(id, target), written -> {
                saved.put(id, written);
                lastSaveFolder = written.getParent();
                FileCard card = cards.get(id);
                if (card != null) {
                    card.setSaved(written);
                }
            }, e -> host.showError(errorText(e)));
        }

        @Override
        public void saveCleaned(FileTransfer t) {
            Path folder = lastSaveFolder != null ? lastSaveFolder : defaultFolder();
            MessageId id = t.id();
            host.showError("");
            cleaned.save(host.window(), places, folder, t.name(), file -> files.export(id, file), r -> {
                saved.put(id, r.written());
                lastSaveFolder = r.written().getParent();
                cleanOutcomes.put(id, new Outcome(cleaned.outcome(r), false));
                FileCard card = cards.get(id);
                if (card != null) {
                    card.setSaved(r.written());
                    clean(card);
                }
            }, why -> {
                cleanOutcomes.put(id, new Outcome(why, true));
                FileCard card = cards.get(id);
                if (card != null) {
                    clean(card);
                }
            });
        }

        @Override
        public void openFolder(FileTransfer t) {
            Path file = saved.get(t.id());
            if (file == null || file.getParent() == null) {
                return;
            }
            Places p = places;
            ctx.background().run(() -> p.openFolder(file.getParent()), () -> { },
                    e -> host.showError(ctx.text("file.openFolder.failed")));
        }
    };

    /** Runs a state change in the background, then shows the transfer as the core now has it. */
    private void act(FileTransfer t, org.allium.desktop.Background.Work work) {
        MessageId id = t.id();
        host.showError("");
        ctx.background().run(() -> {
            work.run();
            return files.get(id);
        }, now -> now.ifPresent(fresh -> {
            if (fresh.contact().equals(shown)) {
                known.put(id, fresh);
                place(fresh);
            }
        }), e -> host.showError(errorText(e)));
    }

    /** ~/Downloads if it exists, else the home folder: where saving starts. */
    public static Path defaultFolder() {
        Path home = Path.of(System.getProperty("user.home"));
        Path downloads = home.resolve("Downloads");
        return Files.isDirectory(downloads) ? downloads : home;
    }

    private String errorText(Exception e) {
        if (e instanceof MessengerException) {
            return ctx.format("error.core", PlainText.line(e.getMessage(), 300));
        }
        LOG.warning("file operation failed: " + e.getClass().getName());
        return ctx.text("error.unexpected");
    }
}
