package org.allium.desktop.dropline;

import java.awt.Window;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.swing.BoxLayout;
import javax.swing.JComponent;
import javax.swing.JPanel;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.MessageId;
import org.allium.core.api.ContactId;
import org.allium.core.api.Direction;
import org.allium.core.api.DropLine;
import org.allium.core.api.FileNames;
import org.allium.core.api.FileTransfer;
import org.allium.desktop.UiContext;
import org.allium.desktop.files.CleanedCopies;
import org.allium.desktop.files.ConversationFiles;
import org.allium.desktop.files.FileCard;
import org.allium.desktop.files.Mat2Cleaner;
import org.allium.desktop.files.Places;
import org.allium.desktop.files.SwingPlaces;

/**
 * The files a source attached to a case, under the submission that announced them: the
 * file-transfer card (type icon, the source's name as plain text, size, progress while the
 * upload is under way), then "Save as…", "Save a cleaned copy…" (mat2) and "Open folder".
 * Attachments arrive by themselves, so the card has no accept / pause / cancel. Cards are
 * kept across reloads of the shown case and updated in place. Event thread only; the drop
 * line is called on the background executor.
 */
final class CaseAttachments {
    private final UiContext ctx;
    private final DropLine line;
    private final Supplier<Window> window;
    private final Consumer<String> error;
    private Places places;
    private CleanedCopies cleaned;
    /** The shown case's cards, by attachment id. */
    private final Map<MessageId, FileCard> cards = new HashMap<>();
    /** Where each attachment was saved in this session, and the last cleaned copy's outcome, by case + id. */
    private final Map<String, Path> saved = new HashMap<>();
    private final Map<String, Outcome> outcomes = new HashMap<>();
    private Path lastFolder;
    private long caseId = -1;

    private record Outcome(String text, boolean error) {
    }

    /** @param error shows a sentence under the case ("" clears it) */
    CaseAttachments(UiContext ctx, DropLine line, Supplier<Window> window, Consumer<String> error) {
        this.ctx = ctx;
        this.line = line;
        this.window = window;
        this.error = error;
        this.places = new SwingPlaces(ctx);
        this.cleaned = new CleanedCopies(ctx, Mat2Cleaner.system());
    }

    void setPlaces(Places p) {
        places = p;
    }

    void setCleaner(Mat2Cleaner c) {
        cleaned = new CleanedCopies(ctx, c);
    }

    private void refreshClean() {
        for (FileCard c : cards.values()) {
            clean(c);
        }
    }

    /** Another case is shown: its cards start afresh. */
    void show(long id) {
        if (id != caseId) {
            cards.clear();
            caseId = id;
        }
    }

    /** The cards of the attachments announced by submission {@code item}, or null if it announced none. */
    JComponent cardsFor(MessageId item, List<DropStore.Attachment> all) {
        JPanel p = null;
        for (DropStore.Attachment a : all) {
            if (!a.item().equals(item)) {
                continue;
            }
            if (p == null) {
                p = new JPanel();
                p.setOpaque(false);
                p.setLayout(new BoxLayout(p, BoxLayout.Y_AXIS));
                p.setName("dropAttachments");
            }
            FileTransfer t = view(a);
            FileCard card = cards.get(a.fileId());
            if (card == null) {
                card = new FileCard(ctx, t, actions, false);
                card.setName("dropAttachment");
                card.setAlignmentX(JComponent.LEFT_ALIGNMENT);
                cards.put(a.fileId(), card);
                Path file = saved.get(key(a.caseId(), a.fileId()));
                if (file != null) {
                    card.setSaved(file);
                }
            } else {
                card.update(t);
            }
            clean(card);
            JPanel row = new JPanel(new java.awt.FlowLayout(java.awt.FlowLayout.LEADING, 0, 0));
            row.setOpaque(false);
            row.setAlignmentX(JComponent.LEFT_ALIGNMENT);
            row.add(card); // the card keeps its own width, as in a conversation
            p.add(row);
        }
        return p;
    }

    /** The card of an attachment of the shown case (tests). */
    FileCard card(MessageId fileId) {
        return cards.get(fileId);
    }

    /**
     * An attachment as the file-transfer UI shows it: received (incoming), complete or still
     * arriving ({@code received} of {@code size}); the case stands in for the contact.
     */
    static FileTransfer view(DropStore.Attachment a) {
        return new FileTransfer(new org.allium.core.api.MessageId(a.fileId().toHex()), new ContactId(a.caseId()),
                Direction.INCOMING, a.spec().name(), a.spec().size(),
                a.complete() ? FileTransfer.State.COMPLETE : FileTransfer.State.ACTIVE,
                Math.min(a.received(), a.spec().size()), 0, null, a.created());
    }

    private static String key(long caseId, MessageId fileId) {
        return caseId + "/" + fileId.toHex();
    }

    private void clean(FileCard card) {
        FileTransfer t = card.transfer();
        if (t.state() == FileTransfer.State.COMPLETE) {
            CleanedCopies now = cleaned;
            now.loadOnce(() -> {
                if (now == cleaned) {
                    refreshClean();
                }
            });
        }
        Outcome o = outcomes.get(caseId + "/" + t.id().hex());
        card.setClean(cleaned.canClean(t.name()), cleaned.note(t.name()), o == null ? "" : o.text(),
                o != null && o.error());
    }

    private Path folder() {
        return lastFolder != null ? lastFolder : ConversationFiles.defaultFolder();
    }

    /** Writes the attachment to {@code target}: exported beside it (never replacing), then renamed over it. */
    private static Path exportTo(DropLine line, long caseId, MessageId fileId, Path target) throws Exception {
        Path dir = target.toAbsolutePath().getParent();
        Path written = line.export(caseId, fileId, dir);
        if (written.equals(target.toAbsolutePath())) {
            return written;
        }
        try {
            return Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private final FileCard.Actions actions = new FileCard.Actions() {
        @Override
        public void accept(FileTransfer t) {
        }

        @Override
        public void decline(FileTransfer t) {
        }

        @Override
        public void pause(FileTransfer t) {
        }

        @Override
        public void resume(FileTransfer t) {
        }

        @Override
        public void cancel(FileTransfer t) {
        }

        @Override
        public void saveAs(FileTransfer t) {
            // The source's name is only a proposal, made safe: never a path of its own.
            Path target = places.saveTarget(window.get(), folder().resolve(FileNames.safe(t.name())));
            if (target == null) {
                return;
            }
            long c = caseId;
            MessageId id = MessageId.fromBytes(java.util.HexFormat.of().parseHex(t.id().hex()));
            error.accept("");
            ctx.background().run(() -> exportTo(line, c, id, target), written -> {
                saved.put(key(c, id), written);
                lastFolder = written.getParent();
                FileCard card = c == caseId ? cards.get(id) : null;
                if (card != null) {
                    card.setSaved(written);
                }
            }, e -> error.accept(DropInbox.errorText(ctx, e)));
        }

        @Override
        public void saveCleaned(FileTransfer t) {
            long c = caseId;
            MessageId id = MessageId.fromBytes(java.util.HexFormat.of().parseHex(t.id().hex()));
            error.accept("");
            cleaned.save(window.get(), places, folder(), t.name(), file -> {
                Path w = line.export(c, id, file.getParent());
                Files.move(w, file);
            }, r -> {
                saved.put(key(c, id), r.written());
                lastFolder = r.written().getParent();
                outcomes.put(key(c, id), new Outcome(cleaned.outcome(r), false));
                FileCard card = c == caseId ? cards.get(id) : null;
                if (card != null) {
                    card.setSaved(r.written());
                    clean(card);
                }
            }, why -> {
                outcomes.put(key(c, id), new Outcome(why, true));
                FileCard card = c == caseId ? cards.get(id) : null;
                if (card != null) {
                    clean(card);
                }
            });
        }

        @Override
        public void openFolder(FileTransfer t) {
            Path file = saved.get(caseId + "/" + t.id().hex());
            if (file == null || file.getParent() == null) {
                return;
            }
            Places p = places;
            ctx.background().run(() -> p.openFolder(file.getParent()), () -> { },
                    e -> error.accept(ctx.text("file.openFolder.failed")));
        }
    };
}
