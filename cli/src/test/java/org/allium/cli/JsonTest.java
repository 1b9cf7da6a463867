package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void roundTripsEveryType() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"quoted\" \\ line\nwith\ttabs and \u0001 control, é and 😀");
        m.put("i", -42L);
        m.put("big", Long.MAX_VALUE);
        m.put("d", 1.5);
        m.put("t", true);
        m.put("f", false);
        m.put("n", null);
        m.put("list", List.of(1L, "two", List.of(), Map.of()));
        String text = Json.write(m);
        assertFalse(text.contains("\n"), "one line: " + text);
        assertEquals(m, Json.parse(text, 10_000));
    }

    @Test
    void writesEnumsLowerCaseAndEscapesLineSeparators() {
        assertEquals("\"delivered\"", Json.write(org.allium.core.api.MessageStatus.DELIVERED));
        assertEquals("\"\\u2028\\u007f\"", Json.write("\u2028\u007f"));
    }

    @Test
    void replacesUnpairedSurrogatesWhenWriting() throws Exception {
        String text = Json.write("x\ud800y");
        assertEquals("x\ufffdy", Json.parse(text, 100));
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() throws Exception {
        assertEquals("\ud83d\ude00/\b\f", Json.parse("\"\\ud83d\\ude00\\/\\b\\f\"", 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{\"a\" 1}", "{a:1}", "'x'",
        "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "tru", "nul", "\"abc", "\"a\\x\"",
        "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"tab\there\"", "{\"a\":1}{}", "1 2", "[1]]",
        "{\"a\":1,\"a\":2}", "99999999999999999999", "1e999", "/* c */ 1", "[\"\\u00\"]"
    })
    void refusesInputThatIsNotStrictJson(String text) {
        assertThrows(Json.JsonException.class, () -> Json.parse(text, 10_000), text);
    }

    @Test
    void refusesInputLongerThanTheCapBeforeParsing() {
        String big = "\"" + "x".repeat(100) + "\"";
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(big, 50));
        assertTrue(e.getMessage().contains("longer than 50"), e.getMessage());
    }

    @Test
    void refusesNestingDeeperThanTheCap() throws Exception {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok, 10_000);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThrows(Json.JsonException.class, () -> Json.parse(deep, 10_000));
        char[] huge = new char[100_000];
        Arrays.fill(huge, '[');
        assertThrows(Json.JsonException.class, () -> Json.parse(new String(huge), 200_000));
    }

    @Test
    void parseObjectRefusesOtherTopLevelValues() {
        assertThrows(Json.JsonException.class, () -> Json.parseObject("[1]", 100));
        assertThrows(Json.JsonException.class, () -> Json.parseObject("\"x\"", 100));
    }

    @Test
    void parsedObjectsAreUnmodifiable() throws Exception {
        Map<String, Object> m = Json.parseObject("{\"a\":[1]}", 100);
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", 1));
    }

    @Test
    void writeRefusesUnknownTypesAndNonFiniteNumbers() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
    }

    @Test
    void numbersParseAsLongOrDouble() throws Exception {
        assertEquals(0L, Json.parse("0", 10));
        assertEquals(-0.5, Json.parse("-0.5", 10));
        assertEquals(1200.0, Json.parse("1.2E3", 10));
        assertEquals(Long.MIN_VALUE, Json.parse(Long.toString(Long.MIN_VALUE), 30));
    }

    @Test
    void readConstraintsBoundKeysAndNumbersNotOnlyTheWholeLine() throws Exception {
        // Jackson's read constraints: a 2 KiB key or a 100-digit number is refused even when the
        // line is within the control socket's length cap.
        String longKey = "{\"" + "k".repeat(2048) + "\":1}";
        assertThrows(Json.JsonException.class, () -> Json.parse(longKey, 10_000));
        String longNumber = "0." + "1".repeat(100);
        assertThrows(Json.JsonException.class, () -> Json.parse(longNumber, 10_000));
        assertEquals(Map.of("k", 1L), Json.parse("{\"k\":1}", 100));
    }

    @Test
    void errorsNameAnOffsetAndNeverEchoTheInput() {
        String secret = "{\"text\":\"do-not-echo\",}";
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(secret, 100));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertTrue(!e.getMessage().contains("do-not-echo"), e.getMessage());
    }
}
