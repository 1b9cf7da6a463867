package org.allium.desktop.files;

import java.awt.Component;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.allium.core.api.FileNames;
import org.allium.desktop.PlainText;
import org.allium.desktop.UiContext;

/**
 * "Save a cleaned copy…" for the screens that show received files (a contact's file transfer,
 * a drop line's attachment): whether it can be offered for a file and why not, the metadata
 * note, the proposed name, and the outcome in words. The cleaning itself is {@link Mat2Cleaner}'s.
 * Event thread only, except where said.
 */
public final class CleanedCopies {
    /** Most metadata keys named in an outcome; the rest are counted. */
    static final int KEYS_SHOWN = 4;
    private final UiContext ctx;
    private final Mat2Cleaner cleaner;
    /** What mat2 says it cleans; null until known (then every extension is tried). */
    private Set<String> types;

    public CleanedCopies(UiContext ctx, Mat2Cleaner cleaner) {
        this.ctx = ctx;
        this.cleaner = cleaner;
    }

    public Mat2Cleaner cleaner() {
        return cleaner;
    }

    private boolean asked;

    /** As {@link #load}, the first time only (then nothing happens). */
    public void loadOnce(Runnable then) {
        if (!asked) {
            asked = true;
            load(then);
        }
    }

    /** Asks mat2 which types it cleans (background), then runs {@code then} on the event thread. */
    public void load(Runnable then) {
        if (!cleaner.available()) {
            then.run();
            return;
        }
        ctx.background().run(cleaner::supportedExtensions, s -> {
            types = s.isEmpty() ? null : s;
            then.run();
        }, e -> then.run());
    }

    /** Whether a cleaned copy of a file named {@code offeredName} can be tried here. */
    public boolean canClean(String offeredName) {
        if (!cleaner.available()) {
            return false;
        }
        String ext = Mat2Cleaner.extensionOf(offeredName);
        return !ext.isEmpty() && (types == null || types.contains(ext));
    }

    /** The note under a received file: files carry metadata; and why no cleaned copy can be made, if so. */
    public String note(String offeredName) {
        if (!cleaner.available()) {
            return ctx.text("file.clean.note.missing");
        }
        if (!canClean(offeredName)) {
            String ext = Mat2Cleaner.extensionOf(offeredName);
            return ext.isEmpty() ? ctx.text("file.clean.note.noType")
                    : ctx.format("file.clean.note.unsupported", ext);
        }
        return ctx.text("file.clean.note");
    }

    /** The name proposed for the copy: the peer's name made safe, with "(cleaned)" before its extension. */
    public String suggestedName(String offeredName) {
        String safe = FileNames.safe(offeredName);
        String ext = Mat2Cleaner.extensionOf(offeredName);
        String stem = ext.isEmpty() ? safe : safe.substring(0, safe.length() - ext.length() - 1);
        return FileNames.safe(stem + ctx.text("file.clean.suffix") + (ext.isEmpty() ? "" : "." + ext));
    }

    /** What the cleaned copy removed, in words; the keys are the file's text (sanitised here, escaped by the caller). */
    public String outcome(Mat2Cleaner.Result r) {
        String s = r.removed().isEmpty() ? ctx.text("file.clean.done.none")
                : ctx.format("file.clean.done", keys(r.removed()));
        if (!r.remaining().isEmpty()) {
            s += " " + ctx.format("file.clean.remaining", keys(r.remaining()));
        }
        return s;
    }

    /**
     * The metadata keys of mat2's lines in words ("Author, Creator and 3 more"; a count when
     * none has a key), sanitised as plain text.
     */
    public String keys(List<String> lines) {
        List<String> keys = lines.stream().map(Mat2Cleaner::key).filter(k -> !k.endsWith("/") && !k.isBlank())
                .map(k -> PlainText.line(k, 40)).distinct().toList();
        if (keys.isEmpty()) {
            return ctx.format("file.clean.count", lines.size());
        }
        String shown = String.join(", ", keys.subList(0, Math.min(KEYS_SHOWN, keys.size())));
        return keys.size() <= KEYS_SHOWN ? shown : ctx.format("file.clean.more", shown, keys.size() - KEYS_SHOWN);
    }

    /** Why no cleaned copy was made, in words (mat2's own last words as plain text). */
    public String failure(Exception e) {
        if (e instanceof Mat2Cleaner.CleanException c) {
            return switch (c.reason()) {
                case MISSING -> ctx.text("file.clean.failed.missing");
                case UNSUPPORTED -> ctx.text("file.clean.failed.unsupported");
                case TIMEOUT -> ctx.text("file.clean.failed.timeout");
                case FAILED -> c.detail().isBlank() ? ctx.text("file.clean.failed")
                        : ctx.format("file.clean.failed.detail", PlainText.line(c.detail(), 200));
            };
        }
        return ctx.text("file.clean.failed.io");
    }

    /**
     * The whole action: asks where to save (proposing {@link #suggestedName} in {@code folder}),
     * then cleans in the background; {@code done} gets the result, {@code failed} the sentence.
     * Nothing happens if the user cancels.
     *
     * @param original writes the received file into the cleaner's private directory (runs in the background)
     */
    public void save(Component parent, Places places, Path folder, String offeredName, Mat2Cleaner.Original original,
                     Consumer<Mat2Cleaner.Result> done, Consumer<String> failed) {
        Path target = places.saveTarget(parent, folder.resolve(suggestedName(offeredName)));
        if (target == null) {
            return;
        }
        ctx.background().run(() -> cleaner.clean(offeredName, original, target), done, e -> failed.accept(failure(e)));
    }
}
