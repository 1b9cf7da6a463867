package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.Container;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JMenuItem;
import org.allium.core.api.MessengerEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12 in the desktop app: a full disk shows a banner across the main window that goes
 * away by itself when space returns; "Back up…" in the menu writes the backup and says what
 * it holds (or why not); a damaged profile refused at unlock offers "Repair…", whose report
 * says what came back and what was lost, after which the profile unlocks. Screenshots of each
 * state in the subclass's theme.
 */
@ExtendWith(EdtWatchdog.class)
abstract class StoreScreensCheck {
    private final ScreenGallery gallery = new ScreenGallery(Locale.ENGLISH);
    private final List<Path> shots = new ArrayList<>();
    private AlliumApp app;

    abstract ThemeChoice theme();

    @AfterEach
    void close() throws Exception {
        if (app != null) {
            ScreenGallery.close(app);
        }
        for (Path f : shots) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertTrue(img.getWidth() > 200 && img.getHeight() > 80, f + " is too small");
            assertTrue(ScreenshotCheck.distinctColours(img) > 8, f + " looks blank");
        }
    }

    private void shot(java.awt.Window w, String state) {
        shots.add(UiTestSupport.screenshot(w, "store-" + state + "-" + theme().name().toLowerCase(Locale.ROOT)));
    }

    @Test
    void aFullDiskShowsABannerThatGoesAwayWhenSpaceReturns() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        assertFalse(onEdt(app.diskFullBanner::isShowing));
        m.emit(new MessengerEvent.DiskFull(20L << 20, "disk full: 20 MB needed"));
        m.drain();
        waitFor("disk full banner", () -> app.diskFullBanner.isShowing());
        String text = onEdt(app.diskFullBanner::message);
        assertTrue(text.startsWith("The disk is full: Allium cannot save new messages. Free some space"), text);
        assertTrue(text.contains("20 MB"), text);
        shot(app.frame(), "disk-full");
        m.emit(new MessengerEvent.DiskSpaceRestored());
        m.drain();
        waitFor("banner gone", () -> !app.diskFullBanner.isShowing());
    }

    @Test
    void backUpFromTheMenuSaysWhatTheBackupHolds() throws Exception {
        app = gallery.populatedMain();
        JMenuItem item = onEdt(() -> {
            for (Component c : app.frame().getJMenuBar().getMenu(0).getMenuComponents()) {
                if (c instanceof JMenuItem i && "backupItem".equals(i.getName())) {
                    return i;
                }
            }
            return null;
        });
        assertNotNull(item, "Back up… is in the menu");
        assertEquals("Back up…", onEdt(item::getText));
        Path dir = Files.createTempDirectory("allium-backup-ui");
        Path file = dir.resolve("allium.backup");
        edt(() -> app.backup.backUp(file));
        waitFor("result", () -> app.backup.dialog() != null);
        assertTrue(Files.exists(file));
        String said = text(onEdt(() -> app.backup.dialog().getContentPane()));
        assertTrue(said.contains("Backed up to " + file) && said.contains("2 files of file transfers"), said);
        shot(onEdt(app.backup::dialog), "backup-done");
        edt(() -> app.backup.dialog().dispose());
        // A folder is no backup file: said so, nothing replaced.
        edt(() -> app.backup.backUp(dir));
        waitFor("failure", () -> app.backup.dialog() != null);
        said = text(onEdt(() -> app.backup.dialog().getContentPane()));
        assertTrue(said.contains("The backup was not written") && said.contains("not a file"), said);
        assertTrue(Files.isDirectory(dir));
        shot(onEdt(app.backup::dialog), "backup-failed");
    }

    @Test
    void aDamagedProfileOffersRepairAndUnlocksAfterIt() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        core.create(core.defaultDirectory(), ScreenGallery.PASS.toCharArray(), "Ana").close();
        core.damagedFile = "store.mv.db";
        app = gallery.app(core);
        assertFalse(onEdt(app.repairOffer::isShowing));
        ScreenGallery.unlock(app);
        waitFor("repair offered", () -> app.repairOffer.isShowing());
        assertEquals("unlock", app.shownScreen());
        String error = onEdt(app.unlock.error::getText);
        assertTrue(error.contains("store.mv.db is damaged"), error);
        assertFalse(error.toLowerCase(Locale.ROOT).contains("wrong passphrase"), error);
        assertTrue(onEdt(app.repairOffer.text::getText).contains("keeps the damaged files"));
        shot(app.frame(), "repair-offered");

        edt(app.repairOffer.repair::doClick);
        waitFor("report", () -> app.repairOffer.dialog() != null);
        String report = text(onEdt(() -> app.repairOffer.dialog().getContentPane()));
        assertTrue(report.contains("Damaged: store.mv.db: 2 rows of messages fail their integrity check"), report);
        assertTrue(report.contains("Recovered: contacts 3, messages 118, settings 4 (of which 5 message(s) from the"
                + " commit log)"), report);
        assertTrue(report.contains("Lost (failed their integrity check): messages 2"), report);
        assertTrue(report.contains("damaged-20261130-094500"), report);
        shot(onEdt(app.repairOffer::dialog), "repair-report");
        assertFalse(onEdt(app.repairOffer::isShowing), "offered only while the profile is refused");
        edt(() -> app.repairOffer.dialog().dispose());
        ScreenGallery.unlock(app);
        waitFor("main screen", () -> "main".equals(app.shownScreen()));
    }

    /** Every label's text under {@code c}, the HTML of wrapped labels stripped. */
    private static String text(Container c) {
        return onEdt(() -> {
            StringBuilder b = new StringBuilder();
            collect(c, b);
            return b.toString().replaceAll("<[^>]+>", "").replace("&#39;", "'");
        });
    }

    private static void collect(Container c, StringBuilder b) {
        for (Component x : c.getComponents()) {
            if (x instanceof JLabel l && l.getText() != null) {
                b.append(l.getText()).append('\n');
            }
            if (x instanceof Container k) {
                collect(k, b);
            }
        }
    }
}
