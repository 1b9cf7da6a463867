package org.allium.desktop.files;

import java.awt.Component;
import java.awt.Desktop;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.swing.JFileChooser;
import javax.swing.JOptionPane;
import org.allium.desktop.PlainText;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * {@link Places} with Swing's file chooser and the desktop's file manager (AWT's Desktop, else
 * {@code xdg-open} with the folder as its only argument — no shell, nothing in its environment).
 * Event thread for the choosers; {@link #openFolder} in the background.
 */
public final class SwingPlaces implements Places {
    private final UiContext ctx;
    private File lastFolder;

    public SwingPlaces(UiContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public List<Path> filesToSend(Component parent) {
        JFileChooser c = new JFileChooser(lastFolder);
        c.setDialogTitle(Ui.plain(ctx.text("file.choose.title")));
        c.setMultiSelectionEnabled(true);
        c.setFileSelectionMode(JFileChooser.FILES_ONLY);
        if (c.showDialog(parent, Ui.plain(ctx.text("file.choose.send"))) != JFileChooser.APPROVE_OPTION) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (File f : c.getSelectedFiles()) {
            out.add(f.toPath());
        }
        if (out.isEmpty() && c.getSelectedFile() != null) {
            out.add(c.getSelectedFile().toPath());
        }
        lastFolder = c.getCurrentDirectory();
        return out;
    }

    @Override
    public Path saveTarget(Component parent, Path suggested) {
        JFileChooser c = new JFileChooser(suggested.getParent() == null ? null : suggested.getParent().toFile());
        c.setDialogTitle(Ui.plain(ctx.text("file.saveAs.title")));
        c.setSelectedFile(suggested.toFile());
        while (c.showSaveDialog(parent) == JFileChooser.APPROVE_OPTION) {
            Path target = c.getSelectedFile().toPath();
            if (!Files.exists(target)) {
                return target;
            }
            Object[] options = {Ui.plain(ctx.text("file.replace.yes")), Ui.plain(ctx.text("common.cancel"))};
            int choice = JOptionPane.showOptionDialog(parent,
                    Ui.wrapped(ctx.format("file.replace.text", PlainText.line(target.getFileName().toString(), 120)),
                            360),
                    Ui.plain(ctx.text("file.replace.title")), JOptionPane.DEFAULT_OPTION, JOptionPane.WARNING_MESSAGE,
                    null, options, options[1]);
            if (choice == 0) {
                return target;
            }
        }
        return null;
    }

    @Override
    public void openFolder(Path dir) throws IOException {
        if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
            Desktop.getDesktop().open(dir.toFile());
            return;
        }
        Process p = new ProcessBuilder("xdg-open", dir.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() != 0) {
                throw new IOException("xdg-open failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
