package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.Transferable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.TransferHandler;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, desktop: file transfers in a real window against the fake core — attach with the
 * button, drop and paste, the offer shown like a message with progress, speed and time left on
 * both sides, pause / resume / cancel, Accept / Decline, "Save as…" (the peer's name only a
 * safe proposal), "Open folder", "the original is gone", and the contact's auto-accept
 * setting. The offer / progress / done screenshots in both themes are ScreenGallery's
 * ("main-file-*" by Light/DarkScreenshotTest).
 */
class FileTransferUiTest extends UiTest {
    @TempDir
    Path tmp;

    private FileShots shots() throws Exception {
        app = gallery.populatedMain();
        return new FileShots(app, tmp, Locale.ENGLISH);
    }

    @Test
    void attachShowsTheOfferThenProgressThenSaveAndOpenFolder() throws Exception {
        FileShots s = shots();
        s.offers();
        FileShots.FileCardView ours = s.card(s.sent);
        List<String> texts = onEdt(ours::texts);
        assertTrue(texts.contains("Port contracts 2019.pdf"), texts.toString());
        assertTrue(texts.contains("3.3 MB · PDF"), texts.toString());
        assertTrue(texts.contains("Waiting for them to accept."), texts.toString());
        assertEquals("file", onEdt(() -> app.main.conversation.bubble(s.sent).body().getName()));
        FileShots.FileCardView theirs = s.card(s.received);
        assertNotNull(onEdt(() -> theirs.button("file.accept")));
        assertNotNull(onEdt(() -> theirs.button("file.decline")));
        assertTrue(onEdt(theirs::texts).contains("Wants to send you this file."));

        s.progress();
        List<String> running = onEdt(() -> s.card(s.sent).texts());
        // 40 % of 3.3 MB at 410 KB/s: speed and time left are shown.
        assertTrue(running.contains("1.3 MB of 3.3 MB · 410 KB/s · about 5 s left"), running.toString());
        assertEquals(400, (int) onEdt(() -> s.card(s.sent).bar().getValue()));
        assertTrue(onEdt(() -> s.card(s.received).texts()).stream().anyMatch(t -> t.contains("/s · about")),
                "the receiver's side shows speed and time left too");

        s.done();
        Path saved = s.dir.resolve("saved").resolve("board minutes.mp4");
        assertArrayEquals(s.receivedData, Files.readAllBytes(saved));
        // The peer's name was only proposed, as a safe name in an ordinary folder.
        assertEquals("Minutes of the board, March.mp4", s.places.suggested.getFileName().toString());
        assertTrue(onEdt(() -> s.card(s.received).texts()).contains("Saved as board minutes.mp4."));
        assertTrue(onEdt(() -> s.card(s.sent).texts()).contains("Sent and verified."));
        edt(() -> s.card(s.received).button("file.openFolder").doClick());
        waitFor("folder opened", () -> !s.places.opened.isEmpty());
        assertEquals(saved.getParent(), s.places.opened.get(0));
    }

    /**
     * Issue 15: "Save a cleaned copy…" beside "Save as…" runs the real mat2 on a copy: the
     * copy is written without the author, the original stays as received, the card says what
     * was removed and that files carry metadata.
     */
    @Test
    void aReceivedFileIsSavedAsACleanedCopyWithWhatWasRemoved() throws Exception {
        FileShots s = shots();
        s.cleaned();
        assertEquals("Harbour at night (cleaned).png", s.places.suggested.getFileName().toString());
        Path copy = s.dir.resolve("cleaned").resolve("harbour.png");
        byte[] cleaned = Files.readAllBytes(copy);
        assertFalse(new String(cleaned, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Maria Ionescu"));
        assertTrue(s.files.calls.contains("export"));
        List<String> texts = onEdt(() -> s.card(s.picture).texts());
        assertTrue(texts.stream().anyMatch(t -> t.contains("Cleaned copy saved. Removed: Author, Comment.")),
                texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.contains("Files can carry hidden metadata")), texts.toString());
        assertTrue(texts.contains("Saved as harbour.png."), texts.toString());
        // The original is still there as received: "Save as…" writes it with its metadata.
        s.places.saveTo = s.dir.resolve("original.png");
        edt(() -> s.card(s.picture).button("file.saveAs").doClick());
        waitFor("original saved", () -> Files.exists(s.dir.resolve("original.png")));
        assertArrayEquals(s.pictureData, Files.readAllBytes(s.dir.resolve("original.png")));
        // Open folder shows where the copy went.
        edt(() -> s.card(s.picture).button("file.openFolder").doClick());
        waitFor("folder opened", () -> !s.places.opened.isEmpty());
    }

    /** A file mat2 cannot read: the card says so in words, nothing is written. */
    @Test
    void aFileMat2CannotCleanSaysWhyAndWritesNothing() throws Exception {
        FileShots s = shots();
        MessageId id = s.files.receiveOffer(s.contact.id(), "scan.png", "not a picture".getBytes()).id();
        waitFor("offered", () -> s.card(id).button("file.accept") != null);
        edt(() -> s.card(id).button("file.accept").doClick());
        s.files.update(id, FileTransfer.State.COMPLETE, 13, 0, null, false);
        waitFor("done", () -> s.card(id).button("file.clean") != null && s.card(id).button("file.clean").isEnabled());
        s.places.saveTo = tmp.resolve("scan-clean.png");
        edt(() -> s.card(id).button("file.clean").doClick());
        waitFor("failure said", 60, () -> s.card(id).texts().stream()
                .anyMatch(t -> t.contains("mat2 could not clean this file")));
        assertFalse(Files.exists(tmp.resolve("scan-clean.png")));
        // A type mat2 does not know: the button is off and the note says why.
        MessageId odd = s.files.receiveOffer(s.contact.id(), "data.xyz", new byte[] {1}).id();
        waitFor("offered", () -> s.card(odd).button("file.accept") != null);
        edt(() -> s.card(odd).button("file.accept").doClick());
        s.files.update(odd, FileTransfer.State.COMPLETE, 1, 0, null, false);
        waitFor("unsupported said", () -> s.card(odd).texts().stream()
                .anyMatch(t -> t.contains("mat2 cannot clean .xyz files")));
        assertFalse(onEdt(() -> s.card(odd).button("file.clean").isEnabled()));
    }

    /** Without mat2 the option is there but off, and the card says why. */
    @Test
    void withoutMat2TheOptionSaysWhyItIsUnavailable() throws Exception {
        FileShots s = shots();
        edt(() -> app.main.files.setCleaner(new org.allium.desktop.files.Mat2Cleaner(null, tmp)));
        s.offers();
        s.progress();
        s.done();
        FileShots.FileCardView card = s.card(s.received);
        assertFalse(onEdt(() -> card.button("file.clean").isEnabled()));
        assertTrue(onEdt(card::texts).stream().anyMatch(t -> t.contains("mat2, which is not installed here")),
                onEdt(card::texts).toString());
    }

    @Test
    void pauseResumeCancelAndDecline() throws Exception {
        FileShots s = shots();
        s.offers();
        s.files.update(s.sent, FileTransfer.State.ACTIVE, 1000, 5000, null, false);
        waitFor("pause shown", () -> s.card(s.sent).button("file.pause") != null);
        edt(() -> s.card(s.sent).button("file.pause").doClick());
        waitFor("paused", () -> s.card(s.sent).button("file.resume") != null);
        assertTrue(onEdt(() -> s.card(s.sent).texts()).stream().anyMatch(t -> t.startsWith("Paused at")));
        edt(() -> s.card(s.sent).button("file.resume").doClick());
        waitFor("resumed", () -> s.card(s.sent).button("file.pause") != null);
        edt(() -> s.card(s.sent).button("file.cancel").doClick());
        waitFor("cancelled", () -> s.card(s.sent).texts().contains("Cancelled."));
        assertNull(onEdt(() -> s.card(s.sent).button("file.pause")));
        edt(() -> s.card(s.received).button("file.decline").doClick());
        waitFor("declined", () -> s.card(s.received).texts().contains("Declined."));
        assertEquals(List.of("offer", "pause", "resume", "cancel", "decline"), s.files.calls);
    }

    @Test
    void theOriginalGoneIsSaidOnBothSides() throws Exception {
        FileShots s = shots();
        s.offers();
        s.files.update(s.sent, FileTransfer.State.OFFERED, 0, 0, null, true);
        waitFor("gone (ours)", () -> s.card(s.sent).texts().contains(
                "The original is gone: the file was removed or changed since you offered it."));
        edt(() -> s.card(s.received).button("file.accept").doClick());
        waitFor("accepted", () -> s.files.calls.contains("accept"));
        s.files.update(s.received, FileTransfer.State.FAILED, 0, 0,
                "The file changed or was removed on the sender's side.", true);
        waitFor("gone (theirs)", () -> s.card(s.received).texts().contains(
                "The original is gone: the sender's file was removed or changed, so it cannot be received."));
        assertNull(onEdt(() -> s.card(s.received).button("file.resume")));
    }

    @Test
    void filesDroppedOnTheConversationOrPastedInTheComposerAreOffered() throws Exception {
        FileShots s = shots();
        Path a = Files.writeString(tmp.resolve("a.txt"), "first");
        Path b = Files.writeString(tmp.resolve("b.zip"), "second");
        Transferable list = fileList(a.toFile(), b.toFile());
        // Dropped on the message list.
        assertTrue(onEdt(() -> importInto(app.main.conversation.messages, list)));
        waitFor("two offers", () -> s.files.all().size() == 2);
        // Pasted into the composer (Ctrl+V goes through the same handler).
        assertTrue(onEdt(() -> importInto(app.main.conversation.composer.area, fileList(a.toFile()))));
        waitFor("third offer", () -> s.files.all().size() == 3);
        waitFor("cards shown", () -> s.files.all().stream().allMatch(t -> s.card(t.id()).isShowing()));
        // Text still pastes as text, and a folder is not sent.
        edt(() -> app.main.conversation.composer.area.setText(""));
        assertTrue(onEdt(() -> importInto(app.main.conversation.composer.area, new StringSelection("hello"))));
        assertEquals("hello", onEdt(app.main.conversation.composer.area::getText));
        assertTrue(onEdt(() -> importInto(app.main.conversation.messages, fileList(tmp.toFile()))));
        waitFor("refused", () -> app.main.conversation.error.getText().contains("not folders"));
        assertEquals(3, s.files.all().size());
    }

    @Test
    void theContactsAutoAcceptSettingIsSaved() throws Exception {
        FileShots s = shots();
        edt(() -> app.main.files.settings.doClick());
        waitFor("dialog", () -> app.main.files.settingsDialog() != null && app.main.files.settingsDialog().isShowing());
        JDialog d = onEdt(() -> app.main.files.settingsDialog());
        assertEquals("Files from Bogdan (newsroom)", onEdt(d::getTitle));
        UiTestSupport.screenshot(d, "dialog-file-settings-light");
        javax.swing.JCheckBox box = onEdt(() -> UiTestSupport.find(d.getContentPane(), javax.swing.JCheckBox.class,
                x -> true));
        javax.swing.JSpinner spin = onEdt(() -> UiTestSupport.find(d.getContentPane(), javax.swing.JSpinner.class,
                x -> true));
        waitFor("loaded", () -> UiTestSupport.button(d.getContentPane(), "Save").isEnabled());
        edt(() -> {
            box.doClick();
            spin.setValue(40);
            UiTestSupport.button(d.getContentPane(), "Save").doClick();
        });
        waitFor("saved", () -> s.files.calls.contains("autoAccept"));
        assertEquals(40L * 1024 * 1024, s.files.autoAcceptBytes(s.contact.id()));
    }

    @Test
    void aHostileFileNameIsShownAsPlainTextAndNeverUsedAsAPath() throws Exception {
        FileShots s = shots();
        String hostile = "<html><img src='http://127.0.0.1:9/x'>../../.bashrc\u202Efdp.exe";
        MessageId id = s.files.receiveOffer(s.contact.id(), hostile, new byte[] {1, 2, 3}).id();
        waitFor("shown", () -> s.card(id).isShowing());
        for (String t : onEdt(() -> s.card(id).texts())) {
            assertFalse(PlainText.isHtml(t), t);
            assertFalse(t.contains("\u202E"), "bidi override removed: " + t);
        }
        edt(() -> s.card(id).button("file.accept").doClick());
        waitFor("accepted", () -> s.files.calls.contains("accept"));
        s.files.update(id, FileTransfer.State.COMPLETE, 3, 0, null, false);
        waitFor("done", () -> s.card(id).button("file.saveAs") != null);
        s.places.saveTo = null; // the user cancels: nothing is written
        edt(() -> s.card(id).button("file.saveAs").doClick());
        Path suggested = s.places.suggested;
        assertNotNull(suggested);
        String name = suggested.getFileName().toString();
        assertFalse(name.contains("/") || name.startsWith(".") || name.contains("\u202E"), name);
        assertEquals(suggested.getParent(), suggested.resolveSibling(name).getParent());
        assertFalse(s.files.calls.contains("export"));
    }

    private static boolean importInto(JComponent c, Transferable t) {
        return c.getTransferHandler().importData(new TransferHandler.TransferSupport(c, t));
    }

    private static Transferable fileList(File... files) {
        return new Transferable() {
            @Override
            public DataFlavor[] getTransferDataFlavors() {
                return new DataFlavor[] {DataFlavor.javaFileListFlavor};
            }

            @Override
            public boolean isDataFlavorSupported(DataFlavor flavor) {
                return DataFlavor.javaFileListFlavor.equals(flavor);
            }

            @Override
            public Object getTransferData(DataFlavor flavor) {
                return List.of(files);
            }
        };
    }
}
