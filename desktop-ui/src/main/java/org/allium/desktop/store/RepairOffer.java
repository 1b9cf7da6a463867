package org.allium.desktop.store;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Window;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.allium.contacts.api.RepairReport;
import org.allium.core.api.MessengerException;
import org.allium.core.api.ProfileDamagedException;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * "Repair…" on the passphrase screen, offered only when opening refused a damaged profile:
 * it says what is damaged and, on request, salvages what is readable into a new store with
 * the passphrase typed above (the damaged files are kept beside it), then reports exactly
 * what came back and what was lost, as {@code allium repair} does. Event thread only; the
 * repair runs on the background executor.
 */
public final class RepairOffer extends JPanel {
    /** What is damaged and what repair does (for tests). */
    public final JLabel text;
    public final JButton repair;
    private final UiContext ctx;
    private final Window owner;
    private final Supplier<Path> directory;
    private final Supplier<char[]> passphrase;
    private JDialog shown;

    /**
     * @param directory  the profile's directory
     * @param passphrase the passphrase typed on the screen (a fresh array the offer wipes)
     */
    public RepairOffer(UiContext ctx, Window owner, Supplier<Path> directory, Supplier<char[]> passphrase) {
        super(new BorderLayout(Ui.gap(), Ui.gap() / 2));
        this.ctx = ctx;
        this.owner = owner;
        this.directory = directory;
        this.passphrase = passphrase;
        setName("repairOffer");
        setOpaque(false);
        text = Ui.wrapped(" ", 360);
        repair = Ui.button(ctx.text("store.repair.button"), e -> repair());
        add(text, BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        buttons.setOpaque(false);
        buttons.add(repair);
        add(buttons, BorderLayout.SOUTH);
        setVisible(false);
    }

    /** Offers the repair for the profile that {@code e} refused to open. */
    public void offer(ProfileDamagedException e) {
        text.setText(Ui.wrap(ctx.text("store.repair.intro"), 360));
        text.getAccessibleContext().setAccessibleName(ctx.text("store.repair.intro"));
        repair.setEnabled(true);
        setVisible(true);
        revalidate();
    }

    /** Hides the offer (the profile opened, or another one is chosen). */
    public void withdraw() {
        if (isVisible()) {
            setVisible(false);
            revalidate();
        }
    }

    /** Repairs with the passphrase typed on the screen, then shows the report. */
    public void repair() {
        char[] pass = passphrase.get();
        if (pass.length == 0) {
            text.setText(Ui.wrap(ctx.text("store.repair.passphrase"), 360));
            return;
        }
        Path dir = directory.get();
        repair.setEnabled(false);
        ctx.background().run(() -> {
            try {
                return ctx.core().profiles().repair(dir, pass);
            } finally {
                Arrays.fill(pass, '\0');
            }
        }, report -> {
            withdraw();
            show(report(report));
        }, e -> {
            repair.setEnabled(true);
            show(ctx.format("store.repair.failed", e instanceof MessengerException ? e.getMessage()
                    : e.getClass().getSimpleName()));
        });
    }

    private String report(RepairReport r) {
        if (!r.repaired()) {
            return ctx.text("store.repair.nothing");
        }
        List<String> lines = new ArrayList<>();
        for (String p : r.problems()) {
            lines.add(ctx.format("store.repair.damaged", p));
        }
        lines.add(ctx.format("store.repair.recovered", counts(r.rowsRecovered()), r.logChangesReplayed()));
        if (!r.rowsDropped().isEmpty()) {
            lines.add(ctx.format("store.repair.dropped", counts(r.rowsDropped())));
        }
        if (!r.cutShort().isEmpty()) {
            lines.add(ctx.format("store.repair.cutShort", String.join(", ", r.cutShort())));
        }
        if (r.damagedFilesKept() != null) {
            lines.add(ctx.format("store.repair.kept", r.damagedFilesKept().toString()));
        }
        lines.add(ctx.text("store.repair.unlock"));
        return String.join("\n", lines);
    }

    private static String counts(Map<String, Integer> rows) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(rows).forEach((table, n) -> {
            if (n > 0) {
                parts.add(table + " " + n);
            }
        });
        return parts.isEmpty() ? "0" : String.join(", ", parts);
    }

    /** The report dialog, or null (for tests). */
    public JDialog dialog() {
        return shown != null && shown.isDisplayable() ? shown : null;
    }

    private void show(String message) {
        shown = ReportDialog.show(ctx, owner, shown, "repairReport", ctx.text("store.repair.title"), message, 460);
    }
}
