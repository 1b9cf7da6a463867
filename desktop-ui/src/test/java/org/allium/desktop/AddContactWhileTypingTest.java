package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.junit.jupiter.api.Test;

/** Issue 13: Add contact refuses an existing contact or request as it is typed, not after Send. */
class AddContactWhileTypingTest extends UiTest {
    @Test
    void existingContactsAndRequestsAreRefusedWhileTyping() throws Exception {
        app = gallery.populatedMain();
        Contact bogdan = onEdt(() -> app.main.contactList.contacts.get(0));
        ContactRequest request = onEdt(() -> app.main.contactList.requests.get(0));
        ScreenGallery.openDialog(app, "add");
        AddContactPanel p = onEdt(() -> (AddContactPanel) app.openDialog("add").getContentPane());
        String already = "This person is already in your contacts or requests.";
        edt(() -> p.address.setText(bogdan.link()));
        assertEquals(already, onEdt(p.addressStatus::getText));
        assertFalse(onEdt(p.send::isEnabled));
        edt(() -> p.address.setText(request.serviceId() + ".onion"));
        assertEquals(already, onEdt(p.addressStatus::getText));
        edt(() -> p.address.setText("allium:" + FakeCore.serviceId(java.util.Arrays.copyOf(new byte[] {5}, 32))));
        assertEquals("This is a valid address.", onEdt(p.addressStatus::getText));
        assertTrue(onEdt(p.send::isEnabled));
    }
}
