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
        UiTestSupport.disposeAllWindows();
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
        waitFor("write card", () -> SourcePanel.WRITE.equals(p.shown()));
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

    /** Answers the file dialog as a user would. */
    private static final class Chosen implements org.allium.desktop.files.Places {
        volatile List<Path> files = List.of();

        @Override
        public List<Path> filesToSend(java.awt.Component parent) {
            return files;
        }

        @Override
        public Path saveTarget(java.awt.Component parent, Path suggested) {
            return null;
        }

        @Override
        public void openFolder(Path dir) {
        }
    }

    /** Drops {@code files} on {@code c} through its transfer handler, as a drag from the file manager does. */
    private static boolean dropFiles(javax.swing.JComponent c, List<Path> files) {
        java.awt.datatransfer.Transferable t = new java.awt.datatransfer.Transferable() {
            @Override
            public java.awt.datatransfer.DataFlavor[] getTransferDataFlavors() {
                return new java.awt.datatransfer.DataFlavor[] {java.awt.datatransfer.DataFlavor.javaFileListFlavor};
            }

            @Override
            public boolean isDataFlavorSupported(java.awt.datatransfer.DataFlavor f) {
                return java.awt.datatransfer.DataFlavor.javaFileListFlavor.equals(f);
            }

            @Override
            public Object getTransferData(java.awt.datatransfer.DataFlavor f) {
                return files.stream().map(Path::toFile).toList();
            }
        };
        return onEdt(() -> c.getTransferHandler().importData(new javax.swing.TransferHandler.TransferSupport(c, t)));
    }

    private static SourceAttachments.Item item(SourceAttachments a, String name) {
        return onEdt(() -> a.items().stream().filter(i -> i.name.equals(name)).findFirst().orElse(null));
    }

    /**
     * The source attaches files with "Attach files…" and by dropping them on the message: each
     * listed with its name and what exactly will be sent — a cleaned copy (real mat2) that says
     * what was removed; a type mat2 cannot clean waits for the source to choose the original; a
     * folder or a missing file is refused with the reason. The upload shows each file's progress;
     * a connection lost mid-file resumes by itself where it stopped ("Resuming…"); the drop line
     * holds the cleaned copy's and the original's exact bytes; the case lists the files received.
     */
    @Test
    void aSourceAttachesFilesTheUploadResumesAndTheDropLineGetsTheirBytes(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        FakeDropLines drops = new FakeDropLines(CLOCK);
        String address = lineAddress();
        FakeDropLines.Line line = drops.line(address);
        line.setEnabled(true);
        app = firstRun(drops);
        SourcePanel p = openSourceWindow();
        JDialog w = onEdt(SourceFlowCheck::sourceWindow);
        Chosen chosen = new Chosen();
        edt(() -> {
            p.files.setPlaces(chosen);
            p.resumeDelaysMs = new long[] {1_500, 1_500, 1_500};
            p.address.setText(address);
            p.writeNew.doClick();
            p.text.setText("The minutes and a photo of the meeting room.");
        });
        waitFor("write card", () -> SourcePanel.WRITE.equals(p.shown()));

        // Without mat2 the option is off and says why; files would go as they are.
        edt(() -> p.files.setCleaner(new org.allium.desktop.files.Mat2Cleaner(null, tmp)));
        assertFalse(onEdt(p.files.clean::isEnabled));
        assertFalse(onEdt(p.files.clean::isSelected));
        assertTrue(onEdt(p.files.cleanNote::getText).contains("not installed here"));
        edt(() -> p.files.setCleaner(org.allium.desktop.files.Mat2Cleaner.system()));
        assertTrue(onEdt(p.files.clean::isSelected), "on by default where mat2 is installed");

        Path photo = Files.write(tmp.resolve("photo.png"), org.allium.desktop.files.Mat2CleanerTest.pngWithAuthor("Maria Ionescu"));
        byte[] minutesBytes = new byte[200_000];
        new java.util.Random(7).nextBytes(minutesBytes);
        Path minutes = Files.write(tmp.resolve("minutes.xyz"), minutesBytes);
        Path folder = Files.createDirectories(tmp.resolve("a folder"));
        Path missing = tmp.resolve("gone.txt");
        chosen.files = List.of(photo, folder);
        edt(p.files.attach::doClick);
        assertTrue(dropFiles(p.text, List.of(minutes, missing)), "files dropped on the message are attached");
        waitFor("files read", () -> p.files.items().size() == 4 && p.files.items().stream()
                .noneMatch(i -> i.state == SourceAttachments.State.READING || i.state == SourceAttachments.State.CLEANING));
        SourceAttachments.Item ph = item(p.files, "photo.png");
        SourceAttachments.Item mi = item(p.files, "minutes.xyz");
        SourceAttachments.Item fo = item(p.files, "a folder");
        SourceAttachments.Item go = item(p.files, "gone.txt");
        assertEquals(SourceAttachments.State.READY, ph.state);
        assertTrue(onEdt(ph::detailText).contains("A cleaned copy will be sent. mat2 removed: "), onEdt(ph::detailText));
        assertEquals(SourceAttachments.State.CHOOSE, mi.state);
        assertTrue(onEdt(mi::detailText).contains("mat2 cannot clean .xyz files. Send the original"), onEdt(mi::detailText));
        assertEquals(SourceAttachments.State.FAILED, fo.state);
        assertTrue(onEdt(fo::detailText).contains("This is a folder"), onEdt(fo::detailText));
        assertEquals(SourceAttachments.State.FAILED, go.state);
        assertTrue(onEdt(go::detailText).contains("does not exist"), onEdt(go::detailText));
        assertFalse(onEdt(p.send::isEnabled), "nothing is sent while a file cannot be");
        assertEquals("Remove the files that cannot be sent.", onEdt(p.files.problem::getText));
        shot(w, "attachments-problems");
        edt(() -> {
            fo.remove.doClick(0);
            go.remove.doClick(0);
        });
        assertEquals("mat2 could not clean a file: send its original, or remove it.", onEdt(p.files.problem::getText));
        assertFalse(onEdt(p.send::isEnabled));
        edt(mi.sendOriginal::doClick);
        assertEquals(SourceAttachments.State.READY, mi.state);
        assertTrue(onEdt(p.send::isEnabled));
        Path cleanedCopy = onEdt(() -> ph.copy);
        byte[] cleanedBytes = Files.readAllBytes(cleanedCopy);
        assertFalse(new String(cleanedBytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Maria Ionescu"));
        assertTrue(Files.readString(photo, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Maria Ionescu"),
                "the source's own file stays as it was");
        shot(w, "attachments");

        // Send: progress per file; the connection breaks in the middle of the second file and resumes there.
        CountDownLatch progressSeen = new CountDownLatch(1);
        CountDownLatch resumeSeen = new CountDownLatch(1);
        line.uploadGate = progressSeen;
        line.resumeGate = resumeSeen;
        line.cutAfter = cleanedBytes.length + 2 * 61_440L;
        edt(p.send::doClick);
        waitFor("upload under way", () -> SourcePanel.BUSY.equals(p.shown()) && p.upload != null
                && p.upload.values().get(0) == 1000);
        assertTrue(onEdt(() -> p.upload.statuses().get(0)).startsWith("Received by the drop line"),
                onEdt(() -> p.upload.statuses().toString()));
        shot(w, "upload");
        progressSeen.countDown();
        waitFor("resuming", () -> p.upload.statuses().get(1).equals("Resuming where it stopped…"));
        int partial = onEdt(() -> p.upload.values().get(1));
        assertTrue(partial > 0 && partial < 1000, "the second file stopped part way: " + partial);
        shot(w, "resuming");
        resumeSeen.countDown();
        waitFor("codename shown", () -> SourcePanel.CODENAME_OUT.equals(p.shown()));
        FakeDropLines.Source client = drops.sources.get(drops.sources.size() - 1);
        assertEquals(2, client.uploadCalls.get(), "one resume");
        assertEquals(List.of((long) cleanedBytes.length, 2 * 61_440L), client.startedAt.get(1),
                "the resume started where the drop line had stopped");
        assertTrue(Arrays.equals(cleanedBytes, line.received("photo.png")), "the cleaned copy's exact bytes");
        assertTrue(Arrays.equals(minutesBytes, line.received("minutes.xyz")), "the original's exact bytes");
        assertEquals(List.of("The minutes and a photo of the meeting room."), line.submissions());
        assertFalse(Files.exists(cleanedCopy), "the cleaned copy is deleted once sent");
        edt(() -> {
            p.writtenDown.doClick();
            p.continueButton.doClick();
        });
        assertEquals(List.of("photo.png: received", "minutes.xyz: received"), onEdt(p::sentFileTexts));
        shot(w, "case-files");

        // Writing again with a file the drop line finds too large: its sentence, and nothing is lost.
        edt(() -> {
            p.againFiles.setPlaces(chosen);
            p.again.setText("One more.");
        });
        chosen.files = List.of(minutes);
        edt(p.againFiles.attach::doClick);
        waitFor("file read", () -> p.againFiles.items().size() == 1
                && p.againFiles.items().get(0).state == SourceAttachments.State.CHOOSE);
        edt(() -> p.againFiles.items().get(0).sendOriginal.doClick());
        line.refuse = DropSource.Refusal.TOO_LARGE;
        line.refuseLimit = 3L << 20;
        edt(p.sendAgain::doClick);
        waitFor("refusal shown", () -> SourcePanel.CASE.equals(p.shown())
                && p.caseError.getText().equals("This drop line takes files of at most 3 MB. Send fewer or smaller files."));
        shot(w, "too-large");
        assertEquals(1, onEdt(() -> p.againFiles.items().size()), "the file stays attached");
        assertEquals("One more.", onEdt(p.again::getText));
        line.refuse = null;
        line.refuseLimit = 0;

        // The file changes during its upload (same size and time, other bytes): that file is said, no resume.
        CountDownLatch changing = new CountDownLatch(1);
        line.uploadGate = changing;
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(minutes);
        edt(p.sendAgain::doClick);
        waitFor("upload under way", () -> SourcePanel.BUSY.equals(p.shown()) && p.upload.values().get(0) > 0);
        byte[] other = minutesBytes.clone();
        other[other.length - 1] ^= 1;
        Files.write(minutes, other);
        Files.setLastModifiedTime(minutes, before);
        int calls = client.uploadCalls.get();
        changing.countDown();
        waitFor("the change said", () -> SourcePanel.CASE.equals(p.shown())
                && p.caseError.getText().equals("Remove the files that cannot be sent."));
        assertEquals(calls, client.uploadCalls.get(), "no resume of a changed file");
        assertEquals(SourceAttachments.State.FAILED, onEdt(() -> p.againFiles.items().get(0).state));
        assertTrue(onEdt(() -> p.againFiles.items().get(0).detailText()).contains("changed or was removed"));
        assertFalse(onEdt(p.sendAgain::isEnabled));
        edt(() -> p.againFiles.items().get(0).remove.doClick(0));

        // A cleaned copy waiting to be sent goes when the window closes, with its private directory.
        chosen.files = List.of(photo);
        edt(p.againFiles.attach::doClick);
        waitFor("photo cleaned", () -> p.againFiles.items().size() == 1
                && p.againFiles.items().get(0).state == SourceAttachments.State.READY);
        Path waiting = onEdt(() -> p.againFiles.items().get(0).copy);
        Path copies = onEdt(p.againFiles::copiesDirectory);
        assertTrue(Files.exists(waiting) && waiting.startsWith(copies));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(copies)));
        edt(p.done::doClick);
        waitFor("window closed", () -> sourceWindow() == null);
        assertFalse(Files.exists(copies), "the cleaned copies are deleted with the window");
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
        waitFor("write card", () -> SourcePanel.WRITE.equals(p.shown()));
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
        waitFor("the count said", () -> "A codename has 7 words; this has 3.".equals(q.codenameStatus.getText()));
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
