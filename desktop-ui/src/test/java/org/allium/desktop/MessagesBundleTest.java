package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.allium.core.api.HistoryPolicy;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.junit.jupiter.api.Test;

/**
 * The three bundles (English, French, Romanian) have exactly the same keys, no empty value,
 * the same placeholders; and every key the code uses — literal or built from an enum — exists.
 */
class MessagesBundleTest {
    private static final String BASE = "/org/allium/desktop/i18n/Messages";
    private static final Pattern KEY_LITERAL = Pattern.compile("\"([a-z][a-zA-Z0-9]*(?:\\.[a-zA-Z0-9_]+)+)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d}");
    /** Lower-case dotted literals in the sources that are not message keys. */
    private static final Set<String> NOT_KEYS = Set.of("org.allium.desktop.i18n.Messages",
            "org.allium.desktop.themes", "awt.useSystemAAFontSettings", "swing.aatext", "flatlaf.menuBarEmbedded",
            "notifications.enabled", "notifications.details", "profile.dir", "desktop.properties", "allium.locale",
            "user.home", "java.io.tmpdir", "allium.properties", "html.disable", "allium.ownHtml", "background.noticeShown",
            // D-Bus names (notify package), not bundle keys
            "org.freedesktop.Notifications", "org.freedesktop.DBus", "im.received",
            // a system property and the JDK's X11 classes (notify.X11Urgency)
            "os.name", "sun.awt.X11.XToolkit", "sun.awt.AWTAccessor", "sun.awt.X11.XBaseWindow", "sun.awt.X11.XWMHints");

    static Properties load(String suffix) throws IOException {
        Properties p = new Properties();
        try (InputStream in = MessagesBundleTest.class.getResourceAsStream(BASE + suffix + ".properties");
             Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void allBundlesHaveTheSameKeysAndPlaceholders() throws IOException {
        Properties en = load("");
        for (String lang : List.of("_fr", "_ro")) {
            Properties other = load(lang);
            assertEquals(new TreeSet<>(en.stringPropertyNames()), new TreeSet<>(other.stringPropertyNames()),
                    "keys of Messages" + lang);
            for (String k : en.stringPropertyNames()) {
                assertFalse(other.getProperty(k).isBlank(), lang + " " + k + " is empty");
                assertEquals(placeholders(en.getProperty(k)), placeholders(other.getProperty(k)),
                        lang + " " + k + " placeholders");
            }
        }
        for (String k : en.stringPropertyNames()) {
            assertFalse(en.getProperty(k).isBlank(), k + " is empty");
        }
    }

    @Test
    void everyKeyUsedInTheCodeExists() throws IOException {
        Properties en = load("");
        List<String> missing = new ArrayList<>();
        int found = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = KEY_LITERAL.matcher(Files.readString(f));
                while (m.find()) {
                    String key = m.group(1);
                    if (NOT_KEYS.contains(key)) {
                        continue;
                    }
                    found++;
                    // A literal that prefixes a family of keys ("confirm.block" + ".title") counts
                    // as used through that family, which dynamicKeys() checks.
                    boolean prefix = en.stringPropertyNames().stream().anyMatch(k -> k.startsWith(key + "."));
                    if (!en.containsKey(key) && !prefix) {
                        missing.add(f.getFileName() + ": " + key);
                    }
                }
            }
        }
        assertTrue(found > 150, "the scan found only " + found + " keys; is the pattern broken?");
        for (String dynamic : dynamicKeys()) {
            if (!en.containsKey(dynamic)) {
                missing.add("(built from an enum) " + dynamic);
            }
        }
        assertTrue(missing.isEmpty(), "keys used but missing: " + missing);
    }

    /** Keys built at run time from enum names. */
    static List<String> dynamicKeys() {
        List<String> keys = new ArrayList<>();
        for (InvalidAddressException.Reason r : InvalidAddressException.Reason.values()) {
            keys.add(AddContactPanel.reasonKey(r));
        }
        for (MessengerEvent.TorProblem.Kind k : MessengerEvent.TorProblem.Kind.values()) {
            String base = "tor.problem." + k.name().toLowerCase(Locale.ROOT);
            keys.add(base + ".title");
            keys.add(base + ".advice");
        }
        for (MessageStatus s : MessageStatus.values()) {
            keys.add(MessageBubble.statusKey(s));
        }
        for (PassphraseStrength s : PassphraseStrength.values()) {
            keys.add(s.hintKey());
        }
        for (SettingsPanel.Transport t : SettingsPanel.Transport.values()) {
            keys.add("settings.transport." + t.name().toLowerCase(Locale.ROOT));
        }
        for (HistoryPolicy p : HistoryPolicy.values()) {
            keys.add("settings.history." + p.name().toLowerCase(Locale.ROOT));
        }
        for (String c : List.of("confirm.block", "confirm.remove")) {
            keys.add(c + ".title");
            keys.add(c + ".text");
            keys.add(c + ".yes");
        }
        for (String tag : List.of("starting", "conn", "handshake", "requesting_status", "loading_descriptors",
                "circuit_create", "conn_pt", "done", "something_new")) {
            keys.add(ConnectingScreen.stageKey(tag, 50));
        }
        return keys;
    }

    @Test
    void lookupsFollowTheLocaleAndFormatKeepsApostrophes() {
        Messages fr = new Messages(Locale.FRENCH);
        Messages ro = new Messages(Locale.forLanguageTag("ro"));
        Messages en = new Messages(Locale.ENGLISH);
        assertEquals("Nouveau message", fr.text("notify.message"));
        assertEquals("Mesaj nou", ro.text("notify.message"));
        assertEquals("New message", en.text("notify.message"));
        // A locale we do not ship falls back to English, not to the JVM default.
        assertEquals("New message", new Messages(Locale.JAPANESE).text("notify.message"));
        assertTrue(fr.format("tor.problem.detail", "l'hôte").endsWith("l'hôte"));
        assertEquals("!no.such.key!", en.text("no.such.key"));
    }

    private static List<String> placeholders(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        out.sort(null);
        return out;
    }
}
