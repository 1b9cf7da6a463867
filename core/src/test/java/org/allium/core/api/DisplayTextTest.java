package org.allium.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DisplayTextTest {

    @Test
    void plainNamesAndTextsAreUnchanged() {
        assertEquals("Ana", DisplayText.name("Ana"));
        assertEquals("Bogdan (newsroom)", DisplayText.name("Bogdan (newsroom)"));
        assertEquals("Ștefan Îonescu", DisplayText.name("Ștefan Îonescu"));
        assertEquals("李小龍 🌷", DisplayText.name("李小龍 🌷"));
        assertEquals("<html><img src=http://x/>", DisplayText.name("<html><img src=http://x/>"),
                "markup is not the sanitiser's business: it stays literal text");
        assertEquals("line one\n  indented\n\nlast", DisplayText.text("line one\n  indented\n\nlast", 4000));
        assertEquals("", DisplayText.name(null));
        assertEquals("", DisplayText.name("   \t "));
    }

    @Test
    void controlCharactersBecomeVisible() {
        assertEquals("carol\uFFFD[31m", DisplayText.name("carol\u001b[31m"));
        assertEquals("a\uFFFDb\uFFFDc", DisplayText.name("a\u0000b\u009bc"));
        assertEquals("a\uFFFDb", DisplayText.name("a\u007fb"));
    }

    @Test
    void bidiAndInvisibleCharactersAreRemoved() {
        // "Ana" + RLO + "gpj.exe" would read "Anaexe.jpg".
        assertEquals("Anagpj.exe", DisplayText.name("Ana\u202Egpj.exe"));
        assertEquals("Ana", DisplayText.name("\u2066A\u200Bn\u200Da\u2069\u200E\u200F\u061C\uFEFF\u00AD\u2060"));
        assertEquals("Ana", DisplayText.name("A\u034Fna\uDB40\uDC41")); // grapheme joiner, tag character
        assertEquals("Ana", DisplayText.name("\u3164Ana\u115F"));        // Hangul fillers
        assertEquals("x", DisplayText.text("\u202Ex\u202C", 10));
    }

    @Test
    void whitespaceCollapsesInLinesAndLineBreaksInTexts() {
        assertEquals("Ana Maria Pop", DisplayText.name("  Ana\u00A0\u00A0Maria\n\r\n\tPop\u3000 "));
        assertEquals("a b", DisplayText.name("a\u2028b"));
        assertEquals("a\nb\nc\nd", DisplayText.text("a\r\nb\rc\u2029d", 100));
        assertEquals("a\n\n\nb", DisplayText.text("\n\n a   \n\n\n\n\n\n\nb\n\n", 100),
                "no leading/trailing blank lines, at most two empty lines in a row");
    }

    @Test
    void stackedCombiningMarksAreBounded() {
        String zalgo = "Z" + "\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030A".repeat(20) + "oe";
        String shown = DisplayText.name(zalgo);
        assertEquals(java.text.Normalizer.normalize("Z\u0301\u0302\u0303\u0304\u0305", java.text.Normalizer.Form.NFC)
                + "oe", shown);
        assertEquals("\u00e9", DisplayText.name("\u0301\u0301e\u0301"), "no mark without a base");
        assertEquals("Tiếng Việt", DisplayText.name("Tie\u0302\u0301ng Vie\u0323\u0302t"));
    }

    @Test
    void lengthIsBoundedInCodePointsWithAnEllipsis() {
        String shown = DisplayText.name("x".repeat(10_000));
        assertEquals(DisplayText.MAX_NAME, shown.codePointCount(0, shown.length()));
        assertTrue(shown.endsWith("…"));
        String emoji = DisplayText.line("🌷".repeat(100), 10);
        assertEquals(10, emoji.codePointCount(0, emoji.length()));
        assertEquals("🌷".repeat(9) + "…", emoji);
        assertEquals("x".repeat(64), DisplayText.name("x".repeat(64)), "exactly at the limit: no cut");
        assertEquals("ab…", DisplayText.text("ab\ncd", 3));
    }

    @Test
    void unpairedSurrogatesAreReplaced() {
        assertEquals("a\uFFFDb\uFFFD", DisplayText.name("a\uD800b\uDC00"));
    }

    @Test
    void lookAlikeNamesAreRecognised() {
        assertTrue(DisplayText.looksAlike("Bogdan", "bogdan"));
        assertTrue(DisplayText.looksAlike("Bogdan", "  Bog\u200Bdan "));
        assertTrue(DisplayText.looksAlike("Bogdan", "Воgdаn"), "Cyrillic В, о, а");
        assertTrue(DisplayText.looksAlike("Bogdan", "Ｂｏｇｄａｎ"), "fullwidth (NFKC)");
        assertTrue(DisplayText.looksAlike("Bogdan", "Bógdân"), "accents");
        assertTrue(DisplayText.looksAlike("Bogdan", "B0gdan"), "zero for O");
        assertTrue(DisplayText.looksAlike("Ilie", "lIie"), "I, l, i");
        assertTrue(DisplayText.looksAlike("Camille", "Carnille"), "rn for m");
        assertTrue(DisplayText.looksAlike("Bogdan (newsroom)", "Bogdan newsroom"), "punctuation ignored");
        assertTrue(DisplayText.looksAlike("Paypal", "Раураl"), "Cyrillic Р, а, у");
        assertFalse(DisplayText.looksAlike("Bogdan", "Camille"));
        assertFalse(DisplayText.looksAlike("Ana", "Anna"));
        assertFalse(DisplayText.looksAlike("", ""), "empty names look like nothing");
        assertFalse(DisplayText.looksAlike("!!!", "???"));
    }
}
