package org.allium.desktop;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.util.Map;
import javax.swing.JComponent;

/**
 * Draws a QR code of a text (the {@code allium:} link). Always dark modules on white with
 * a quiet zone, whatever the theme, so phones can scan it. Event thread only.
 */
public final class QrCodeView extends JComponent {
    private static final int QUIET_ZONE = 4;
    private BitMatrix matrix;

    public QrCodeView() {
        setOpaque(true);
    }

    @Override
    public javax.accessibility.AccessibleContext getAccessibleContext() {
        if (accessibleContext == null) {
            accessibleContext = new AccessibleJComponent() {
                @Override
                public javax.accessibility.AccessibleRole getAccessibleRole() {
                    return javax.accessibility.AccessibleRole.ICON;
                }
            };
        }
        return accessibleContext;
    }

    /** Shows {@code text} as a QR code; {@code null} shows nothing. */
    public void setText(String text) {
        matrix = text == null ? null : encode(text);
        revalidate();
        repaint();
    }

    /** The module matrix (without quiet zone), for tests. */
    BitMatrix matrix() {
        return matrix;
    }

    static BitMatrix encode(String text) {
        try {
            // Width/height 0: one pixel per module; we scale when painting.
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                            EncodeHintType.MARGIN, 0));
        } catch (WriterException e) {
            throw new IllegalArgumentException("text too long for a QR code", e);
        }
    }

    @Override
    public Dimension getPreferredSize() {
        int side = matrix == null ? 0 : (matrix.getWidth() + 2 * QUIET_ZONE) * 5;
        return new Dimension(Math.max(side, 160), Math.max(side, 160));
    }

    @Override
    protected void paintComponent(Graphics g) {
        int side = Math.min(getWidth(), getHeight());
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, getWidth(), getHeight());
        if (matrix == null) {
            return;
        }
        int modules = matrix.getWidth() + 2 * QUIET_ZONE;
        int scale = Math.max(1, side / modules);
        int offX = (getWidth() - modules * scale) / 2 + QUIET_ZONE * scale;
        int offY = (getHeight() - modules * scale) / 2 + QUIET_ZONE * scale;
        g.setColor(Color.BLACK);
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                if (matrix.get(x, y)) {
                    g.fillRect(offX + x * scale, offY + y * scale, scale, scale);
                }
            }
        }
    }
}
