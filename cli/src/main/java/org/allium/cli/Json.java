package org.allium.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader (Jackson's streaming parser) and a small writer for the event stream and the
 * control socket.
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
     * Jackson's streaming parser, configured strict: duplicate keys refused, nesting and string
     * length bounded by its read constraints, everything else at Jackson's strict defaults (no
     * comments, no trailing commas, no leading zeros, no NaN, no unescaped control characters).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(64)
                    .maxStringLength(1 << 20)
                    .maxNameLength(1 << 10)
                    .build())
            .build();

    /**
     * Parses one JSON value.
     *
     * @param maxChars inputs longer than this are refused before parsing
     */
    static Object parse(String text, int maxChars) throws JsonException {
        if (text.length() > maxChars) {
            throw new JsonException("input longer than " + maxChars + " characters");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                throw new JsonException("unexpected end of input");
            }
            Object value = value(p);
            if (p.nextToken() != null) {
                throw new JsonException("unexpected data after the value at offset "
                        + p.currentTokenLocation().getCharOffset());
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw new JsonException("input exceeds a limit: " + firstLine(e.getOriginalMessage()));
        } catch (JsonParseException e) {
            // The message names the offending character and offset, never echoes the input.
            throw new JsonException(firstLine(e.getOriginalMessage()) + " at offset "
                    + e.getLocation().getCharOffset());
        } catch (IOException e) {
            throw new JsonException("unreadable input: " + firstLine(e.getMessage()));
        }
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

    /** Reads the value whose first token is current; leaves its last token current. */
    private static Object value(JsonParser p) throws IOException, JsonException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = checked(p.currentName());
                    p.nextToken();
                    m.put(key, value(p));
                }
                return Collections.unmodifiableMap(m);
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return Collections.unmodifiableList(list);
            }
            case VALUE_STRING:
                return checked(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new JsonException("integer out of range");
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (Double.isInfinite(d) || Double.isNaN(d)) {
                    throw new JsonException("number out of range");
                }
                return d;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonException("unexpected " + t);
        }
    }

    /** Jackson decodes {@code \ud800} escapes as given; strict JSON text has no unpaired surrogates. */
    private static String checked(String s) throws JsonException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new JsonException("unpaired surrogate in a string");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new JsonException("unpaired surrogate in a string");
            }
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid JSON";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
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
