package org.allium.desktop.files;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.nio.file.Path;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import org.allium.core.api.Direction;
import org.allium.core.api.FileTransfer;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * One file transfer in the conversation, in place of a message's text: the type icon, the
 * name (the peer's words: sanitised, plain text, never HTML and never a path), the size, a
 * progress bar with speed and time left, and the buttons that fit its state. Event thread only.
 */
public final class FileCard extends JPanel {
    /** What the buttons do; the controller runs them in the background. */
    public interface Actions {
        void accept(FileTransfer t);

        void decline(FileTransfer t);

        void pause(FileTransfer t);

        void resume(FileTransfer t);

        void cancel(FileTransfer t);

        void saveAs(FileTransfer t);

        void openFolder(FileTransfer t);

        /** "Save a cleaned copy…": mat2 removes the metadata from a copy; the original stays as received. */
        void saveCleaned(FileTransfer t);
    }

    /** Longest name shown, in code points (names may be 255 bytes; the card wraps nothing). */
    static final int NAME_CHARS = 80;
    static final int MIN_WIDTH = 300;
    static final int MAX_WIDTH = 440;
    /** Width of the wrapped notes in CSS pixels (Swing draws them about a third wider). */
    private static final int WRAP_PX = 300;
    private final UiContext ctx;
    private FileTransfer transfer;
    private Path saved;
    final JLabel name = PlainText.label();
    final JLabel details = Ui.small(" ");
    final JProgressBar progress = new JProgressBar(0, 1000);
    final JLabel status = Ui.small(" ");
    final JButton accept;
    final JButton decline;
    final JButton pause;
    final JButton resume;
    final JButton cancel;
    final JButton saveAs;
    final JButton openFolder;
    final JButton saveCleaned;
    /** Under a received file: that files carry metadata, and whether a cleaned copy can be made here. */
    final JLabel cleanNote = Ui.ownHtml(new JLabel());
    /** What the last cleaned copy removed, or why it failed (mat2's words and the file's keys, escaped). */
    final JLabel cleanOutcome = Ui.ownHtml(new JLabel());
    private boolean cleanEnabled;
    /** Whether the transfer's own controls (accept, decline, pause, resume, cancel) are offered. */
    private final boolean controls;

    FileCard(UiContext ctx, FileTransfer t, Actions actions) {
        this(ctx, t, actions, true);
    }

    /**
     * A card for a received file that the user does not steer (a drop line's attachment: it
     * arrives by itself): {@code controls} false shows only progress, Save as…, Save a cleaned
     * copy… and Open folder.
     */
    public FileCard(UiContext ctx, FileTransfer t, Actions actions, boolean controls) {
        super(new BorderLayout(Ui.gap(), Ui.gap() / 2));
        this.controls = controls;
        this.ctx = ctx;
        this.transfer = t;
        setOpaque(false);
        setName("file");
        name.setIcon(new FileIcon(t.name(), 34));
        name.setIconTextGap(Ui.gap());
        Font f = name.getFont();
        if (f != null) {
            name.setFont(f.deriveFont(Font.BOLD));
        }
        JPanel text = new JPanel();
        text.setOpaque(false);
        text.setLayout(new BoxLayout(text, BoxLayout.Y_AXIS));
        name.setAlignmentX(LEFT_ALIGNMENT);
        details.setAlignmentX(LEFT_ALIGNMENT);
        progress.setAlignmentX(LEFT_ALIGNMENT);
        status.setAlignmentX(LEFT_ALIGNMENT);
        progress.getAccessibleContext().setAccessibleName(ctx.text("file.progress.name"));
        progress.setFocusable(false); // read with the card's status line; not a Tab stop
        progress.setMaximumSize(new Dimension(Integer.MAX_VALUE, progress.getPreferredSize().height));
        text.add(name);
        text.add(details);
        text.add(Box.createVerticalStrut(Ui.gap() / 2));
        text.add(progress);
        text.add(status);
        cleanNote.setAlignmentX(LEFT_ALIGNMENT);
        cleanOutcome.setAlignmentX(LEFT_ALIGNMENT);
        cleanNote.setForeground(Theme.color("Allium.meta.foreground", Color.GRAY));
        text.add(cleanOutcome);
        text.add(cleanNote);
        add(text, BorderLayout.CENTER);
        accept = button("file.accept", () -> actions.accept(transfer));
        decline = button("file.decline", () -> actions.decline(transfer));
        pause = button("file.pause", () -> actions.pause(transfer));
        resume = button("file.resume", () -> actions.resume(transfer));
        cancel = button("file.cancel", () -> actions.cancel(transfer));
        saveAs = button("file.saveAs", () -> actions.saveAs(transfer));
        openFolder = button("file.openFolder", () -> actions.openFolder(transfer));
        saveCleaned = button("file.clean", () -> actions.saveCleaned(transfer));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEADING, Ui.gap() / 2, Ui.gap() / 2) {
            @Override
            public Dimension preferredLayoutSize(java.awt.Container target) {
                return wrapped(target, this);
            }
        });
        buttons.setOpaque(false);
        for (JButton b : new JButton[] {accept, decline, saveAs, saveCleaned, openFolder, pause, resume, cancel}) {
            buttons.add(b);
        }
        add(buttons, BorderLayout.SOUTH);
        setBorder(BorderFactory.createEmptyBorder(2, 0, 2, 0));
        update(t);
    }

    /** A card button: no mnemonic (a conversation holds many cards), named for screen readers with the file. */
    private JButton button(String key, Runnable action) {
        JButton b = Ui.button(Ui.plain(ctx.text(key)), e -> action.run());
        b.putClientProperty("JButton.buttonType", "roundRect");
        return b;
    }

    /**
     * A flow of buttons that wraps onto a second row within the card's widest width instead of
     * widening it (Save as…, Save a cleaned copy…, Open folder do not fit on one line).
     */
    private static Dimension wrapped(java.awt.Container target, FlowLayout flow) {
        int max = MAX_WIDTH - flow.getHgap() * 2 - 8;
        int rowW = 0;
        int rowH = 0;
        int width = 0;
        int height = 0;
        for (java.awt.Component c : target.getComponents()) {
            if (!c.isVisible()) {
                continue;
            }
            Dimension d = c.getPreferredSize();
            if (rowW > 0 && rowW + flow.getHgap() + d.width > max) {
                width = Math.max(width, rowW);
                height += rowH + flow.getVgap();
                rowW = 0;
                rowH = 0;
            }
            rowW += (rowW > 0 ? flow.getHgap() : 0) + d.width;
            rowH = Math.max(rowH, d.height);
        }
        width = Math.max(width, rowW);
        height += rowH;
        java.awt.Insets in = target.getInsets();
        return new Dimension(width + in.left + in.right + flow.getHgap() * 2,
                height + in.top + in.bottom + flow.getVgap() * 2);
    }

    /** As wide as its content within a message bubble's width: a long name is cut with "…", not the card widened. */
    @Override
    public Dimension getPreferredSize() {
        Dimension d = super.getPreferredSize();
        return new Dimension(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, d.width)), d.height);
    }

    public FileTransfer transfer() {
        return transfer;
    }

    Path saved() {
        return saved;
    }

    public void setSaved(Path file) {
        saved = file;
        update(transfer);
    }

    /**
     * Whether "Save a cleaned copy…" can be used here ({@code enabled}), the note under a received
     * file ({@code note}, the app's words), and the outcome of the last cleaned copy
     * ({@code outcome}, may hold the file's metadata keys and mat2's words: escaped; "" for none).
     */
    public void setClean(boolean enabled, String note, String outcome, boolean error) {
        cleanEnabled = enabled;
        cleanNote.setText(note.isEmpty() ? "" : Ui.wrap(note, WRAP_PX));
        cleanOutcome.setText(outcome.isEmpty() ? "" : Ui.wrap(outcome, WRAP_PX));
        cleanOutcome.setForeground(Theme.color(error ? "Allium.error.foreground" : "Allium.ok.foreground", Color.GRAY));
        update(transfer);
    }

    public void update(FileTransfer t) {
        transfer = t;
        String shownName = PlainText.line(t.name(), NAME_CHARS);
        name.setText(shownName);
        String kind = ((FileIcon) name.getIcon()).label();
        String size = Sizes.bytes(ctx, t.size());
        details.setText(kind.isEmpty() ? size : ctx.format("file.details", size, kind));
        FileTransfer.State s = t.state();
        boolean in = t.direction() == Direction.INCOMING;
        boolean running = s == FileTransfer.State.ACTIVE || s == FileTransfer.State.PAUSED;
        progress.setVisible(running || (s == FileTransfer.State.OFFERED && t.bytesDone() > 0));
        progress.setValue(t.size() == 0 ? (s == FileTransfer.State.COMPLETE ? 1000 : 0)
                : (int) Math.min(1000, t.bytesDone() * 1000 / t.size()));
        status.setText(statusText(ctx, t, saved));
        boolean bad = t.originalGone() || s == FileTransfer.State.FAILED;
        status.setForeground(Theme.color(bad ? "Allium.error.foreground"
                : s == FileTransfer.State.COMPLETE ? "Allium.ok.foreground" : "Allium.meta.foreground", Color.GRAY));
        accept.setVisible(controls && in && s == FileTransfer.State.OFFERED);
        decline.setVisible(controls && in && s == FileTransfer.State.OFFERED);
        pause.setVisible(controls && s == FileTransfer.State.ACTIVE);
        resume.setVisible(controls && s == FileTransfer.State.PAUSED && !t.originalGone());
        cancel.setVisible(controls && !s.isFinal() && !(in && s == FileTransfer.State.OFFERED));
        saveAs.setVisible(in && s == FileTransfer.State.COMPLETE);
        openFolder.setVisible(in && s == FileTransfer.State.COMPLETE && saved != null);
        boolean received = in && s == FileTransfer.State.COMPLETE;
        saveCleaned.setVisible(received);
        saveCleaned.setEnabled(cleanEnabled);
        cleanNote.setVisible(received && !cleanNote.getText().isEmpty());
        cleanOutcome.setVisible(received && !cleanOutcome.getText().isEmpty());
        for (JButton b : new JButton[] {accept, decline, pause, resume, cancel, saveAs, openFolder, saveCleaned}) {
            b.getAccessibleContext().setAccessibleName(b.getText() + ": " + shownName);
        }
        getAccessibleContext().setAccessibleName(shownName + ", " + details.getText() + ", " + status.getText());
        revalidate();
        repaint();
    }

    /** The line under the progress bar: where the transfer stands, in words. */
    static String statusText(UiContext ctx, FileTransfer t, Path saved) {
        boolean in = t.direction() == Direction.INCOMING;
        if (t.originalGone()) {
            return ctx.text(in ? "file.gone.in" : "file.gone.out");
        }
        return switch (t.state()) {
            case OFFERED -> ctx.text(in ? "file.offered.in" : "file.offered.out");
            case ACTIVE -> t.bytesPerSecond() > 0
                    ? ctx.format("file.running", Sizes.bytes(ctx, t.bytesDone()), Sizes.bytes(ctx, t.size()),
                            Sizes.bytes(ctx, t.bytesPerSecond()), Sizes.timeLeft(ctx, t.secondsLeft()))
                    : ctx.format("file.waiting", Sizes.bytes(ctx, t.bytesDone()), Sizes.bytes(ctx, t.size()));
            case PAUSED -> ctx.format("file.paused", Sizes.bytes(ctx, t.bytesDone()), Sizes.bytes(ctx, t.size()));
            case COMPLETE -> saved != null
                    ? ctx.format("file.saved", PlainText.line(saved.getFileName().toString(), NAME_CHARS))
                    : ctx.text(in ? "file.complete.in" : "file.complete.out");
            case DECLINED -> ctx.text("file.declined");
            case CANCELLED -> ctx.text("file.cancelled");
            case FAILED -> t.reason() == null ? ctx.text("file.failed")
                    : ctx.format("file.failed.reason", PlainText.line(t.reason(), 200));
        };
    }
}
