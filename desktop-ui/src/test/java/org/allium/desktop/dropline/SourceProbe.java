package org.allium.desktop.dropline;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.swing.JDialog;
import org.allium.core.dropline.DropSource;
import org.allium.desktop.FakeCore;
import org.allium.desktop.UiTestSupport;
import org.allium.desktop.files.Mat2Cleaner;

/**
 * Drives a source window against {@link FakeDropLines} for other packages' tests (the hostile
 * text tests): write, attach files, choose originals, send, read the case's files. Test thread.
 */
public final class SourceProbe {
    private final JDialog window;
    private final SourcePanel panel;
    private final FakeDropLines drops;

    private SourceProbe(JDialog window, FakeDropLines drops) {
        this.window = window;
        this.panel = (SourcePanel) window.getContentPane();
        this.drops = drops;
    }

    /** Opens a source window of its own (no app around it). */
    public static SourceProbe open(FakeDropLines drops) {
        FakeCore core = new FakeCore(UiTestSupport.CLOCK);
        JDialog w = onEdt(() -> SourceWindow.open(UiTestSupport.context(core.access(drops), Locale.ENGLISH), null, drops));
        return new SourceProbe(w, drops);
    }

    public JDialog window() {
        return window;
    }

    /** Uses {@code mat2} (e.g. a stand-in) for the cleaned copies, with the option on. */
    public void useCleaner(Path mat2, Path tmp) {
        edt(() -> panel.files.setCleaner(new Mat2Cleaner(mat2, tmp)));
        waitFor("option on", () -> panel.files.clean.isSelected());
    }

    /** Goes to the write card of the drop line at {@code address} with {@code text}. */
    public void write(String address, String text) {
        edt(() -> {
            panel.address.setText(address);
            panel.writeNew.doClick();
            panel.text.setText(text);
        });
        waitFor("write card", () -> SourcePanel.WRITE.equals(panel.shown()));
    }

    /** Attaches {@code files} and waits until each is read (or refused). */
    public void attach(List<Path> files) {
        edt(() -> panel.files.add(files));
        waitFor("files read", 60, () -> panel.files.items().stream().noneMatch(i -> i.state == SourceAttachments.State.READING
                || i.state == SourceAttachments.State.CLEANING));
    }

    /** Each attached file's shown name and words. */
    public List<String> names() {
        return onEdt(() -> panel.files.items().stream().map(i -> i.title.getText()).toList());
    }

    public List<String> details() {
        return onEdt(() -> panel.files.items().stream().map(SourceAttachments.Item::detailText).toList());
    }

    /** Sends the originals of the files mat2 could not clean, and removes the ones that cannot be sent. */
    public void decide() {
        for (SourceAttachments.Item i : onEdt(panel.files::items)) {
            edt(() -> {
                if (i.state == SourceAttachments.State.CHOOSE) {
                    i.sendOriginal.doClick(0);
                } else if (i.state == SourceAttachments.State.FAILED) {
                    i.remove.doClick(0);
                }
            });
        }
    }

    /** Sends, confirms the codename and shows the case. */
    public void sendAndOpenCase() {
        edt(panel.send::doClick);
        waitFor("codename shown", 60, () -> SourcePanel.CODENAME_OUT.equals(panel.shown()));
        edt(() -> {
            panel.writtenDown.doClick();
            panel.continueButton.doClick();
        });
    }

    /** The drop line at {@code address} names these files in its answers from now on. */
    public void echo(String address, List<DropSource.FileStatus> files) {
        drops.line(address).echoed = List.copyOf(files);
    }

    /** Checks for replies and waits for the case. */
    public void refresh() {
        edt(panel.refresh::doClick);
        waitFor("case shown", 60, () -> SourcePanel.CASE.equals(panel.shown()));
    }

    /** The case's files as shown. */
    public List<String> sentFiles() {
        return onEdt(panel::sentFileTexts);
    }

    public void close() {
        edt(window::dispose);
    }
}
