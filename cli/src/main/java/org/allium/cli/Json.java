package org.allium.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer for the event stream and the
 * control socket, so the command line needs no JSON library.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion-ordered,
 * unmodifiable), array → {@code List<Object>}, string → {@code String}, integer →
 * {@code Long}, other number → {@code Double}, {@code true/false} → {@code Boolean},
 * {@code null} → {@code null}. The reader is strict: no comments, no trailing commas, no
 * duplicate keys, no unpaired surrogates, no leading zeros, nothing after the value, and
 * hard caps on input length and nesting depth. Stateless and thread-safe.
 */
final class Json {

    /** Deepest nesting the reader accepts. */
    static final int MAX_DEPTH = 32;

    private Json() {
    }

    /** Thrown for any input that is not strict JSON within the caps. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Parses one JSON value.
     *
     * @param maxChars inputs longer than this are refused before parsing
     */
    static Object parse(String text, int maxChars) throws JsonException {
        if (text.length() > maxChars) {
            throw new JsonException("input longer than " + maxChars + " characters");
        }
        Reader r = new Reader(text);
        r.skipWhitespace();
        Object value = r.value(0);
        r.skipWhitespace();
        if (r.pos != text.length()) {
            throw r.error("unexpected data after the value");
        }
        return value;
    }

    /** Parses a JSON object (the only top-level value the control socket accepts). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text, int maxChars) throws JsonException {
        Object value = parse(text, maxChars);
        if (!(value instanceof Map)) {
            throw new JsonException("expected a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        JsonException error(String what) {
            return new JsonException(what + " at offset " + pos);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character");
            }
        }

        void literal(String word) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error("invalid literal");
            }
            pos += word.length();
        }

        Map<String, Object> object(int depth) throws JsonException {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                String key = string();
                if (map.containsKey(key)) {
                    throw error("duplicate key");
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value(depth));
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return Collections.unmodifiableMap(map);
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        List<Object> array(int depth) throws JsonException {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        String string() throws JsonException {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    break;
                }
                if (c < 0x20) {
                    pos--;
                    throw error("control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u': sb.append(hex4()); break;
                    default:
                        pos--;
                        throw error("invalid escape");
                }
            }
            String out = sb.toString();
            for (int i = 0; i < out.length(); i++) {
                char c = out.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(i + 1))) {
                        throw error("unpaired surrogate in string");
                    }
                    i++;
                } else if (Character.isLowSurrogate(c)) {
                    throw error("unpaired surrogate in string");
                }
            }
            return out;
        }

        char hex4() throws JsonException {
            if (pos + 4 > s.length()) {
                throw error("truncated \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                if (d < 0) {
                    throw error("invalid \\u escape");
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        Object number() throws JsonException {
            int start = pos;
            boolean integer = true;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (isDigit(peek())) {
                digits();
            } else {
                throw error("invalid number");
            }
            if (peek() == '.') {
                integer = false;
                pos++;
                if (!isDigit(peek())) {
                    throw error("invalid number");
                }
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                integer = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw error("invalid number");
                }
                digits();
            }
            String token = s.substring(start, pos);
            if (integer) {
                try {
                    return Long.parseLong(token);
                } catch (NumberFormatException e) {
                    throw error("integer out of range");
                }
            }
            double d = Double.parseDouble(token);
            if (Double.isInfinite(d)) {
                throw error("number out of range");
            }
            return d;
        }

        void digits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** The next character, or NUL at the end (NUL never starts a valid token). */
        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        char next() throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            return s.charAt(pos++);
        }

        void expect(char c) throws JsonException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes a value as compact JSON on one line (newlines inside strings are escaped).
     * Accepts maps with string keys, lists, strings, numbers, booleans, enums (by name)
     * and null.
     *
     * @throws IllegalArgumentException for any other type or a non-finite number
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String) {
            writeString(sb, (String) value);
        } else if (value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            sb.append(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a finite number");
            }
            sb.append(d);
        } else if (value instanceof Enum) {
            writeString(sb, ((Enum<?>) value).name().toLowerCase(java.util.Locale.ROOT));
        } else if (value instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("object keys must be strings");
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString(sb, (String) e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Iterable) {
            sb.append('[');
            boolean first = true;
            for (Object o : (Iterable<?>) value) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // An unpaired surrogate cannot be encoded as UTF-8; keep the output valid.
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
