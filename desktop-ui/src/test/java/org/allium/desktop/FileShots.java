package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;

import java.awt.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JProgressBar;
import org.allium.core.api.Contact;
import org.allium.core.api.Direction;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.allium.desktop.files.Places;

/**
 * Drives file transfers in a fake-backed main window (issue 14): a file attached with the
 * button, an incoming offer, their progress and completion, "Save as…" and "Open folder", with
 * {@link Places} answering for the user. Used by {@link FileTransferUiTest} and, for the
 * offer / progress / done screenshots in both themes, by {@link ScreenGallery}.
 */
final class FileShots {
    /** Answers the app's file dialogs as a user would, and remembers what it was asked. */
    static final class UserPlaces implements Places {
        volatile List<Path> toSend = List.of();
        volatile Path saveTo;
        volatile Path suggested;
        final List<Path> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public List<Path> filesToSend(Component parent) {
            return toSend;
        }

        @Override
        public Path saveTarget(Component parent, Path suggested) {
            this.suggested = suggested;
            return saveTo;
        }

        @Override
        public void openFolder(Path dir) {
            opened.add(dir);
        }
    }

    static final int SENT_SIZE = 3_481_600;
    final AlliumApp app;
    final FakeFiles files;
    final UserPlaces places = new UserPlaces();
    final Path dir;
    final Contact contact;
    MessageId sent;
    MessageId received;
    byte[] receivedData;
    private final Messages messages;

    /** @param app a main window with a conversation shown (ScreenGallery.populatedMain) */
    FileShots(AlliumApp app, Path dir, java.util.Locale locale) {
        this.app = app;
        this.messages = new Messages(locale);
        this.dir = dir;
        this.files = ((FakeCore.FakeMessenger) onEdt(() -> app.session().messenger())).files;
        this.contact = onEdt(() -> app.main.conversation.contact());
        edt(() -> app.main.files.setPlaces(places));
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "file-ui")), "shots");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FileCardView card(MessageId id) {
        return new FileCardView(messages, javax.swing.SwingUtilities.isEventDispatchThread() ? app.main.files.card(id)
                : onEdt(() -> app.main.files.card(id)));
    }

    /** The offer state: our file attached with the button, and theirs arrived. */
    void offers() throws Exception {
        Path report = dir.resolve("Port contracts 2019.pdf");
        byte[] data = new byte[SENT_SIZE];
        new java.util.Random(1).nextBytes(data);
        Files.write(report, data);
        places.toSend = List.of(report);
        edt(() -> app.main.files.attach.doClick());
        waitFor("our offer sent to the core", () -> files.latest(Direction.OUTGOING) != null);
        sent = files.latest(Direction.OUTGOING).id();
        waitFor("our offer shown", () -> card(sent).isShowing());
        receivedData = new byte[1024];
        new java.util.Random(2).nextBytes(receivedData);
        received = files.receiveOffer(contact.id(), "Minutes of the board, March.mp4", receivedData).id();
        waitFor("their offer shown", () -> card(received).isShowing());
        scrollToEnd();
    }

    /** The progress state: they accepted ours, we accepted theirs; data flows both ways. */
    void progress() throws Exception {
        ((FakeCore.FakeMessenger) onEdt(() -> app.session().messenger())).setStatus(contact.id(), sent,
                org.allium.core.api.MessageStatus.DELIVERED);
        files.update(sent, FileTransfer.State.ACTIVE, SENT_SIZE * 2L / 5, 420_000, null, false);
        edt(() -> card(received).button("file.accept").doClick());
        waitFor("accepted", () -> files.calls.contains("accept"));
        files.update(received, FileTransfer.State.ACTIVE, 700, 96_000, null, false);
        waitFor("progress shown", () -> card(sent).bar().getValue() == 400 && card(received).bar().getValue() > 600);
        scrollToEnd();
    }

    /** The done state: ours is confirmed, theirs verified and saved with "Save as…". */
    void done() throws Exception {
        files.update(sent, FileTransfer.State.COMPLETE, SENT_SIZE, 0, null, false);
        files.update(received, FileTransfer.State.COMPLETE, receivedData.length, 0, null, false);
        waitFor("complete shown", () -> card(received).button("file.saveAs") != null);
        Path out = dir.resolve("saved");
        Files.createDirectories(out);
        places.saveTo = out.resolve("board minutes.mp4");
        edt(() -> card(received).button("file.saveAs").doClick());
        waitFor("saved", () -> card(received).button("file.openFolder") != null);
        scrollToEnd();
    }

    MessageId picture;
    byte[] pictureData;

    /**
     * A received picture carrying its author's name, saved as a cleaned copy by the real mat2
     * ("Save a cleaned copy…"): the copy lands where the user chose, the card says what was removed.
     */
    void cleaned() throws Exception {
        pictureData = org.allium.desktop.files.Mat2CleanerTest.pngWithAuthor("Maria Ionescu");
        picture = files.receiveOffer(contact.id(), "Harbour at night.png", pictureData).id();
        waitFor("picture offered", () -> card(picture).button("file.accept") != null);
        edt(() -> card(picture).button("file.accept").doClick());
        files.update(picture, FileTransfer.State.COMPLETE, pictureData.length, 0, null, false);
        waitFor("picture received", () -> card(picture).button("file.clean") != null
                && card(picture).button("file.clean").isEnabled());
        Path out = Files.createDirectories(dir.resolve("cleaned"));
        places.saveTo = out.resolve("harbour.png");
        edt(() -> card(picture).button("file.clean").doClick());
        String done = messages.text("file.clean.done");
        String saidDone = done.substring(0, done.indexOf("{0}")); // in the gallery's language
        waitFor("cleaned copy saved", 60, () -> card(picture).texts().stream().anyMatch(t -> t.contains(saidDone)));
        scrollToEnd();
    }

    private void scrollToEnd() {
        edt(() -> {
            javax.swing.JScrollBar bar = app.main.conversation.scroll.getVerticalScrollBar();
            app.main.conversation.scroll.validate();
            bar.setValue(bar.getMaximum());
        });
    }

    /** Reads a file card through its components (event thread inside). */
    static final class FileCardView {
        private final JComponent card;
        private final Messages messages;

        FileCardView(Messages messages, JComponent card) {
            this.card = card;
            this.messages = messages;
        }

        boolean isShowing() {
            return card != null && card.isShowing();
        }

        /** The showing button of the card with the text of {@code key}, or null. */
        javax.swing.AbstractButton button(String key) {
            return card == null ? null : UiTestSupport.button(card, Ui.plain(messages.text(key)));
        }

        JProgressBar bar() {
            return UiTestSupport.find(card, JProgressBar.class, b -> true);
        }

        List<String> texts() {
            List<String> out = new ArrayList<>();
            for (Component c : UiTestSupport.all(card)) {
                if (c instanceof JLabel l && c.isShowing()) {
                    out.add(l.getText());
                }
            }
            return out;
        }
    }
}
