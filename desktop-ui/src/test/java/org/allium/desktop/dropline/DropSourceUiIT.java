package org.allium.desktop.dropline;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Window;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.swing.JDialog;
import org.allium.contacts.api.DropStore;
import org.allium.core.Messengers;
import org.allium.core.api.DropLine;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.desktop.AlliumApp;
import org.allium.desktop.Background;
import org.allium.desktop.CoreAccess;
import org.allium.desktop.DesktopMain;
import org.allium.desktop.Messages;
import org.allium.desktop.Theme;
import org.allium.desktop.ThemeChoice;
import org.allium.desktop.UiContext;
import org.allium.desktop.UiPreferences;
import org.allium.desktop.UiTestSupport;
import org.allium.desktop.files.Mat2CleanerTest;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the source's desktop side end to end on the private Tor network: a drop line (a
 * real core profile with the drop line on) and the desktop app's source window opened from
 * the first-run screen (no profile), running its own throw-away tor. The source writes,
 * attaches a photo (sent as mat2's cleaned copy) and a file mat2 cannot clean (sent as the
 * original, as the source chose), sends, and is shown its codename; the drop line holds the
 * text and the exact bytes of both files; it replies, and the source checks back with the
 * codename and reads the reply. Screenshots {@code e2e-drop-source-*-{light,dark}}.
 */
@ExtendWith(TestnetExtension.class)
class DropSourceUiIT {
    private static final int TOR_SECONDS = 300;
    private AlliumApp app;
    private Messenger line;
    private Profile profile;

    @BeforeAll
    static void warmUp() {
        UiTestSupport.warmUp();
    }

    @AfterEach
    void tearDown() {
        edt(() -> {
            for (Window w : Window.getWindows()) {
                w.dispose();
            }
            Theme.install(ThemeChoice.LIGHT);
        });
        if (line != null) {
            line.stop();
        }
        if (profile != null) {
            profile.close();
        }
    }

    /** The state in both themes. */
    private static void shots(Window w, String state) {
        UiTestSupport.screenshot(w, "e2e-drop-source-" + state + "-light");
        edt(() -> Theme.install(ThemeChoice.DARK));
        UiTestSupport.screenshot(w, "e2e-drop-source-" + state + "-dark");
        edt(() -> Theme.install(ThemeChoice.LIGHT));
    }

    private static JDialog sourceWindow() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && SourceWindow.NAME.equals(d.getName()) && d.isShowing()) {
                return d;
            }
        }
        return null;
    }

    /** Clicks {@code send} until the drop line answers (its onion may not be published yet, as a user would retry). */
    private static void sendUntilReached(SourcePanel p, javax.swing.JButton send, String from, String done) {
        long deadline = System.nanoTime() + TOR_SECONDS * 1_000_000_000L;
        edt(send::doClick);
        while (true) {
            waitFor("an answer", TOR_SECONDS, () -> !SourcePanel.BUSY.equals(p.shown()));
            if (done.equals(onEdt(p::shown))) {
                return;
            }
            assertEquals(from, onEdt(p::shown));
            assertTrue(System.nanoTime() < deadline, "the drop line was never reached");
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            edt(send::doClick);
        }
    }

    @Test
    void aSourceWritesAttachesFilesGetsItsCodenameAndReadsTheReplyOverTor(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        List<String> lines = testnet.clientTorrcLines();
        // The drop line: a real profile with the drop line switched on.
        profile = Messengers.profiles().create(tmp.resolve("newsdesk"), "newsdesk's long passphrase".toCharArray(),
                "Newsdesk");
        line = Messengers.create(profile, TorSettings.ownTor().withTestnetLines(lines));
        line.start();
        DropLine drop = Messengers.dropLine(line);
        drop.setEnabled(true);
        String address = line.myIdentity().link();

        // The source: the desktop app with no profile; its source window runs its own tor on the same network.
        UiPreferences prefs = UiPreferences.inMemory();
        prefs.setProfileDirectory(tmp.resolve("no-profile"));
        CoreAccess core = new CoreAccess(Messengers.profiles(),
                (p, tor) -> Messengers.create(p, tor.withTestnetLines(lines)),
                DropAccess.production(TorSettings.ownTor().withTestnetLines(lines)));
        UiContext ctx = new UiContext(new Messages(Locale.ENGLISH), new Background(DesktopMain.backgroundExecutor()),
                prefs, core, Clock.systemDefaultZone());
        app = onEdt(() -> new AlliumApp(ctx, () -> { }));
        edt(app::start);
        waitFor("first-run screen", 60, () -> "firstRun".equals(app.shownScreen()) && app.frame().isShowing());
        edt(() -> UiTestSupport.button(app.frame(), "Write to a drop line…").doClick());
        waitFor("source window", 30, () -> sourceWindow() != null);
        JDialog w = onEdt(DropSourceUiIT::sourceWindow);
        SourcePanel p = onEdt(() -> (SourcePanel) w.getContentPane());

        // Write, attach a photo (cleaned by mat2) and a file mat2 cannot clean (the original, chosen).
        Path photo = Files.write(tmp.resolve("photo.png"), Mat2CleanerTest.pngWithAuthor("Maria Ionescu"));
        byte[] ledger = new byte[300_000];
        new Random(15).nextBytes(ledger);
        Path data = Files.write(tmp.resolve("ledger.bin"), ledger);
        String text = "The ledger of the port authority, and a photo of the room.";
        edt(() -> {
            p.address.setText(address);
            p.writeNew.doClick();
            p.text.setText(text);
            p.files.add(List.of(photo, data));
        });
        waitFor("write card", 30, () -> SourcePanel.WRITE.equals(p.shown()));
        waitFor("files read", 60, () -> p.files.items().size() == 2 && p.files.items().stream()
                .allMatch(i -> i.state == SourceAttachments.State.READY || i.state == SourceAttachments.State.CHOOSE));
        SourceAttachments.Item bin = onEdt(() -> p.files.items().get(1));
        assertEquals(SourceAttachments.State.CHOOSE, onEdt(() -> bin.state));
        edt(bin.sendOriginal::doClick);
        byte[] cleaned = Files.readAllBytes(onEdt(() -> p.files.items().get(0).copy));
        assertFalse(new String(cleaned, StandardCharsets.ISO_8859_1).contains("Maria Ionescu"));
        assertTrue(onEdt(p.send::isEnabled));
        shots(w, "write");

        // Send: the codename, once.
        sendUntilReached(p, p.send, SourcePanel.WRITE, SourcePanel.CODENAME_OUT);
        String codename = onEdt(p.codenameShown::getText);
        assertEquals(7, codename.split(" ").length);
        shots(w, "codename");

        // The drop line holds the text and the exact bytes of both files.
        List<DropStore.Case> cases = drop.cases();
        assertEquals(1, cases.size());
        long caseId = cases.get(0).id();
        assertEquals(text, drop.read(caseId).get(0).text());
        List<DropStore.Attachment> files = drop.attachments(caseId);
        assertEquals(2, files.size(), files.toString());
        List<String> names = new ArrayList<>();
        Path out = Files.createDirectories(tmp.resolve("exported"));
        for (DropStore.Attachment a : files) {
            assertTrue(a.complete(), a.toString());
            names.add(a.spec().name());
            Path f = drop.export(caseId, a.fileId(), out);
            assertArrayEquals(a.spec().name().equals("photo.png") ? cleaned : ledger, Files.readAllBytes(f),
                    a.spec().name());
        }
        assertEquals(List.of("photo.png", "ledger.bin"), names);

        // The organisation replies; the source, shown its case, checks for replies.
        drop.reply(caseId, "Thank you. Which year is the ledger from?");
        edt(() -> {
            p.writtenDown.doClick();
            p.continueButton.doClick();
        });
        assertEquals(List.of("photo.png: received", "ledger.bin: received"), onEdt(p::sentFileTexts));
        sendUntilReached(p, p.refresh, SourcePanel.CASE, SourcePanel.CASE);
        waitFor("reply shown", 30, () -> p.replyTexts().size() == 1);
        assertEquals(List.of("Thank you. Which year is the ledger from?"), onEdt(p::replyTexts));
        assertEquals("Status: answered", onEdt(p.status::getText));
        shots(w, "case");

        // Coming back in a fresh window with only the address and the codename.
        edt(p.done::doClick);
        waitFor("source window closed", 30, () -> sourceWindow() == null);
        edt(() -> UiTestSupport.button(app.frame(), "Write to a drop line…").doClick());
        waitFor("source window", 30, () -> sourceWindow() != null);
        JDialog w2 = onEdt(DropSourceUiIT::sourceWindow);
        SourcePanel q = onEdt(() -> (SourcePanel) w2.getContentPane());
        edt(() -> {
            q.address.setText(address);
            q.haveCodename.doClick();
            q.codenameIn.setText(codename);
        });
        sendUntilReached(q, q.openCase, SourcePanel.CODENAME_IN, SourcePanel.CASE);
        assertEquals(List.of("Thank you. Which year is the ledger from?"), onEdt(q::replyTexts));
        assertEquals(List.of("photo.png: received", "ledger.bin: received"), onEdt(q::sentFileTexts));
        shots(w2, "back");
    }
}
