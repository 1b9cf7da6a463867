package org.allium.desktop.dropline;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Window;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.swing.AbstractButton;
import javax.swing.JDialog;
import javax.swing.JList;
import javax.swing.JToggleButton;
import javax.swing.SwingUtilities;
import org.allium.contacts.api.DropStore;
import org.allium.desktop.AlliumApp;
import org.allium.desktop.EdtWatchdog;
import org.allium.desktop.FakeCore;
import org.allium.desktop.ThemeChoice;
import org.allium.desktop.UiTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, the operator: the "Drop line" inbox of the main window, apart from contacts, in
 * a real window against the fake drop lines: switch it on with its acknowledgement and
 * retention; a source's submission arrives as an unread case named by its pseudonym with a
 * notification that says only "New submission"; reading marks it read; reply and team-only
 * note; close and reopen; delete now after a confirmation. Screenshots of every state in the
 * subclass's theme.
 */
@ExtendWith(EdtWatchdog.class)
abstract class InboxFlowCheck {
    static final String PASS = "correct horse battery staple";
    static final String HOSTILE = "<html><img src='http://127.0.0.1:9/x.png'><b>Secret</b> documents attached</html>";
    private final List<Path> shots = new ArrayList<>();

    abstract ThemeChoice theme();

    @AfterEach
    void close() {
        UiTestSupport.disposeAllWindows();
    }

    private void shot(Window w, String state) {
        shots.add(UiTestSupport.screenshot(w, "drop-inbox-" + state + "-" + theme().name().toLowerCase(Locale.ROOT)));
    }

    static AlliumApp unlockedApp(FakeCore core, FakeDropLines drops) throws Exception {
        core.create(core.defaultDirectory(), PASS.toCharArray(), "Newsdesk").close();
        AlliumApp a = onEdt(() -> new AlliumApp(UiTestSupport.context(core.access(drops), Locale.ENGLISH), () -> { }));
        edt(a::start);
        waitFor("unlock screen", () -> "unlock".equals(a.shownScreen()) && a.frame().isShowing());
        edt(() -> a.unlock(PASS.toCharArray()));
        waitFor("main screen", () -> "main".equals(a.shownScreen()));
        return a;
    }

    static <T extends java.awt.Component> T find(AlliumApp app, Class<T> type) {
        return onEdt(() -> UiTestSupport.find(app.frame(), type, c -> true));
    }

    @Test
    void anOperatorSwitchesItOnReadsRepliesNotesClosesAndDeletes() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        FakeDropLines drops = new FakeDropLines(CLOCK);
        AlliumApp app = unlockedApp(core, drops);
        JToggleButton toggle = onEdt(() -> UiTestSupport.find(app.frame(), JToggleButton.class,
                b -> "dropLineToggle".equals(b.getName())));
        assertNotNull(toggle, "the main window's toolbar has the drop line");
        assertEquals("Drop line", onEdt(toggle::getText));

        // Off: the inbox offers to switch it on, with the acknowledgement and retention.
        edt(toggle::doClick);
        DropSettingsPanel settings = find(app, DropSettingsPanel.class);
        waitFor("settings shown", () -> settings.isShowing() && !settings.address.getText().isEmpty());
        String address = onEdt(settings.address::getText);
        assertTrue(address.startsWith("allium:"), address);
        assertEquals("Received. We answer within 7 days.", onEdt(settings.acknowledgement::getText));
        edt(() -> {
            settings.on.doClick();
            settings.acknowledgement.setText("Received. A journalist reads every message within 3 days.");
            settings.retention.setValue(30);
        });
        shot(app.frame(), "off");
        edt(settings.save::doClick);
        FakeDropLines.Line line = drops.line(address.substring("allium:".length()));
        waitFor("switched on", () -> line.enabled() && !settings.isShowing());
        assertEquals("Received. A journalist reads every message within 3 days.", line.acknowledgement());
        assertEquals(30, line.retentionDays());

        // A source writes: an unread case named by its pseudonym, a notification with no content.
        SourceClient source = drops.newSource();
        String codename = Codenames.fresh(new java.security.SecureRandom());
        String serviceId = address.substring("allium:".length());
        source.submit(serviceId, codename, source.newId(), HOSTILE, s -> { });
        @SuppressWarnings("unchecked")
        JList<DropStore.Case> list = onEdt(() -> UiTestSupport.find(app.frame(), JList.class,
                l -> "dropCases".equals(l.getName())));
        waitFor("case listed", () -> list.getModel().getSize() == 1);
        DropStore.Case c = onEdt(() -> list.getModel().getElementAt(0));
        assertTrue(c.unread());
        assertEquals("Drop line (1)", onEdt(toggle::getText));
        assertEquals("Allium: New submission", onEdt(app::lastNotification));
        String pseudonym = c.pseudonym();
        assertTrue(pseudonym.matches("[a-z-]+ [a-z-]+ \\d\\d"), pseudonym);
        shot(app.frame(), "unread");

        // Reading marks it read; the text is plain.
        CaseView view = find(app, CaseView.class);
        edt(() -> list.setSelectedIndex(0));
        waitFor("items shown", () -> view.shownItems().size() == 1 && !list.getModel().getElementAt(0).unread());
        assertEquals(List.of("SUBMISSION: " + HOSTILE), onEdt(view::shownItems));
        assertEquals(pseudonym, onEdt(view.title::getText));
        assertEquals("Drop line", onEdt(toggle::getText));
        assertEquals(DropStore.State.READ, line.get(c.id()).state());

        // A reply for the source and a note for the team.
        edt(() -> view.text.setText("Thank you. Which office sent them?"));
        edt(view.send::doClick);
        waitFor("reply shown", () -> view.shownItems().size() == 2);
        assertEquals(DropStore.State.REPLIED, line.get(c.id()).state());
        edt(() -> {
            view.noteMode.doClick();
            view.text.setText("Looks like the 2024 tender; ask Maria to check the dates.");
        });
        assertEquals("Add note", onEdt(view.send::getText));
        edt(view.send::doClick);
        waitFor("note shown", () -> view.shownItems().size() == 3);
        assertEquals(List.of("SUBMISSION: " + HOSTILE, "REPLY: Thank you. Which office sent them?",
                "NOTE: Looks like the 2024 tender; ask Maria to check the dates."), onEdt(view::shownItems));
        assertEquals("Answered · 1 messages · 1 replies", onEdt(view.state::getText));
        shot(app.frame(), "case");

        // The source writes again while the case is open: it shows up there.
        source.submit(serviceId, codename, source.newId(), "The Ministry of Transport, in March.", s -> { });
        waitFor("new message shown", () -> view.shownItems().size() == 4);

        // "I take this one": assigned to this profile, by its name, for the whole team.
        assertTrue(onEdt(view.take::isShowing));
        edt(view.take::doClick);
        waitFor("taken", () -> !view.take.isShowing() && view.state.getText().contains("assigned to Newsdesk"));
        assertTrue(onEdt(() -> list.getModel().getElementAt(0).assignedTo() != null));

        // Close, reopen.
        edt(view.closeCase::doClick);
        waitFor("closed", () -> view.reopen.isShowing() && list.getModel().getElementAt(0).state() == DropStore.State.CLOSED);
        assertEquals(DropStore.State.CLOSED, line.get(c.id()).state());
        shot(app.frame(), "closed");
        edt(view.reopen::doClick);
        waitFor("reopened", () -> view.closeCase.isShowing());

        // Delete now, after a confirmation that names the pseudonym only.
        SwingUtilities.invokeLater(view.delete::doClick);
        waitFor("confirmation", () -> confirmation() != null);
        JDialog d = onEdt(InboxFlowCheck::confirmation);
        assertTrue(onEdt(() -> UiTestSupport.showsText(d, pseudonym)));
        shot(d, "delete");
        AbstractButton yes = onEdt(() -> UiTestSupport.button(d, "Delete"));
        edt(yes::doClick);
        waitFor("deleted", () -> list.getModel().getSize() == 0 && view.shown() == null);
        assertTrue(line.cases().isEmpty());

        // Back to the contacts.
        edt(toggle::doClick);
        waitFor("contacts shown", () -> !view.isShowing());

        for (Path f : shots) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertNotNull(img, f.toString());
            assertTrue(Files.size(f) > 5_000, f + " looks blank");
        }
    }

    /** Answers the save dialogs as a user would; remembers what it was asked. */
    static final class UserPlaces implements org.allium.desktop.files.Places {
        volatile Path saveTo;
        volatile Path suggested;
        final List<Path> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public List<Path> filesToSend(java.awt.Component parent) {
            return List.of();
        }

        @Override
        public Path saveTarget(java.awt.Component parent, Path suggested) {
            this.suggested = suggested;
            return saveTo;
        }

        @Override
        public void openFolder(Path dir) {
            opened.add(dir);
        }
    }

    private static List<String> labels(java.awt.Container c) {
        List<String> out = new ArrayList<>();
        for (java.awt.Component x : UiTestSupport.all(c)) {
            if (x instanceof javax.swing.JLabel l && x.isShowing() && l.getText() != null) {
                out.add(l.getText());
            }
        }
        return out;
    }

    private static AbstractButton cardButton(org.allium.desktop.files.FileCard card, String text) {
        return UiTestSupport.button(card, text);
    }

    /**
     * Issue 15: the files a source attached show under its message with the file-transfer card:
     * progress while they arrive, then "Save as…" (identical bytes), "Save a cleaned copy…"
     * (the real mat2: the author is gone from the copy) and "Open folder"; the source's file
     * name is plain text only.
     */
    @Test
    void attachmentsArriveWithProgressAndAreSavedAsIsOrCleaned(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        FakeDropLines drops = new FakeDropLines(CLOCK);
        AlliumApp app = unlockedApp(core, drops);
        FakeDropLines.Line line = drops.lines().get(0);
        line.setEnabled(true);
        line.submit(FakeDropLines.sourceKey("x", "y"), new byte[16], "The tender papers and a photo of the meeting.");
        long caseId = line.cases().get(0).id();
        byte[] pdf = org.allium.desktop.files.Mat2CleanerTest.pdfWithAuthor("Jane Official");
        byte[] png = org.allium.desktop.files.Mat2CleanerTest.pngWithAuthor("Maria Ionescu");
        org.allium.contacts.api.MessageId pdfId = line.attach(caseId, "Tender 2024 (annex).pdf", pdf, pdf.length / 2);
        org.allium.contacts.api.MessageId pngId = line.attach(caseId, "meeting.png", png, png.length);
        org.allium.contacts.api.MessageId odd = line.attach(caseId, HOSTILE + ".txt", new byte[] {1, 2}, 2);

        JToggleButton toggle = onEdt(() -> UiTestSupport.find(app.frame(), JToggleButton.class,
                b -> "dropLineToggle".equals(b.getName())));
        edt(toggle::doClick);
        @SuppressWarnings("unchecked")
        JList<DropStore.Case> list = onEdt(() -> UiTestSupport.find(app.frame(), JList.class,
                l -> "dropCases".equals(l.getName())));
        waitFor("case listed", () -> list.isShowing() && list.getModel().getSize() == 1);
        CaseView view = find(app, CaseView.class);
        UserPlaces places = new UserPlaces();
        edt(() -> view.attachments.setPlaces(places));
        edt(() -> list.setSelectedIndex(0));
        waitFor("attachments shown", () -> view.attachments.card(pdfId) != null && view.attachments.card(pdfId).isShowing()
                && view.attachments.card(odd) != null);
        org.allium.desktop.files.FileCard pdfCard = onEdt(() -> view.attachments.card(pdfId));
        List<String> arriving = onEdt(() -> labels(pdfCard));
        assertTrue(arriving.contains("Tender 2024 (annex).pdf"), arriving.toString());
        assertTrue(arriving.stream().anyMatch(t -> t.contains(" of ") && t.contains("waiting")), arriving.toString());
        assertEquals(500, (int) onEdt(() -> UiTestSupport.find(pdfCard, javax.swing.JProgressBar.class, b -> true)
                .getValue()));
        assertEquals(null, onEdt(() -> cardButton(pdfCard, "Save as…")), "nothing to save before it all arrived");
        assertEquals(null, onEdt(() -> cardButton(pdfCard, "Pause")), "an attachment is not steered");
        // The source's name is text, never markup.
        for (String t : onEdt(() -> labels(view.attachments.card(odd)))) {
            assertFalse(org.allium.desktop.PlainText.isHtml(t) && !t.contains("Files can carry"), t);
        }
        shot(app.frame(), "attachment-progress");

        // The rest arrives: Save as… writes it as received.
        line.progress(caseId, pdfId, pdf.length);
        waitFor("complete", () -> cardButton(view.attachments.card(pdfId), "Save as…") != null);
        places.saveTo = tmp.resolve("tender.pdf");
        edt(() -> cardButton(view.attachments.card(pdfId), "Save as…").doClick());
        waitFor("saved", () -> Files.exists(tmp.resolve("tender.pdf")));
        assertEquals("Tender 2024 (annex).pdf", places.suggested.getFileName().toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(pdf, Files.readAllBytes(tmp.resolve("tender.pdf")));

        // Save a cleaned copy…: mat2 on a copy; the card says what was removed.
        places.saveTo = tmp.resolve("meeting-clean.png");
        waitFor("clean offered", () -> cardButton(view.attachments.card(pngId), "Save a cleaned copy…") != null
                && cardButton(view.attachments.card(pngId), "Save a cleaned copy…").isEnabled());
        edt(() -> cardButton(view.attachments.card(pngId), "Save a cleaned copy…").doClick());
        waitFor("cleaned", 60, () -> labels(view.attachments.card(pngId)).stream()
                .anyMatch(t -> t.contains("Removed: Author, Comment")));
        assertEquals("meeting (cleaned).png", places.suggested.getFileName().toString());
        assertFalse(new String(Files.readAllBytes(tmp.resolve("meeting-clean.png")),
                java.nio.charset.StandardCharsets.ISO_8859_1).contains("Maria Ionescu"));
        edt(() -> cardButton(view.attachments.card(pngId), "Open folder").doClick());
        waitFor("folder opened", () -> !places.opened.isEmpty());
        assertEquals(tmp, places.opened.get(0));
        shot(app.frame(), "attachments-saved");
    }

    private static JDialog confirmation() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing() && "Delete this case?".equals(d.getTitle())) {
                return d;
            }
        }
        return null;
    }
}
