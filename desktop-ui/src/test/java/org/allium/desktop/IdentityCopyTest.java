package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import org.junit.jupiter.api.Test;

/** Issue 13: the QR code stays, whole, after Copy (the "Copied" line used to squeeze it away). */
class IdentityCopyTest extends UiTest {
    @Test
    void theQrCodeStaysAfterCopy() throws Exception {
        app = gallery.populatedMain();
        ScreenGallery.openDialog(app, "identity");
        IdentityPanel p = onEdt(() -> (IdentityPanel) app.openDialog("identity").getContentPane());
        Dimension before = onEdt(p.qr::getSize);
        assertTrue(before.width >= 150 && before.height >= 150, "QR shown at first: " + before);
        edt(p.copy::doClick);
        waitFor("copied said", () -> p.copied.getText().contains("Copied"));
        edt(() -> {
            p.revalidate();
            app.openDialog("identity").validate();
        });
        Dimension after = onEdt(p.qr::getSize);
        assertEquals(before, after, "the QR code keeps its size after Copy");
        assertTrue(onEdt(p.qr::isShowing));
        // Wholly inside the window, not wrapped out of sight by its row.
        java.awt.Rectangle inWindow = onEdt(() -> javax.swing.SwingUtilities.convertRectangle(p.qr.getParent(),
                p.qr.getBounds(), app.openDialog("identity").getContentPane()));
        java.awt.Rectangle window = onEdt(() -> new java.awt.Rectangle(app.openDialog("identity").getContentPane().getSize()));
        assertTrue(window.contains(inWindow), "QR at " + inWindow + " inside " + window);
        java.awt.Rectangle row = onEdt(() -> new java.awt.Rectangle(p.qr.getParent().getSize()));
        assertTrue(row.contains(p.qr.getBounds()), "QR at " + onEdt(p.qr::getBounds) + " inside its row " + row);
    }
}
