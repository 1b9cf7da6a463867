package org.allium.desktop.files;

import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.event.InputEvent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.swing.JComponent;
import javax.swing.TransferHandler;
import javax.swing.text.JTextComponent;

/**
 * Files dropped or pasted onto the conversation are offered to the shown contact; anything
 * else goes to the component's own handler (a text field keeps pasting and dropping text).
 * Only a list of local files counts — never a dropped URL or text that looks like a path.
 * Event thread only.
 */
public final class FileDrop extends TransferHandler {
    private final TransferHandler own;
    private final Predicate<List<Path>> send;

    /**
     * @param own  the component's handler before, or null
     * @param send offers the files; false when they cannot be taken now (no contact shown)
     */
    FileDrop(TransferHandler own, Predicate<List<Path>> send) {
        this.own = own;
        this.send = send;
    }

    /** Wraps {@code c}'s handler so files dropped or pasted on it are offered. */
    public static void install(JComponent c, Predicate<List<Path>> send) {
        TransferHandler before = c.getTransferHandler();
        if (before instanceof FileDrop) {
            return;
        }
        c.setTransferHandler(new FileDrop(before, send));
    }

    static boolean hasFiles(TransferSupport s) {
        return s.isDataFlavorSupported(DataFlavor.javaFileListFlavor);
    }

    @Override
    public boolean canImport(TransferSupport s) {
        if (hasFiles(s)) {
            if (s.isDrop() && (s.getSourceDropActions() & COPY) != 0) {
                s.setDropAction(COPY);
            }
            return true;
        }
        return own != null && own.canImport(s);
    }

    @Override
    public boolean importData(TransferSupport s) {
        if (!hasFiles(s)) {
            return own != null && own.importData(s);
        }
        List<Path> files = files(s.getTransferable());
        return !files.isEmpty() && send.test(files);
    }

    /** The regular local files in a file list; nothing for anything else. */
    static List<Path> files(Transferable t) {
        List<Path> out = new ArrayList<>();
        try {
            Object data = t.getTransferData(DataFlavor.javaFileListFlavor);
            if (data instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof File f) {
                        out.add(f.toPath());
                    }
                }
            }
        } catch (UnsupportedFlavorException | IOException e) {
            return List.of();
        }
        return out;
    }

    // Export stays the component's: copying and cutting text from a text field still work.

    @Override
    public int getSourceActions(JComponent c) {
        return own == null ? NONE : own.getSourceActions(c) & COPY;
    }

    @Override
    public void exportToClipboard(JComponent comp, Clipboard clip, int action) {
        if (own != null) {
            own.exportToClipboard(comp, clip, action);
        }
    }

    @Override
    public void exportAsDrag(JComponent comp, InputEvent e, int action) {
        if (own != null && getSourceActions(comp) != NONE) {
            super.exportAsDrag(comp, e, COPY);
        }
    }

    /** A drag out of a text field carries its selected text (copied: the field is left as it is). */
    @Override
    protected Transferable createTransferable(JComponent c) {
        if (c instanceof JTextComponent tc && tc.getSelectedText() != null) {
            return new StringSelection(tc.getSelectedText());
        }
        return null;
    }
}
