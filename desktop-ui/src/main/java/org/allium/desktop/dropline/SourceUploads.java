package org.allium.desktop.dropline;

import java.awt.BorderLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.swing.BoxLayout;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import org.allium.core.dropline.DropSource;
import org.allium.desktop.PlainText;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;
import org.allium.desktop.files.Sizes;

/**
 * The upload of a message's files while it is sent: per file its name (plain text), a progress
 * bar of the bytes the drop line confirmed, the speed and time left; "Connection lost…" and
 * "Resuming…" when the connection broke and the upload starts again where it stopped; "received"
 * once the drop line verified it whole. Event thread only.
 */
final class SourceUploads {
    /** The span over which the speed is measured. */
    private static final long RATE_WINDOW_NANOS = 8_000_000_000L;
    private static final int SCALE = 1000;

    private final UiContext ctx;
    final JPanel panel = new org.allium.desktop.ScrollablePanel(null);
    private final List<Row> rows = new ArrayList<>();

    private final class Row {
        final String name;
        /** The name the drop line was told (to find the file in its answer). */
        final String announced;
        final long size;
        final JProgressBar bar = new JProgressBar(0, SCALE);
        final JLabel status = PlainText.label();
        final ArrayDeque<long[]> samples = new ArrayDeque<>();
        long sent;
        boolean done;

        Row(String name, String announced, long size) {
            this.name = name;
            this.announced = announced;
            this.size = size;
        }

        void set(String s) {
            status.setText(s);
        }

        void progress(long bytes, long now) {
            sent = Math.max(0, Math.min(bytes, size));
            bar.setValue(size == 0 ? SCALE : (int) (sent * SCALE / size));
            if (sent >= size) {
                done = true;
                set(ctx.format("drop.source.upload.done", Sizes.bytes(ctx, size)));
                return;
            }
            samples.addLast(new long[] {now, sent});
            while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW_NANOS) {
                samples.removeFirst();
            }
            long perSecond = 0;
            long span = now - samples.peekFirst()[0];
            if (samples.size() >= 2 && span >= 500_000_000L) {
                perSecond = (sent - samples.peekFirst()[1]) * 1_000_000_000L / span;
            }
            long left = perSecond <= 0 ? -1 : (size - sent + perSecond - 1) / perSecond;
            set(ctx.format("file.running", Sizes.bytes(ctx, sent), Sizes.bytes(ctx, size),
                    Sizes.bytes(ctx, perSecond), Sizes.timeLeft(ctx, left)));
        }
    }

    SourceUploads(UiContext ctx, List<SourceAttachments.Item> items) {
        this.ctx = ctx;
        panel.setLayout(new BoxLayout(panel, BoxLayout.Y_AXIS));
        panel.setOpaque(false);
        panel.setName("uploads");
        for (SourceAttachments.Item i : items) {
            Row r = new Row(i.name, i.prepared.prepared().spec().name(), i.prepared.prepared().spec().size());
            rows.add(r);
            JPanel p = new JPanel(new BorderLayout(0, Ui.gap() / 2));
            p.setOpaque(false);
            JLabel title = PlainText.label();
            title.setText(i.name);
            p.add(title, BorderLayout.NORTH);
            r.bar.getAccessibleContext().setAccessibleName(i.name);
            p.add(r.bar, BorderLayout.CENTER);
            r.set(ctx.text("drop.source.upload.waiting"));
            p.add(r.status, BorderLayout.SOUTH);
            p.setAlignmentX(JComponent.LEFT_ALIGNMENT);
            p.setBorder(javax.swing.BorderFactory.createEmptyBorder(0, 0, Ui.gap(), 0));
            panel.add(p);
        }
    }

    /** The drop line confirmed {@code sent} bytes of file {@code index}. */
    void progress(int index, long sent) {
        if (index >= 0 && index < rows.size()) {
            rows.get(index).progress(sent, System.nanoTime());
        }
    }

    /** Whether the upload had begun before a connection broke (any thread). */
    private volatile boolean started;

    void markStarted() {
        started = true;
    }

    boolean started() {
        return started;
    }

    /** The connection broke; the upload starts again in {@code seconds}. */
    void lost(long seconds) {
        for (Row r : rows) {
            if (!r.done) {
                r.set(ctx.format("drop.source.upload.lost", seconds));
            }
        }
    }

    /** A new connection: the drop line says what it has and the upload goes on from there. */
    void resuming() {
        for (Row r : rows) {
            r.samples.clear(); // the jump to what the drop line already has is no speed
            if (!r.done) {
                r.set(ctx.text("drop.source.upload.resuming"));
            }
        }
    }

    /**
     * The drop line's word on the case's files after the upload (the newest last): a file it
     * holds whole is done.
     */
    void finished(List<DropSource.FileStatus> files) {
        for (Row r : rows) {
            for (int k = files.size() - 1; k >= 0; k--) {
                DropSource.FileStatus f = files.get(k);
                if (f.name().equals(r.announced) && f.size() == r.size) {
                    if (f.complete()) {
                        r.progress(r.size, System.nanoTime());
                    }
                    break;
                }
            }
        }
    }

    /** Each file's status line (tests). */
    List<String> statuses() {
        return rows.stream().map(r -> r.status.getText()).toList();
    }

    /** Each file's progress, 0..1000 (tests). */
    List<Integer> values() {
        return rows.stream().map(r -> r.bar.getValue()).toList();
    }
}
