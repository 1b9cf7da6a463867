package org.allium.desktop.files;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.util.Locale;
import java.util.Set;
import javax.swing.Icon;
import javax.swing.UIManager;
import org.allium.core.api.FileNames;
import org.allium.desktop.Theme;

/**
 * A page with a folded corner, coloured by the kind of file (document, image, audio, video,
 * archive, other) with its extension written on it: the type at a glance, painted, so no
 * image is ever loaded from the file itself. Immutable.
 */
final class FileIcon implements Icon {
    enum Kind {
        DOCUMENT, IMAGE, AUDIO, VIDEO, ARCHIVE, OTHER
    }

    private static final Set<String> DOCUMENTS = Set.of("pdf", "doc", "docx", "odt", "rtf", "txt", "md", "xls",
            "xlsx", "ods", "csv", "ppt", "pptx", "odp", "epub", "html", "htm", "xml", "json", "eml", "msg");
    private static final Set<String> IMAGES = Set.of("png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff",
            "heic", "svg");
    private static final Set<String> AUDIO = Set.of("mp3", "wav", "ogg", "oga", "opus", "flac", "m4a", "aac");
    private static final Set<String> VIDEO = Set.of("mp4", "mkv", "webm", "mov", "avi", "m4v", "ogv");
    private static final Set<String> ARCHIVES = Set.of("zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "xz", "zst");

    private final Kind kind;
    private final String label;
    private final int width;
    private final int height;

    FileIcon(String fileName, int height) {
        String ext = FileNames.extension(fileName);
        this.kind = kindOf(ext);
        // Only ASCII letters and digits are painted: a peer's extension is data, not a picture.
        String clean = ext.replaceAll("[^a-z0-9]", "");
        this.label = clean.isEmpty() ? "" : clean.substring(0, Math.min(4, clean.length())).toUpperCase(Locale.ROOT);
        this.height = height;
        this.width = height * 4 / 5;
    }

    static Kind kindOf(String ext) {
        if (DOCUMENTS.contains(ext)) {
            return Kind.DOCUMENT;
        } else if (IMAGES.contains(ext)) {
            return Kind.IMAGE;
        } else if (AUDIO.contains(ext)) {
            return Kind.AUDIO;
        } else if (VIDEO.contains(ext)) {
            return Kind.VIDEO;
        } else if (ARCHIVES.contains(ext)) {
            return Kind.ARCHIVE;
        }
        return Kind.OTHER;
    }

    Kind kind() {
        return kind;
    }

    String label() {
        return label;
    }

    @Override
    public void paintIcon(Component c, Graphics g, int x, int y) {
        Graphics2D g2 = (Graphics2D) g.create();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int fold = width / 3;
        Color accent = Theme.color("Allium.file." + kind.name().toLowerCase(Locale.ROOT), new Color(0x6b7a8f));
        Polygon page = new Polygon(new int[] {x, x + width - fold, x + width, x + width, x},
                new int[] {y, y, y + fold, y + height, y + height}, 5);
        g2.setColor(Theme.color("Allium.file.page", Color.WHITE));
        g2.fillPolygon(page);
        g2.setColor(accent);
        g2.setStroke(new BasicStroke(1.5f));
        g2.drawPolygon(page);
        g2.fillPolygon(new Polygon(new int[] {x + width - fold, x + width, x + width - fold},
                new int[] {y, y + fold, y + fold}, 3));
        // A band with the extension.
        int bandH = Math.max(10, height / 3);
        int bandY = y + height - bandH - height / 6;
        g2.fillRect(x - 2, bandY, width + 4, bandH);
        if (!label.isEmpty()) {
            Font base = UIManager.getFont("Label.font");
            Font f = (base != null ? base : g2.getFont()).deriveFont(Font.BOLD, bandH * 0.7f);
            g2.setFont(f);
            FontMetrics fm = g2.getFontMetrics();
            while (fm.stringWidth(label) > width + 2 && f.getSize2D() > 6) {
                f = f.deriveFont(f.getSize2D() - 1);
                g2.setFont(f);
                fm = g2.getFontMetrics();
            }
            g2.setColor(Color.WHITE);
            g2.drawString(label, x + (width - fm.stringWidth(label)) / 2,
                    bandY + (bandH - fm.getHeight()) / 2 + fm.getAscent());
        }
        g2.dispose();
    }

    @Override
    public int getIconWidth() {
        return width + 4;
    }

    @Override
    public int getIconHeight() {
        return height + 1;
    }
}
