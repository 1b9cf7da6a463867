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
 * {@link Places} with Swing's file chooser and the desktop's file manager: on Linux
 * {@code xdg-open} with the folder as its only argument, no shell, and only the environment a
 * desktop opener needs ({@link #OPENER_ENVIRONMENT}: display, session bus, locale, XDG folders —
 * nothing else of ours, which may carry anything the user's shell set); elsewhere AWT's Desktop.
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

    /** The variables {@code xdg-open} and the file managers it starts need; all others stay with us. */
    static final java.util.Set<String> OPENER_ENVIRONMENT = java.util.Set.of("PATH", "HOME", "LANG", "LANGUAGE",
            "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
            "XDG_RUNTIME_DIR", "XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE", "XDG_SESSION_DESKTOP", "XDG_DATA_DIRS",
            "XDG_DATA_HOME", "XDG_CONFIG_DIRS", "XDG_CONFIG_HOME", "DESKTOP_SESSION", "KDE_FULL_SESSION",
            "KDE_SESSION_VERSION", "GNOME_DESKTOP_SESSION_ID");

    @Override
    public void openFolder(Path dir) throws IOException {
        Path opener = System.getProperty("os.name", "").startsWith("Linux") ? onPath("xdg-open") : null;
        if (opener == null && Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
            Desktop.getDesktop().open(dir.toFile());
            return;
        }
        Process p = opener(opener == null ? Path.of("xdg-open") : opener, dir, System.getenv()).start();
        try {
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() != 0) {
                throw new IOException("xdg-open failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** {@code executable DIR}: no shell, output discarded, only {@link #OPENER_ENVIRONMENT} of {@code ours}. */
    static ProcessBuilder opener(Path executable, Path dir, java.util.Map<String, String> ours) {
        ProcessBuilder pb = new ProcessBuilder(executable.toString(), dir.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        java.util.Map<String, String> env = pb.environment();
        env.clear();
        ours.forEach((k, v) -> {
            if (OPENER_ENVIRONMENT.contains(k)) {
                env.put(k, v);
            }
        });
        return pb;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
