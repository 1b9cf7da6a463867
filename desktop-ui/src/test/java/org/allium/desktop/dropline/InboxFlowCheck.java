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
        edt(() -> {
            for (Window w : Window.getWindows()) {
                w.dispose();
            }
        });
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

    private static JDialog confirmation() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing() && "Delete this case?".equals(d.getTitle())) {
                return d;
            }
        }
        return null;
    }
}
