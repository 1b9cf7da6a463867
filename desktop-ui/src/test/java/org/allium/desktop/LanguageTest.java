package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the language is chosen in Settings (en, fr, ro) or follows the system (default);
 * the Romanian bundle addresses the user formally throughout.
 */
class LanguageTest extends UiTest {
    @Test
    void theLanguageChosenInSettingsIsUsedFromTheNextStart() throws Exception {
        app = gallery.populatedMain();
        UiPreferences prefs = onEdt(() -> app.context().preferences());
        assertEquals("", prefs.language(), "follows the system by default");
        SettingsPanel p = onEdt(app::settings);
        assertEquals("Same as the system", onEdt(() -> p.language.getSelectedItem()));
        edt(() -> p.language.setSelectedIndex(SettingsPanel.LANGUAGES.indexOf("fr")));
        assertEquals("fr", prefs.language());
        assertTrue(onEdt(p.languageNote::getText).contains("next start"));
        // The next start: French, whatever the system says; -Dallium.locale still wins.
        Locale next = DesktopMain.locale(null, prefs.language(), Locale.ENGLISH);
        assertEquals("fr", next.getLanguage());
        assertEquals("ro", DesktopMain.locale("ro", prefs.language(), Locale.ENGLISH).getLanguage());
        assertEquals(Locale.GERMAN, DesktopMain.locale(null, "", Locale.GERMAN));
        FakeCore core = new FakeCore(UiTestSupport.CLOCK);
        UiContext ctx = UiTestSupport.context(core.access(), next);
        AlliumApp french = onEdt(() -> new AlliumApp(ctx, () -> { }));
        edt(french::start);
        waitFor("window", () -> french.frame().isShowing());
        assertTrue(onEdt(() -> UiTestSupport.showsText(french.firstRun, "Bienvenue")));
        edt(() -> french.frame().dispose());
    }

    @Test
    void noTwoMnemonicsCollideInOneWindowOrMenuInEnglish() throws Exception {
        checkMnemonics(Locale.ENGLISH);
    }

    @Test
    void noTwoMnemonicsCollideInOneWindowOrMenuInFrench() throws Exception {
        checkMnemonics(Locale.FRENCH);
    }

    @Test
    void noTwoMnemonicsCollideInOneWindowOrMenuInRomanian() throws Exception {
        checkMnemonics(Locale.forLanguageTag("ro"));
    }

    /**
     * Every screen and dialog of the gallery: the mnemonics (Alt+letter) that can act at the same
     * time — the window's visible buttons, labels, tabs and menu-bar menus, with one tab's
     * contents at a time — are all different; so are the items of each menu and of each
     * message's context menu.
     */
    private static void checkMnemonics(Locale locale) throws Exception {
        List<String> problems = new ArrayList<>();
        java.util.Set<String> screens = new java.util.LinkedHashSet<>();
        new ScreenGallery(locale).each(shot -> {
            screens.add(shot.name());
            problems.addAll(onEdt(() -> Mnemonics.collisions(shot.name(), shot.window())));
        });
        assertTrue(screens.size() >= 9, "screens walked: " + screens);
        assertTrue(problems.isEmpty(), locale + ":\n" + String.join("\n", problems));
    }

    /** Informal second-person pronouns and verb forms (tu), anywhere in a value. */
    private static final Pattern INFORMAL = Pattern.compile("(?iu)(?<![\\p{L}-])(poți|vrei|ești|ai|tău|ta|tale|tăi|"
            + "-ți|să-ți|-te|l-ai|folosești|salvezi|tragi|lipești)(?![\\p{L}])");
    /**
     * Informal imperatives at the start of a value (buttons, menu items, hints): in the third
     * person they look the same, so only the first word is judged.
     */
    private static final Pattern INFORMAL_IMPERATIVE = Pattern.compile("(?iu)^(adaugă|salvează|deschide|alege|apasă|"
            + "scrie|introdu|încearcă|copiază|șterge|trimite|lipește|anulează|caută|verifică|acceptă|respinge|"
            + "blochează|redenumește|renunță|pornește|oprește|folosește|închide|schimbă|încuie)(?![\\p{L}])");

    @Test
    void romanianAddressesTheUserFormally() throws IOException {
        Properties ro = new Properties();
        try (InputStream in = LanguageTest.class.getResourceAsStream("/org/allium/desktop/i18n/Messages_ro.properties")) {
            ro.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        List<String> informal = new ArrayList<>();
        for (String k : ro.stringPropertyNames()) {
            String v = ro.getProperty(k).replace("&", "");
            Matcher m = INFORMAL.matcher(v);
            Matcher start = INFORMAL_IMPERATIVE.matcher(v.strip());
            if (m.find()) {
                informal.add(k + " ('" + m.group(1) + "'): " + v);
            } else if (start.find()) {
                informal.add(k + " ('" + start.group(1) + "' first): " + v);
            }
        }
        informal.sort(null);
        assertTrue(informal.isEmpty(), informal.size() + " informal strings:\n" + String.join("\n", informal));
    }
}
