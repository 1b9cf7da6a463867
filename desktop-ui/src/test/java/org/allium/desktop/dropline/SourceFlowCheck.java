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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;
import javax.swing.JDialog;
import org.allium.contacts.api.DropStore;
import org.allium.core.dropline.DropSource;
import org.allium.desktop.AlliumApp;
import org.allium.desktop.EdtWatchdog;
import org.allium.desktop.FakeCore;
import org.allium.desktop.Theme;
import org.allium.desktop.ThemeChoice;
import org.allium.desktop.UiTestSupport;
import org.allium.protocol.IdentityKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, the source: from the first-run screen (no profile) to a drop line, in a real
 * window against a fake of the drop lines: first message, codename shown once with the
 * "written down" confirmation, replies and status, writing again, coming back with the
 * codename in a fresh window; text from the drop line only ever as plain text. Saves a
 * screenshot of every state in the subclass's theme.
 */
@ExtendWith(EdtWatchdog.class)
abstract class SourceFlowCheck {
    static final String HOSTILE = "<html><img src='http://127.0.0.1:9/x.png'>Received</html>";
    private final List<Path> shots = new ArrayList<>();
    private AlliumApp app;

    abstract ThemeChoice theme();

    static void installTheme(ThemeChoice t) {
        UiTestSupport.warmUp();
        edt(() -> Theme.install(t));
    }

    @AfterEach
    void close() {
        edt(() -> {
            for (Window w : Window.getWindows()) {
                w.dispose();
            }
        });
    }

    private void shot(Window w, String state) {
        shots.add(UiTestSupport.screenshot(w, "drop-source-" + state + "-" + theme().name().toLowerCase(Locale.ROOT)));
    }

    static String lineAddress() {
        return IdentityKeyPair.generate(new java.security.SecureRandom()).address().serviceId();
    }

    private AlliumApp firstRun(FakeDropLines drops) {
        FakeCore core = new FakeCore(CLOCK);
        AlliumApp a = onEdt(() -> new AlliumApp(UiTestSupport.context(core.access(drops), Locale.ENGLISH), () -> { }));
        edt(a::start);
        waitFor("first-run screen", () -> "firstRun".equals(a.shownScreen()) && a.frame().isShowing());
        return a;
    }

    private static JDialog sourceWindow() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && SourceWindow.NAME.equals(d.getName()) && d.isShowing()) {
                return d;
            }
        }
        return null;
    }

    private SourcePanel openSourceWindow() {
        edt(() -> UiTestSupport.button(app.frame(), "Write to a drop line…").doClick());
        waitFor("source window", () -> sourceWindow() != null);
        return onEdt(() -> (SourcePanel) sourceWindow().getContentPane());
    }

    /**
     * Where Tor is blocked, the source chooses bridges for this window's tor before writing:
     * pasted lines (a leading "Bridge" dropped) reach the source's tor settings, in memory only;
     * the tor started next uses them.
     */
    @Test
    void aSourceChoosesBridgesForThisWindowsTor() throws Exception {
        FakeDropLines drops = new FakeDropLines(CLOCK);
        String address = lineAddress();
        drops.line(address).setEnabled(true);
        app = firstRun(drops);
        SourcePanel p = openSourceWindow();
        JDialog w = onEdt(SourceFlowCheck::sourceWindow);
        FakeDropLines.Source client = drops.sources.get(drops.sources.size() - 1);
        edt(p.torSettings::doClick);
        assertEquals(SourcePanel.TOR, onEdt(p::shown));
        javax.swing.JTextArea lines = onEdt(() -> UiTestSupport.find(p, javax.swing.JTextArea.class,
                a -> "Bridge lines".equals(a.getAccessibleContext().getAccessibleName())));
        String bridge = "obfs4 192.0.2.7:443 0123456789ABCDEF0123456789ABCDEF01234567"
                + " cert=qUVQ0srL1JI/vO6V6m/24anYXiJD3QP2HgzUKQtQ7GRqqUvs7P+tG43RtAqdhLOALP7DJQ iat-mode=0";
        edt(() -> lines.setText("Bridge " + bridge + "\n"));
        shot(w, "tor");
        edt(p.useBridges::doClick);
        waitFor("back at the start", () -> SourcePanel.START.equals(p.shown())
                && p.startNote.getText().equals("Tor settings changed for this window."));
        assertEquals(List.of(bridge), client.torSettings().bridges());
        // They are used from the next call on: tor starts anew.
        edt(() -> {
            p.address.setText(address);
            p.writeNew.doClick();
            p.text.setText("Sent over a bridge.");
        });
        edt(p.send::doClick);
        waitFor("codename shown", () -> SourcePanel.CODENAME_OUT.equals(p.shown()));
        assertTrue(client.steps.contains(SourceClient.Step.STARTING_TOR));
        // Opening the settings again shows the choice.
        edt(() -> {
            p.writtenDown.doClick();
            p.continueButton.doClick();
        });
        assertEquals(List.of("Sent over a bridge."), drops.line(address).submissions());
    }

    @Test
    void aSourceWritesGetsACodenameOnceReadsRepliesAndComesBack() throws Exception {
        FakeDropLines drops = new FakeDropLines(CLOCK);
        String address = lineAddress();
        FakeDropLines.Line line = drops.line(address);
        line.setEnabled(true);
        line.setAcknowledgement(HOSTILE);
        app = firstRun(drops);
        SourcePanel p = openSourceWindow();
        JDialog w = onEdt(SourceFlowCheck::sourceWindow);
        assertEquals(SourcePanel.START, onEdt(p::shown));

        // A mistyped address: the reason, and nothing happens.
        edt(() -> {
            p.address.setText("allium:" + address.substring(0, 20) + (address.charAt(20) == 'a' ? 'b' : 'a')
                    + address.substring(21));
            p.writeNew.doClick();
        });
        assertEquals(SourcePanel.START, onEdt(p::shown));
        assertEquals("This address has a typo: one or more characters are wrong.", onEdt(p.addressStatus::getText));
        shot(w, "start-invalid");

        // First message: the write card, a busy card while tor starts, then the codename once.
        edt(() -> {
            p.address.setText("  allium:" + address.toUpperCase(Locale.ROOT) + "\n");
            p.writeNew.doClick();
        });
        assertEquals(SourcePanel.WRITE, onEdt(p::shown));
        edt(() -> p.text.setText("The port authority's tender was rigged. <b>I have the minutes.</b>"));
        assertTrue(onEdt(p.send::isEnabled));
        shot(w, "write");
        CountDownLatch gate = new CountDownLatch(1);
        drops.gate = gate;
        edt(p.send::doClick);
        waitFor("busy card", () -> SourcePanel.BUSY.equals(p.shown()) && p.step.getText().equals("Starting Tor…"));
        shot(w, "busy");
        drops.gate = null;
        gate.countDown();
        waitFor("codename shown", () -> SourcePanel.CODENAME_OUT.equals(p.shown()));
        String codename = onEdt(p.codenameShown::getText);
        assertEquals(7, codename.split(" ").length, codename);
        assertEquals(null, Codenames.problem(codename));
        assertEquals(List.of("The port authority's tender was rigged. <b>I have the minutes.</b>"), line.submissions());
        DropStore.Case c = line.cases().get(0);
        assertFalse(c.pseudonym().contains(codename.split(" ")[0] + " " + codename.split(" ")[1]),
                "the case is named by a pseudonym, not the codename");
        // Continue only once the source confirmed writing it down.
        assertFalse(onEdt(p.continueButton::isEnabled));
        shot(w, "codename");
        edt(p.writtenDown::doClick);
        assertTrue(onEdt(p.continueButton::isEnabled));
        edt(p.continueButton::doClick);
        assertEquals(SourcePanel.CASE, onEdt(p::shown));
        assertEquals(" ", onEdt(p.codenameShown::getText), "the codename leaves the screen");
        assertEquals("Status: received, not read yet", onEdt(p.status::getText));
        // The drop line's acknowledgement is outside text: plain, never HTML.
        assertEquals(HOSTILE, onEdt(p.acknowledgement::getText));
        assertTrue(onEdt(() -> UiTestSupport.showsText(p, "No replies yet.")));

        // The organisation reads and answers; the source checks for replies.
        line.read(c.id());
        line.reply(c.id(), "Thank you. <a href='http://127.0.0.1:9/'>Can you</a> say which year?");
        edt(p.refresh::doClick);
        waitFor("reply shown", () -> SourcePanel.CASE.equals(p.shown()) && p.replyTexts().size() == 1);
        assertEquals(List.of("Thank you. <a href='http://127.0.0.1:9/'>Can you</a> say which year?"),
                onEdt(p::replyTexts));
        assertEquals("Status: answered", onEdt(p.status::getText));
        shot(w, "case");

        // Writing again goes into the same case and shows no codename.
        edt(() -> p.again.setText("2024. The minutes are dated 12 March."));
        edt(p.sendAgain::doClick);
        waitFor("sent again", () -> SourcePanel.CASE.equals(p.shown()) && p.caseNote.getText().startsWith("Sent."));
        assertEquals(1, line.cases().size());
        assertEquals(2, line.cases().get(0).submissions());
        assertEquals("Status: received, not read yet", onEdt(p.status::getText));
        assertEquals(" ", onEdt(p.codenameShown::getText));

        // Closing the window stops the source's tor and forgets everything.
        FakeDropLines.Source first = drops.sources.get(0);
        edt(p.done::doClick);
        waitFor("source closed", () -> first.closed && sourceWindow() == null);

        // Coming back: a fresh window, the address and the codename.
        SourcePanel q = openSourceWindow();
        JDialog w2 = onEdt(SourceFlowCheck::sourceWindow);
        edt(() -> {
            q.address.setText(address);
            q.haveCodename.doClick();
        });
        assertEquals(SourcePanel.CODENAME_IN, onEdt(q::shown));
        edt(() -> {
            q.codenameIn.setText(String.join(" ", Arrays.copyOf(codename.split(" "), 3)));
            q.openCase.doClick();
        });
        assertEquals("A codename has 7 words; this has 3.", onEdt(q.codenameStatus::getText));
        edt(() -> {
            String[] typo = codename.split(" ");
            typo[4] = "zzzq";
            q.codenameIn.setText(String.join(" ", typo));
            q.openCase.doClick();
        });
        assertEquals("Word 5 is not a codename word. Check its spelling.", onEdt(q.codenameStatus::getText));
        edt(() -> q.showCodename.doClick());
        shot(w2, "codename-in");
        edt(() -> {
            q.codenameIn.setText("  " + codename.toUpperCase(Locale.ROOT).replace(" ", "   ") + " ");
            q.openCase.doClick();
        });
        waitFor("case shown", () -> SourcePanel.CASE.equals(q.shown()));
        assertEquals(List.of("Thank you. <a href='http://127.0.0.1:9/'>Can you</a> say which year?"),
                onEdt(q::replyTexts));
        assertEquals("", new String(onEdt(q.codenameIn::getPassword)), "the typed codename is not kept in the field");

        // A codename nobody used looks like a case without replies.
        edt(() -> q.done.doClick());
        SourcePanel r = openSourceWindow();
        edt(() -> {
            r.address.setText(address);
            r.haveCodename.doClick();
            r.codenameIn.setText(Codenames.fresh(new java.security.SecureRandom()));
            r.openCase.doClick();
        });
        waitFor("case shown", () -> SourcePanel.CASE.equals(r.shown()));
        assertEquals("Status: received, not read yet", onEdt(r.status::getText));
        assertEquals(List.of(), onEdt(r::replyTexts));
        assertEquals(1, line.cases().size(), "a check-in creates no case");

        // An unreachable drop line: a sentence, and the text stays for a retry with the same id.
        line.setEnabled(false);
        edt(() -> r.again.setText("Are you there?"));
        edt(r.sendAgain::doClick);
        waitFor("error shown", () -> SourcePanel.CASE.equals(r.shown()) && r.caseError.getText().startsWith("Could not"));
        assertEquals("Are you there?", onEdt(r.again::getText));
        JDialog w3 = onEdt(SourceFlowCheck::sourceWindow);
        shot(w3, "unreachable");
        line.setEnabled(true);
        line.refuse = DropSource.Refusal.SOURCE_QUOTA;
        edt(r.sendAgain::doClick);
        waitFor("refusal shown", () -> SourcePanel.CASE.equals(r.shown())
                && r.caseError.getText().startsWith("The drop line has received too much"));
        line.refuse = null;
        edt(r.sendAgain::doClick);
        waitFor("sent", () -> r.caseNote.getText().startsWith("Sent."));
        assertEquals(2, line.cases().size());

        for (Path f : shots) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertNotNull(img, f.toString());
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 500, f + " is too small");
            assertTrue(Files.size(f) > 5_000, f + " looks blank");
        }
    }
}
