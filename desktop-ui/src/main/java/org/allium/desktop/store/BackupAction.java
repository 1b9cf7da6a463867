package org.allium.desktop.store;

import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JMenuItem;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Profile;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * "Back up…" of the main window's menu: the user chooses a file, the open profile writes its
 * encrypted backup there in the background (consistent while Allium keeps running), and a
 * dialog says what it holds or why it failed. Event thread only; the backup runs on the
 * background executor.
 */
public final class BackupAction {
    private final UiContext ctx;
    private final Window owner;
    private final Supplier<Profile> profile;
    private JDialog shown;

    /** @param profile the open profile, or null while none is */
    public BackupAction(UiContext ctx, Window owner, Supplier<Profile> profile) {
        this.ctx = ctx;
        this.owner = owner;
        this.profile = profile;
    }

    /** The menu item: asks for a file, then backs up. */
    public JMenuItem menuItem() {
        JMenuItem i = Ui.mnemonic(new JMenuItem(), ctx.text("store.backup.menu"));
        i.setName("backupItem");
        i.addActionListener(e -> choose().ifPresent(this::backUp));
        return i;
    }

    private Optional<Path> choose() {
        JFileChooser c = new JFileChooser();
        c.setDialogTitle(Ui.plain(ctx.text("store.backup.title")));
        c.setSelectedFile(new java.io.File(System.getProperty("user.home", "."),
                "allium-" + LocalDate.now(ctx.clock()) + ".backup"));
        if (c.showSaveDialog(owner) != JFileChooser.APPROVE_OPTION || c.getSelectedFile() == null) {
            return Optional.empty();
        }
        return Optional.of(c.getSelectedFile().toPath().toAbsolutePath());
    }

    /** Writes the backup to {@code file} in the background, then shows the outcome. */
    public void backUp(Path file) {
        Profile p = profile.get();
        if (p == null) {
            return;
        }
        ctx.background().run(() -> {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new java.io.IOException(ctx.text("store.backup.notAFile"));
            }
            return p.backup(file);
        }, rows -> show(ctx.format("store.backup.done", file.toString(), count(rows, "messages"),
                count(rows, "contacts"), count(rows, "files/"))), e -> show(ctx.format("store.backup.failed",
                        e instanceof MessengerException || e instanceof java.io.IOException ? e.getMessage()
                                : e.getClass().getSimpleName())));
    }

    private static int count(Map<String, Integer> rows, String key) {
        return rows.getOrDefault(key, 0);
    }

    /** The outcome dialog, or null (for tests). */
    public JDialog dialog() {
        return shown != null && shown.isDisplayable() ? shown : null;
    }

    private void show(String message) {
        shown = ReportDialog.show(ctx, owner, shown, "backupResult", ctx.text("store.backup.title"), message, 420);
    }
}
