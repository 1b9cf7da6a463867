package org.allium.desktop.dropline;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;
import org.allium.core.dropline.DropSource;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;
import org.allium.desktop.files.CleanedCopies;
import org.allium.desktop.files.FileDrop;
import org.allium.desktop.files.Mat2Cleaner;
import org.allium.desktop.files.Places;
import org.allium.desktop.files.Sizes;
import org.allium.desktop.files.SwingPlaces;

/**
 * The files a source attaches to one message: "Attach files…" or files dropped on the message;
 * each listed with its name (plain text), size, what exactly will be sent and a Remove
 * button. Each file is read (hashed, {@link DropSource#attach}) in the background as soon as
 * it is added. With "Remove metadata before sending" on (the default where mat2 is installed)
 * a cleaned copy made by {@link Mat2Cleaner} is what is sent, and the row says what mat2
 * removed; where mat2 cannot clean a file, the row says so and the source chooses to send the
 * original or to remove it — nothing is sent until every file is ready and decided. Cleaned
 * copies live in a private directory (mode 700, {@code $XDG_RUNTIME_DIR} when set) deleted when
 * the window closes. Event thread only.
 */
final class SourceAttachments {
    /** Most files one message carries (PROTOCOL.md §13.5). */
    static final int MAX_FILES = org.allium.protocol.Limits.MAX_DROP_FILES;
    /** The most height the list takes before it scrolls. */
    private static final int LIST_HEIGHT = 170;
    /** The width of a file's words beside its buttons, in columns. */
    private static final int DETAIL_COLUMNS = 34;

    /** Where a file is before sending. */
    enum State { READING, CLEANING, CHOOSE, READY, FAILED }

    /** One attached file and its row. */
    final class Item {
        final Path original;
        /** The file's name as shown (plain text). */
        final String name;
        State state = State.READING;
        /** What will be sent, or why it cannot be, in words. */
        String note = "";
        /** The file read for sending (the cleaned copy when one is sent). */
        DropSource.Attachment prepared;
        /** The cleaned copy, when one was made. */
        Path copy;
        /** The sent file's modification time when it was read: a change stops a resume. */
        long modified;
        /** Bumped whenever the file is prepared again; older results are dropped. */
        int generation;
        final JPanel row = new JPanel(new BorderLayout(Ui.gap(), 0));
        final JLabel title = PlainText.label();
        /** Size and what will be sent: plain text that wraps (no HTML to parse on every change). */
        final javax.swing.JTextArea detail = plainText();
        final JButton sendOriginal;
        final JButton remove;

        Item(Path original) {
            this.original = original;
            Path n = original.getFileName();
            this.name = PlainText.line(n == null ? original.toString() : n.toString(), 255);
            title.setText(name);
            title.setFont(title.getFont().deriveFont(java.awt.Font.BOLD));
            detail.setColumns(DETAIL_COLUMNS);
            sendOriginal = Ui.button(ctx.text("drop.source.file.original"), e -> chooseOriginal(this));
            remove = Ui.button(ctx.text("drop.source.file.remove"), e -> remove(this));
            remove.getAccessibleContext().setAccessibleName(ctx.format("drop.source.file.remove.name", name));
            sendOriginal.getAccessibleContext().setAccessibleName(ctx.format("drop.source.file.original.name", name));
            row.setOpaque(false);
            row.setName("attachment");
            JPanel text = new JPanel();
            text.setLayout(new BoxLayout(text, BoxLayout.Y_AXIS));
            text.setOpaque(false);
            title.setAlignmentX(JComponent.LEFT_ALIGNMENT);
            detail.setAlignmentX(JComponent.LEFT_ALIGNMENT);
            text.add(title);
            text.add(detail);
            row.add(text, BorderLayout.CENTER);
            JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
            buttons.setOpaque(false);
            buttons.add(sendOriginal);
            buttons.add(remove);
            row.add(buttons, BorderLayout.EAST);
            row.setBorder(BorderFactory.createEmptyBorder(Ui.gap() / 2, 0, Ui.gap() / 2, 0));
            row.setAlignmentX(JComponent.LEFT_ALIGNMENT);
        }

        /** The row's words: size and what will be sent (tests read it). */
        String detailText() {
            return detailPlain;
        }

        private String detailPlain = "";

        void show() {
            String size = prepared == null ? "" : Sizes.bytes(ctx, prepared.prepared().spec().size()) + " · ";
            String words = switch (state) {
                case READING -> ctx.text("drop.source.file.reading");
                case CLEANING -> ctx.text("drop.source.file.cleaning");
                default -> note;
            };
            detailPlain = size + words;
            detail.setText(detailPlain);
            detail.setForeground(Theme.color(state == State.FAILED || state == State.CHOOSE ? "Allium.error.foreground"
                    : "Allium.meta.foreground", Color.GRAY));
            sendOriginal.setVisible(state == State.CHOOSE);
            row.revalidate();
            row.repaint();
        }
    }

    private final UiContext ctx;
    private final Runnable changed;
    private final List<Item> items = new ArrayList<>();
    private Places places;
    private CleanedCopies cleaned;
    private Path copies;
    /** Deletes {@link #copies} if the JVM exits with the window open. */
    private Thread cleanup;
    private int copyCount;

    final JPanel panel = new JPanel(new BorderLayout(0, Ui.gap() / 2));
    final JPanel list = new org.allium.desktop.ScrollablePanel(null);
    /** The list, scrolled beyond {@link #LIST_HEIGHT} (the message stays in view). */
    private final javax.swing.JScrollPane scroll;
    final JButton attach;
    final JCheckBox clean;
    /** What the option does, or why it is off: plain wrapping text (no HTML to parse when the window opens). */
    final javax.swing.JTextArea cleanNote = plainText();
    final JLabel problem = Ui.colored("Allium.error.foreground");

    /** @param changed told whenever the files or their states change (to enable Send) */
    SourceAttachments(UiContext ctx, Runnable changed) {
        this.ctx = ctx;
        this.changed = changed;
        this.places = new SwingPlaces(ctx);
        this.cleaned = new CleanedCopies(ctx, Mat2Cleaner.system());
        attach = Ui.button(ctx.text("drop.source.files.attach"), e -> choose());
        clean = Ui.mnemonic(new JCheckBox(), ctx.text("drop.source.files.clean"));
        clean.addActionListener(e -> cleanChanged());
        panel.setOpaque(false);
        list.setLayout(new BoxLayout(list, BoxLayout.Y_AXIS));
        list.setOpaque(false);
        scroll = capped(list, LIST_HEIGHT);
        panel.add(scroll, BorderLayout.CENTER);
        JPanel controls = new JPanel();
        controls.setLayout(new BoxLayout(controls, BoxLayout.Y_AXIS));
        controls.setOpaque(false);
        JPanel line = new JPanel(new FlowLayout(FlowLayout.LEADING, Ui.gap(), 0));
        line.setOpaque(false);
        line.add(attach);
        line.add(clean);
        line.setAlignmentX(JComponent.LEFT_ALIGNMENT);
        cleanNote.setAlignmentX(JComponent.LEFT_ALIGNMENT);
        cleanNote.setColumns(50);
        problem.setAlignmentX(JComponent.LEFT_ALIGNMENT);
        controls.add(line);
        controls.add(Box.createVerticalStrut(Ui.gap() / 2));
        controls.add(cleanNote);
        controls.add(problem);
        panel.add(controls, BorderLayout.SOUTH);
        setCleaner(cleaned.cleaner());
    }

    /** A read-only text area that wraps by word and looks like a label. */
    private static javax.swing.JTextArea plainText() {
        javax.swing.JTextArea a = new javax.swing.JTextArea();
        a.setEditable(false);
        a.setLineWrap(true);
        a.setWrapStyleWord(true);
        a.setOpaque(false);
        a.setFocusable(false);
        a.setBorder(BorderFactory.createEmptyBorder());
        a.setFont(javax.swing.UIManager.getFont("Label.font"));
        return a;
    }

    /** {@code view} (a {@link org.allium.desktop.ScrollablePanel}) scrolled vertically beyond {@code maxHeight}. */
    static javax.swing.JScrollPane capped(JComponent view, int maxHeight) {
        javax.swing.JScrollPane s = new javax.swing.JScrollPane(view) {
            @Override
            public java.awt.Dimension getPreferredSize() {
                java.awt.Dimension d = super.getPreferredSize();
                return new java.awt.Dimension(d.width, Math.min(d.height, maxHeight));
            }
        };
        s.setHorizontalScrollBarPolicy(javax.swing.ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        s.getVerticalScrollBar().setFocusable(false);
        s.getVerticalScrollBar().setUnitIncrement(16);
        s.setBorder(BorderFactory.createEmptyBorder());
        s.setOpaque(false);
        s.getViewport().setOpaque(false);
        return s;
    }

    /** Replaces the desktop's file dialog (tests answer for the user). */
    void setPlaces(Places p) {
        places = p;
    }

    /** Replaces the system's mat2 (tests); the option's default follows whether it is installed. */
    void setCleaner(Mat2Cleaner c) {
        cleaned = new CleanedCopies(ctx, c);
        boolean have = c.available();
        clean.setEnabled(have);
        clean.setSelected(have);
        cleanNote.setText(ctx.text(have ? "drop.source.files.clean.hint" : "drop.source.files.clean.missing"));
        if (have) {
            cleaned.load(() -> {
            });
        }
        for (Item i : items) {
            prepare(i);
        }
        update();
    }

    /** Files dropped or pasted on {@code c} are attached; its own text drops keep working. */
    void acceptDrops(JComponent c) {
        FileDrop.install(c, paths -> {
            add(paths);
            return true;
        });
    }

    void choose() {
        List<Path> chosen = places.filesToSend(SwingUtilities.getWindowAncestor(panel));
        if (!chosen.isEmpty()) {
            add(chosen);
        }
    }

    /** Attaches {@code files} (up to {@link #MAX_FILES} in all); each is read in the background. */
    void add(List<Path> files) {
        String tooMany = null;
        for (Path f : files) {
            if (items.size() >= MAX_FILES) {
                tooMany = ctx.format("drop.source.files.max", MAX_FILES);
                break;
            }
            Item i = new Item(f);
            items.add(i);
            list.add(i.row);
            prepare(i);
        }
        update();
        if (tooMany != null) {
            problem.setText(tooMany);
        }
    }

    private void remove(Item i) {
        i.generation++;
        items.remove(i);
        list.remove(i.row);
        deleteCopy(i);
        update();
    }

    private void chooseOriginal(Item i) {
        if (i.state != State.CHOOSE || i.prepared == null) {
            return;
        }
        i.state = State.READY;
        i.note = ctx.text("drop.source.file.chosenOriginal");
        i.show();
        update();
    }

    private void cleanChanged() {
        for (Item i : items) {
            prepare(i);
        }
        update();
    }

    /** The result of reading one file: what will be sent and the words for it. */
    private record Ready(State state, DropSource.Attachment prepared, Path copy, long modified, String note) {
    }

    /** A file that cannot be sent, with the sentence why. */
    private static final class Unsendable extends Exception {
        Unsendable(String sentence) {
            super(sentence, null, false, false);
        }
    }

    private void prepare(Item i) {
        int gen = ++i.generation;
        deleteCopy(i);
        i.prepared = null;
        boolean wantClean = clean.isSelected() && cleaned.cleaner().available();
        boolean canClean = wantClean && cleaned.canClean(i.name);
        i.state = canClean ? State.CLEANING : State.READING;
        i.show();
        Path target = canClean ? nextCopyTarget(i) : null;
        String ext = Mat2Cleaner.extensionOf(i.name);
        ctx.background().run(() -> read(i.original, target, i.name, wantClean, canClean, ext), r -> {
            if (gen != i.generation || !items.contains(i)) {
                deleteQuietly(r.copy());
                return;
            }
            i.state = r.state();
            i.prepared = r.prepared();
            i.copy = r.copy();
            i.modified = r.modified();
            i.note = r.note();
            i.show();
            update();
        }, e -> {
            if (gen != i.generation || !items.contains(i)) {
                return;
            }
            i.state = State.FAILED;
            i.note = e instanceof Unsendable u ? u.getMessage() : ctx.text("drop.source.file.readFailed");
            i.show();
            update();
        });
    }

    /** Background: checks, cleans (if asked and possible) and reads the file. Blocks. */
    private Ready read(Path original, Path target, String name, boolean wantClean, boolean canClean, String ext)
            throws Exception {
        if (Files.isDirectory(original)) {
            throw new Unsendable(ctx.text("drop.source.file.folder"));
        }
        if (!Files.isRegularFile(original)) {
            throw new Unsendable(ctx.text("drop.source.file.missing"));
        }
        long size = Files.size(original);
        if (size > DropSource.MAX_FILE_BYTES) {
            throw new Unsendable(ctx.format("drop.source.file.tooLarge", Sizes.bytes(ctx, DropSource.MAX_FILE_BYTES)));
        }
        if (!Files.isReadable(original)) {
            throw new Unsendable(ctx.text("drop.source.file.unreadable"));
        }
        String cannot = null;
        if (canClean && target == null) {
            cannot = ctx.text("drop.source.file.clean.failed");
        } else if (canClean) {
            try {
                Mat2Cleaner.Result r = cleaned.cleaner().clean(name, file -> Files.copy(original, file), target);
                String note = r.removed().isEmpty() ? ctx.text("drop.source.file.cleaned.none")
                        : ctx.format("drop.source.file.cleaned", cleaned.keys(r.removed()));
                if (!r.remaining().isEmpty()) {
                    note += " " + ctx.format("drop.source.file.cleaned.remaining", cleaned.keys(r.remaining()));
                }
                return new Ready(State.READY, attach(target), target, Files.getLastModifiedTime(target).toMillis(), note);
            } catch (Mat2Cleaner.CleanException e) {
                deleteQuietly(target);
                cannot = switch (e.reason()) {
                    case MISSING, UNSUPPORTED -> ext.isEmpty() ? ctx.text("drop.source.file.clean.noType")
                            : ctx.format("drop.source.file.clean.unsupported", ext);
                    case TIMEOUT -> ctx.text("drop.source.file.clean.timeout");
                    case FAILED -> e.detail().isBlank() ? ctx.text("drop.source.file.clean.failed")
                            : ctx.format("drop.source.file.clean.failed.detail", PlainText.line(e.detail(), 200));
                };
            } catch (IOException e) {
                deleteQuietly(target);
                if (e instanceof AccessDeniedException) {
                    throw new Unsendable(ctx.text("drop.source.file.unreadable"));
                }
                cannot = ctx.text("drop.source.file.clean.failed");
            }
        } else if (wantClean) {
            cannot = ext.isEmpty() ? ctx.text("drop.source.file.clean.noType")
                    : ctx.format("drop.source.file.clean.unsupported", ext);
        }
        long modified = Files.getLastModifiedTime(original).toMillis();
        DropSource.Attachment a = attach(original);
        if (cannot != null) {
            return new Ready(State.CHOOSE, a, null, modified, ctx.format("drop.source.file.cannotClean", cannot));
        }
        return new Ready(State.READY, a, null, modified, ctx.text("drop.source.file.asIs"));
    }

    private DropSource.Attachment attach(Path file) throws Unsendable {
        try {
            return DropSource.attach(file);
        } catch (NoSuchFileException e) {
            throw new Unsendable(ctx.text("drop.source.file.missing"));
        } catch (AccessDeniedException e) {
            throw new Unsendable(ctx.text("drop.source.file.unreadable"));
        } catch (IOException e) {
            throw new Unsendable(ctx.text("drop.source.file.readFailed"));
        }
    }

    /** A fresh path for a cleaned copy of {@code i}, named as the original (the name the drop line sees). */
    private Path nextCopyTarget(Item i) {
        try {
            if (copies == null) {
                Path root = Mat2Cleaner.defaultTempRoot();
                Files.createDirectories(root);
                Path made = Files.createTempDirectory(root, "allium-drop-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                copies = made;
                // The app may exit with the window open: the copies go with it.
                cleanup = new Thread(() -> deleteTree(made), "allium-drop-copies-cleanup");
                Runtime.getRuntime().addShutdownHook(cleanup);
            }
            Path dir = Files.createDirectory(copies.resolve(Integer.toString(++copyCount)));
            Path n = i.original.getFileName();
            return dir.resolve(org.allium.core.api.FileNames.safe(n == null ? "attachment" : n.toString()));
        } catch (IOException e) {
            return null; // the clean step then fails with the reason, and the source chooses
        }
    }

    private void deleteCopy(Item i) {
        if (i.copy != null) {
            deleteQuietly(i.copy);
            i.copy = null;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            // deleted with the whole directory when the window closes
        }
    }

    private void update() {
        scroll.setVisible(!items.isEmpty());
        String p = problem();
        problem.setText(p == null ? " " : p);
        panel.revalidate();
        panel.repaint();
        changed.run();
    }

    /** Why the files cannot be sent now, or null. */
    String problem() {
        if (items.stream().anyMatch(i -> i.state == State.FAILED)) {
            return ctx.text("drop.source.files.failed");
        }
        if (items.stream().anyMatch(i -> i.state == State.CHOOSE)) {
            return ctx.text("drop.source.files.choose");
        }
        if (items.stream().anyMatch(i -> i.state == State.READING || i.state == State.CLEANING)) {
            return ctx.text("drop.source.files.wait");
        }
        return null;
    }

    /** Whether every file is ready to send (true with none). */
    boolean ready() {
        return problem() == null;
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    List<Item> items() {
        return List.copyOf(items);
    }

    /** The files as they will be sent, in order. */
    List<DropSource.Attachment> prepared() {
        return items.stream().map(i -> i.prepared).toList();
    }

    /**
     * The first file that changed or vanished since it was read (a resume would send other
     * bytes), marked as such; null if none. Any thread: reads only the files and final fields.
     */
    static Item changedSince(List<Item> sent, List<Long> modified) {
        for (int k = 0; k < sent.size(); k++) {
            Item i = sent.get(k);
            Path p = i.prepared.prepared().path();
            try {
                if (!Files.isRegularFile(p) || Files.size(p) != i.prepared.prepared().spec().size()
                        || Files.getLastModifiedTime(p).toMillis() != modified.get(k)) {
                    return i;
                }
            } catch (IOException e) {
                return i;
            }
        }
        return null;
    }

    /** Marks {@code i} as not sendable any more: it changed since it was read. */
    void changed(Item i) {
        i.state = State.FAILED;
        i.note = ctx.text("drop.source.file.changed");
        i.show();
        update();
    }

    /** Empties the list after a sent message; the cleaned copies are deleted. */
    void clear() {
        for (Item i : List.copyOf(items)) {
            remove(i);
        }
        problem.setText(" ");
    }

    /** Forgets every file and deletes the cleaned copies (the window is closing). */
    void forget() {
        for (Item i : items) {
            i.generation++;
        }
        items.clear();
        list.removeAll();
        if (copies != null) {
            Path dir = copies;
            copies = null;
            deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook deletes what is left
            }
            cleanup = null;
        }
    }

    /** The private directory of the cleaned copies, or null before the first (tests). */
    Path copiesDirectory() {
        return copies;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: it is under the session's runtime directory
        }
    }
}
