package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Component;
import java.awt.Window;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.AbstractButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JOptionPane;
import javax.swing.JToolTip;
import javax.swing.ListCellRenderer;
import javax.swing.SwingUtilities;
import javax.swing.text.JTextComponent;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.DisplayText;
import org.allium.core.api.Message;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 §1: nothing a peer sends is ever markup. A corpus of hostile strings — HTML with
 * images, links, style sheets, objects and CSS backgrounds pointing at a local trap server,
 * {@code <html>} behind blanks, invisible and bidi characters that the sanitiser removes,
 * mixed case, control, bidi-override, zero-width and combining characters, very long lines —
 * goes in as nicknames, request texts, message texts and tor's words, through the contact
 * list, the request list and dialog, the conversation header and messages, the verify
 * dialog, the block confirmation, notifications and the connecting screen. The trap must see
 * no connection, the event thread must stay free (the watchdog), no component may hold an
 * HTML view other than the app's own escaped text, and every text is shown literally.
 */
class HostileTextTest extends UiTest {
    private static Trap trap;

    /** Counts every connection to it; answers nothing and hangs up after a while. */
    static final class Trap implements Runnable {
        final ServerSocket server;
        final AtomicInteger hits = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();

        Trap() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this, "markup-trap");
            t.setDaemon(true);
            t.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getLocalPort() + "/" + path;
        }

        @Override
        public void run() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    hits.incrementAndGet();
                    Thread reader = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream()) {
                            s.setSoTimeout(2000);
                            byte[] b = new byte[256];
                            int n = in.read(b);
                            requests.add(n > 0 ? new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                                    .lines().findFirst().orElse("") : "(nothing)");
                        } catch (IOException e) {
                            requests.add("(timeout)");
                        }
                    }, "markup-trap-conn");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    @BeforeAll
    static void start() throws IOException {
        UiTestSupport.warmUp();
        trap = new Trap();
    }

    @AfterAll
    static void stop() throws IOException {
        trap.server.close();
    }

    final String suffix() {
        return theme().name().toLowerCase(Locale.ROOT);
    }

    /** Hostile strings; each one would make Swing reach the trap if it were rendered as HTML. */
    static List<String> corpus() {
        List<String> c = new ArrayList<>();
        c.add("<html><img src=" + trap.url("img") + ">");
        c.add("  <HTML><a href=" + trap.url("a") + "><img src=" + trap.url("a-img") + ">click</a>");
        c.add("\t\n<HtMl><head><link rel=stylesheet href=" + trap.url("css") + "></head><body>x</body></html>");
        c.add("<html><object classid=\"javax.swing.JLabel\"><param name=text value=obj></object><img src="
                + trap.url("obj") + ">");
        c.add("<html><body style=\"background-image: url(" + trap.url("bg") + ")\">css</body>");
        c.add("<html><style>body { background: url(" + trap.url("style") + ") }</style>style");
        c.add("<\u200Bhtml><img src=" + trap.url("zw") + ">");            // becomes <html> once ZWSP goes
        c.add("\u202E\u00A0<html><img src=" + trap.url("bidi") + ">");     // bidi override, no-break space
        c.add("\u2066<html>\u2069<img src=" + trap.url("iso") + ">");     // isolates around the tag
        c.add("<body><img src=" + trap.url("body") + "></body>");
        c.add("<html><table background=" + trap.url("table") + "><tr><td>t</td></tr></table>");
        c.add("Ana\u001b[31m\u0007\u0000 red");
        c.add("Ana\u202Egnp.exe");
        c.add("A\u200Bn\u200Da\uFEFF");
        c.add("Z" + "\u0301\u0302\u0303\u0304\u0305\u0306".repeat(40));
        c.add("W".repeat(3000));
        c.add(("long line " + "x".repeat(90) + " ").repeat(30));
        return c;
    }

    @Test
    void hostileNamesAndTextsAreShownLiterallyAndFetchNothing() throws Exception {
        app = gallery.populatedMain();
        edt(() -> app.context().preferences().setNotificationDetails(true));
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        List<String> corpus = corpus();
        List<Contact> contacts = new ArrayList<>();
        List<ContactRequest> requests = new ArrayList<>();
        for (String h : corpus) {
            String nick = h.length() > Messenger.MAX_NICKNAME_LENGTH ? h.substring(0, Messenger.MAX_NICKNAME_LENGTH) : h;
            requests.add(m.receiveRequest(nick, h.length() > 500 ? h.substring(0, 500) : h));
            contacts.add(m.addContact(nick, true, 0, false));
        }
        m.drain();
        edt(app.main::load);
        waitFor("everything listed", () -> app.main.contactList.contacts.size() >= 4 + corpus.size()
                && app.main.contactList.requests.size() >= 3 + corpus.size());
        java.nio.file.Path listShot = UiTestSupport.screenshot(app.frame(), "hostile-main-list-" + suffix());
        double light = ScreenshotCheck.brightness(javax.imageio.ImageIO.read(listShot.toFile()));
        assertTrue(theme() == ThemeChoice.DARK ? light < 0.4 : light > 0.6,
                "the screenshot is in the " + suffix() + " theme: brightness " + light);
        Thread.sleep(500);
        assertEquals(0, trap.hits.get(), "Swing fetched from the trap: " + trap.requests);
        assertNoForeignHtml(app.frame());

        for (int i = 0; i < corpus.size(); i++) {
            String h = corpus.get(i);
            Contact c = contacts.get(i);
            // Conversation header and a message (and its notification: details are on).
            edt(() -> app.main.contactList.select(c.id()));
            waitFor("conversation of " + i, () -> app.main.conversation.contact() != null
                    && app.main.conversation.contact().id().equals(c.id()));
            assertLiteral(DisplayText.name(c.nickname()), onEdt(app.main.conversation.name::getText));
            assertNoForeignHtml(app.frame());
            Contact other = contacts.get((i + 1) % contacts.size());
            Message got = m.receive(other.id(), h.length() > 4000 ? h.substring(0, 4000) : h);
            waitFor("notification " + i, () -> app.notifier.last() != null
                    && app.notifier.last().text().equals(PlainText.line(got.text(), 120)));
            Notifier.Note note = onEdt(app.notifier::last);
            assertEquals("Message from " + PlainText.name(other.nickname(), "(no name)"), note.title());
            Message mine = m.receive(c.id(), h.length() > 4000 ? h.substring(0, 4000) : h);
            waitFor("message " + i + " shown", () -> app.main.conversation.bubble(mine.id()) != null);
            assertEquals(DisplayText.text(mine.text(), Messenger.MAX_MESSAGE_LENGTH),
                    onEdt(() -> app.main.conversation.bubble(mine.id()).text.getText()));
            if (i == 0) {
                UiTestSupport.screenshot(app.frame(), "hostile-conversation-" + suffix());
            }

            // The request dialog.
            ContactRequest r = requests.get(i);
            edt(() -> app.request(r));
            waitFor("request dialog " + i, () -> app.openDialog("request") != null && app.openDialog("request").isShowing());
            JDialog rd = onEdt(() -> app.openDialog("request"));
            RequestPanel rp = (RequestPanel) rd.getContentPane();
            String shownName = DisplayText.name(r.nickname());
            assertTrue(onEdt(() -> UiTestSupport.showsText(rp, shownName.isEmpty() ? "(no name)" : shownName)),
                    "request dialog shows the name literally: " + shownName);
            String text = DisplayText.text(r.message(), Messenger.MAX_REQUEST_MESSAGE_LENGTH);
            assertEquals(text.isEmpty() ? "(no message)" : text, onEdt(rp.message::getText).replace("\u2060", ""));
            UiTestSupport.onEdt(() -> UiTestSupport.paint(rd));
            assertNoForeignHtml(rd);
            if (i == 0) {
                UiTestSupport.screenshot(rd, "hostile-request-" + suffix());
            }
            edt(rd::dispose);

            // The verify dialog.
            edt(() -> app.verify(c));
            waitFor("verify dialog " + i, () -> app.openDialog("verify") != null && app.openDialog("verify").isShowing());
            JDialog vd = onEdt(() -> app.openDialog("verify"));
            UiTestSupport.onEdt(() -> UiTestSupport.paint(vd));
            assertNoForeignHtml(vd);
            edt(vd::dispose);
        }

        // The block confirmation (a modal option pane) names the contact.
        Contact first = contacts.get(0);
        edt(() -> app.main.contactList.select(first.id()));
        waitFor("first shown", () -> app.main.conversation.contact().id().equals(first.id()));
        SwingUtilities.invokeLater(() -> app.main.conversation.block.doClick());
        waitFor("confirmation", () -> optionPaneDialog() != null);
        JDialog confirm = onEdt(HostileTextTest::optionPaneDialog);
        UiTestSupport.onEdt(() -> UiTestSupport.paint(confirm));
        assertNoForeignHtml(confirm);
        assertTrue(onEdt(() -> UiTestSupport.showsText(confirm, Ui.escape(DisplayText.name(first.nickname())))),
                "the confirmation names the contact literally");
        UiTestSupport.screenshot(confirm, "hostile-confirm-block-" + suffix());
        AbstractButton cancel = onEdt(() -> UiTestSupport.button(confirm, "Cancel"));
        assertNotNull(cancel);
        SwingUtilities.invokeLater(cancel::doClick);
        waitFor("confirmation closed", () -> optionPaneDialog() == null);

        assertNothingFetchedAfterAFinalPaint();
    }

    /**
     * Issue 16: group names, inviters' and members' names and posts from peers go through the
     * group list, the invitation, the group conversation, the member list and the leave
     * question: shown as DisplayText makes them, nothing fetched, no foreign HTML view.
     */
    @Test
    void hostileGroupNamesMembersAndPostsAreShownLiterallyAndFetchNothing() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        List<String> corpus = corpus();
        List<org.allium.core.groups.GroupId> ids = new ArrayList<>();
        List<String> strangers = new ArrayList<>();
        List<Contact> inviters = new ArrayList<>();
        for (String h : corpus) {
            String nick = h.length() > Messenger.MAX_NICKNAME_LENGTH ? h.substring(0, Messenger.MAX_NICKNAME_LENGTH) : h;
            inviters.add(m.addContact(nick, true, 0, false));
        }
        m.drain();
        edt(app.main::load);
        waitFor("inviters listed", () -> app.main.contactList.contacts.size() >= 4 + corpus.size());
        for (int i = 0; i < corpus.size(); i++) {
            String h = corpus.get(i);
            String stranger = m.profile.core().strangerAddress();
            strangers.add(stranger);
            String nick = h.length() > Messenger.MAX_NICKNAME_LENGTH ? h.substring(0, Messenger.MAX_NICKNAME_LENGTH) : h;
            ids.add(m.groups.invitation(inviters.get(i).serviceId(), h.length() > 200 ? h.substring(0, 200) : h,
                    java.util.Map.of(stranger, nick)));
        }
        m.groups.drain();
        org.allium.desktop.groups.GroupProbe groups = org.allium.desktop.groups.GroupProbe.of(app.frame());
        waitFor("groups listed", () -> groups.listed().size() >= corpus.size());
        UiTestSupport.screenshot(app.frame(), "hostile-groups-list-" + suffix());
        assertNoForeignHtml(app.frame());

        for (int i = 0; i < corpus.size(); i++) {
            String h = corpus.get(i);
            org.allium.core.groups.GroupId id = ids.get(i);
            String name = h.length() > 200 ? h.substring(0, 200) : h;
            groups.select(id);
            assertLiteral(DisplayText.name(name), groups.shownName().replace("(group without a name)", "(no name)"));
            String inviter = DisplayText.name(inviters.get(i).nickname());
            assertEquals((inviter.isEmpty() ? "(no name)" : inviter) + " invited you to this group.",
                    groups.invitedBy().replace("\u2060", ""));
            waitFor("members " + i, () -> groups.members().size() == 3);
            assertNoForeignHtml(app.frame());
            if (i == 0) {
                UiTestSupport.screenshot(app.frame(), "hostile-group-invitation-" + suffix());
            }
            groups.accept();
            String text = h.length() > 4000 ? h.substring(0, 4000) : h;
            m.groups.post(id, strangers.get(i), text);
            m.groups.post(id, inviters.get(i).serviceId(), text);
            String shownText = DisplayText.text(text, Messenger.MAX_MESSAGE_LENGTH);
            waitFor("posts " + i, () -> groups.items().stream().filter(x -> x.endsWith(": " + shownText)).count() == 2);
            assertNoForeignHtml(app.frame());
            if (i == 0) {
                UiTestSupport.screenshot(app.frame(), "hostile-group-conversation-" + suffix());
            }
        }

        // The leave question names the group: escaped text in the app's own label.
        groups.select(ids.get(0));
        SwingUtilities.invokeLater(() -> groups.leaveButton().doClick());
        waitFor("leave question", () -> optionPaneDialog() != null);
        JDialog confirm = onEdt(HostileTextTest::optionPaneDialog);
        UiTestSupport.onEdt(() -> UiTestSupport.paint(confirm));
        assertNoForeignHtml(confirm);
        assertTrue(onEdt(() -> UiTestSupport.showsText(confirm, Ui.escape(DisplayText.name(corpus.get(0))))),
                "the question names the group literally");
        UiTestSupport.screenshot(confirm, "hostile-group-leave-" + suffix());
        AbstractButton cancel = onEdt(() -> UiTestSupport.button(confirm, "Cancel"));
        SwingUtilities.invokeLater(cancel::doClick);
        waitFor("question closed", () -> optionPaneDialog() == null);

        assertNothingFetchedAfterAFinalPaint();
    }

    /**
     * Paints every showing window once more (none may hold a foreign HTML view), then gives any
     * fetch time to arrive: the trap must have had no connection.
     */
    private static void assertNothingFetchedAfterAFinalPaint() throws Exception {
        for (Window w : onEdt(Window::getWindows)) {
            if (onEdt(w::isShowing)) {
                UiTestSupport.onEdt(() -> UiTestSupport.paint(w));
                assertNoForeignHtml(w);
            }
        }
        Thread.sleep(1500);
        assertEquals(0, trap.hits.get(), "Swing fetched from the trap: " + trap.requests);
    }

    /** {@code s} cut to at most {@code max} UTF-8 bytes (a whole character last). */
    private static String utf8Prefix(String s, int max) {
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + n > max) {
                break;
            }
            b.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /**
     * Issue 15, the source: file names (chosen by whoever named the files), mat2's words about a
     * file (a stand-in mat2 printing the corpus as metadata keys and as its failure) and the file
     * names a drop line echoes in its answer go through the attachment list, the upload and the
     * case: shown literally, nothing fetched, no foreign HTML view.
     */
    @Test
    void hostileFileNamesMat2WordsAndDropLineEchoesAreShownLiterallyAndFetchNothing(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path tmp) throws Exception {
        List<String> corpus = corpus();
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(tmp.resolve("files"));
        List<java.nio.file.Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String h : corpus) {
            String name = utf8Prefix(h.replace('/', '\u2215').replace("\u0000", ""), 240);
            if (name.isBlank() || name.equals(".") || name.equals("..") || names.contains(name) || files.size() == 14) {
                continue;
            }
            names.add(name);
            files.add(java.nio.file.Files.writeString(dir.resolve(name), "x"));
        }
        // A stand-in mat2: its metadata keys and its failure are the corpus.
        StringBuilder show = new StringBuilder("[+] Metadata for file.png:\n");
        for (String h : corpus) {
            show.append("  ").append(h.replace("\n", " ").replace("\r", " ")).append(": value\n");
        }
        java.nio.file.Path shown = java.nio.file.Files.writeString(tmp.resolve("show.txt"), show.toString());
        java.nio.file.Path failure = java.nio.file.Files.writeString(tmp.resolve("fail.txt"),
                "[-] " + corpus.get(0) + "\n");
        java.nio.file.Path mat2 = tmp.resolve("mat2");
        java.nio.file.Files.writeString(mat2, "#!/bin/sh\n"
                + "case \"$1\" in\n"
                + "  --list) echo '  - image/png (.png, .jpg)' ;;\n"
                + "  --show) cat '" + shown + "' ;;\n"
                + "  --) case \"$2\" in *.png) cp \"$2\" file.cleaned.png ;; *) cat '" + failure + "'; exit 1 ;; esac ;;\n"
                + "esac\n");
        java.nio.file.Files.setPosixFilePermissions(mat2, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        files.add(java.nio.file.Files.writeString(dir.resolve("clean.png"), "png"));
        files.add(java.nio.file.Files.writeString(dir.resolve("fails.jpg"), "jpg"));

        org.allium.desktop.dropline.FakeDropLines drops = new org.allium.desktop.dropline.FakeDropLines(CLOCK);
        String address = org.allium.protocol.IdentityKeyPair.generate(new java.security.SecureRandom()).address()
                .serviceId();
        drops.line(address).setEnabled(true);
        org.allium.desktop.dropline.SourceProbe source = org.allium.desktop.dropline.SourceProbe.open(drops);
        try {
            source.useCleaner(mat2, tmp.resolve("clean"));
            source.write(address, corpus.get(0));
            source.attach(files);
            List<String> shownNames = source.names();
            for (int i = 0; i < names.size(); i++) {
                assertEquals(DisplayText.line(names.get(i), 255), shownNames.get(i).replace("\u2060", ""));
            }
            List<String> details = source.details();
            assertTrue(details.get(names.size()).contains("A cleaned copy will be sent. mat2 removed: "),
                    details.get(names.size()));
            assertTrue(details.get(names.size() + 1).contains("mat2 could not clean this file ("),
                    details.get(names.size() + 1));
            UiTestSupport.onEdt(() -> UiTestSupport.paint(source.window()));
            assertNoForeignHtml(source.window());
            UiTestSupport.screenshot(source.window(), "hostile-drop-source-files-" + suffix());

            source.decide();
            source.sendAndOpenCase();
            List<org.allium.core.dropline.DropSource.FileStatus> echoed = new ArrayList<>();
            for (String h : corpus) {
                echoed.add(new org.allium.core.dropline.DropSource.FileStatus(new byte[16], h, 10, 5, false));
            }
            source.echo(address, echoed);
            source.refresh();
            List<String> sent = source.sentFiles();
            assertEquals(files.size() + corpus.size(), sent.size());
            for (int i = 0; i < corpus.size(); i++) {
                assertLiteral(DisplayText.line(corpus.get(i), 255) + ": 5 bytes of 10 bytes received",
                        sent.get(files.size() + i));
            }
            UiTestSupport.onEdt(() -> UiTestSupport.paint(source.window()));
            assertNoForeignHtml(source.window());
            UiTestSupport.screenshot(source.window(), "hostile-drop-source-case-" + suffix());
        } finally {
            source.close();
        }
        Thread.sleep(1000);
        assertEquals(0, trap.hits.get(), "Swing fetched from the trap: " + trap.requests);
    }

    @Test
    void torsOwnWordsOnTheConnectingScreenAreNotMarkupEither() throws Exception {
        for (String h : corpus().subList(0, 9)) {
            FakeCore core = new FakeCore(CLOCK);
            core.bootstrapCompletes = false;
            core.problemOnStart = new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.BOOTSTRAP_STUCK, h);
            core.create(core.defaultDirectory(), ScreenGallery.PASS.toCharArray(), null).close();
            app = gallery.app(core);
            ScreenGallery.unlock(app);
            waitFor("problem shown", () -> app.connecting.problemShown());
            UiTestSupport.onEdt(() -> UiTestSupport.paint(app.frame()));
            assertNoForeignHtml(app.frame());
            if (h.equals(corpus().get(0))) {
                UiTestSupport.screenshot(app.frame(), "hostile-connecting-" + suffix());
            }
            ScreenGallery.close(app);
            app = null;
        }
        Thread.sleep(1000);
        assertEquals(0, trap.hits.get(), "Swing fetched from the trap: " + trap.requests);
    }

    private static JDialog optionPaneDialog() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing()
                    && UiTestSupport.find(d, JOptionPane.class, p -> true) != null) {
                return d;
            }
        }
        return null;
    }

    /** {@code shown} is {@code expected} (a sanitised string), apart from the invisible joiner PlainText may add. */
    private static void assertLiteral(String expected, String shown) {
        assertEquals(expected.isEmpty() ? "(no name)" : expected, shown.replace("\u2060", ""));
    }

    /**
     * No component of {@code root}, nor any list cell it renders, holds an HTML view that the
     * app did not write itself (escaped, marked {@link PlainText#OWN_HTML}).
     */
    static void assertNoForeignHtml(Component root) {
        List<String> bad = onEdt(() -> {
            List<String> out = new ArrayList<>();
            for (Component c : UiTestSupport.all((java.awt.Container) root)) {
                check(c, out);
                if (c instanceof JList<?> list) {
                    checkCells(list, out);
                }
            }
            return out;
        });
        if (!bad.isEmpty()) {
            fail("components that would render outside text as HTML: " + bad);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void checkCells(JList list, List<String> out) {
        ListCellRenderer r = list.getCellRenderer();
        for (int i = 0; i < list.getModel().getSize(); i++) {
            Component cell = r.getListCellRendererComponent(list, list.getModel().getElementAt(i), i, false, false);
            for (Component c : UiTestSupport.all((java.awt.Container) cell)) {
                check(c, out);
            }
        }
    }

    private static void check(Component c, List<String> out) {
        if (!(c instanceof JComponent j)) {
            return;
        }
        boolean own = Boolean.TRUE.equals(j.getClientProperty(PlainText.OWN_HTML));
        if (j.getClientProperty("html") != null && !own) {
            out.add(describe(j));
        }
        String tip = j.getToolTipText();
        if (tip != null && PlainText.isHtml(tip)) {
            out.add("tooltip of " + describe(j));
        }
        if (j instanceof JToolTip t && PlainText.isHtml(t.getTipText())) {
            out.add(describe(j));
        }
        if (own && j instanceof JLabel l && l.getText() != null && !l.getText().isEmpty() && !PlainText.isHtml(l.getText())) {
            // Own HTML labels only ever hold Ui.wrap's output.
            return;
        }
        if (!own && (j instanceof JLabel || j instanceof AbstractButton) && !(j instanceof JTextComponent)) {
            String text = j instanceof JLabel l ? l.getText() : ((AbstractButton) j).getText();
            if (PlainText.isHtml(text) && !Boolean.TRUE.equals(j.getClientProperty(PlainText.HTML_DISABLE))) {
                out.add("unguarded " + describe(j));
            }
        }
    }

    private static String describe(JComponent j) {
        String text = j instanceof JLabel l ? l.getText() : j instanceof AbstractButton b ? b.getText() : "";
        return j.getClass().getSimpleName() + "[" + (text == null ? "" : text.substring(0, Math.min(60, text.length())))
                + "]";
    }

    @Test
    void lookAlikeRequestIsMarkedInTheListAndTheDialog() throws Exception {
        app = gallery.populatedMain();
        ContactRequest fake = onEdt(() -> {
            for (int i = 0; i < app.main.contactList.requests.size(); i++) {
                ContactRequest r = app.main.contactList.requests.get(i);
                if (r.nickname().startsWith("\u0412")) {
                    return r;
                }
            }
            return null;
        });
        assertNotNull(fake);
        assertEquals("Bogdan (newsroom)", onEdt(() -> app.main.contactList.lookalike(fake.id())));
        ContactRequest honest = onEdt(() -> {
            for (int i = 0; i < app.main.contactList.requests.size(); i++) {
                ContactRequest r = app.main.contactList.requests.get(i);
                if (r.nickname().equals("Source 7")) {
                    return r;
                }
            }
            return null;
        });
        assertNull(onEdt(() -> app.main.contactList.lookalike(honest.id())));
        // The list row says so.
        Component row = onEdt(() -> {
            JList<ContactRequest> list = app.main.contactList.requestList;
            int index = -1;
            for (int i = 0; i < list.getModel().getSize(); i++) {
                if (list.getModel().getElementAt(i).id().equals(fake.id())) {
                    index = i;
                }
            }
            return list.getCellRenderer().getListCellRendererComponent(list, fake, index, false, false);
        });
        assertTrue(onEdt(() -> UiTestSupport.all((java.awt.Container) row).stream().anyMatch(c -> c instanceof JLabel l
                && l.getText().contains("Looks like your contact Bogdan (newsroom)"))));
        // The dialog warns before accepting.
        edt(() -> app.request(fake));
        waitFor("request dialog", () -> app.openDialog("request") != null);
        RequestPanel p = onEdt(() -> (RequestPanel) app.openDialog("request").getContentPane());
        assertNotNull(p.lookalike);
        assertTrue(onEdt(p.lookalike::getText).contains("looks like your contact Bogdan (newsroom)"));
        edt(() -> app.request(honest));
        waitFor("honest dialog", () -> app.openDialog("request") != null
                && ((RequestPanel) app.openDialog("request").getContentPane()).lookalike == null);
    }
}
