package org.allium.core.api;

import java.nio.charset.StandardCharsets;

/**
 * File names that came from a peer, made safe to use as one path element: what the core uses
 * when it exports a received file into a directory, and what a front end proposes in a "Save
 * as…" dialog. The peer's name is never a path: separators, control, bidi and reserved
 * characters become "_", a leading dot (hidden) or dash (option-like) too. Pure; thread-safe.
 */
public final class FileNames {
    /** Longest safe name in UTF-8 bytes (common file systems allow 255). */
    public static final int MAX_BYTES = 200;

    private FileNames() {
    }

    /**
     * A name that is safe as a single path element on common systems: no separators, control,
     * bidi or reserved characters, no leading dot or dash, no trailing dot, at most
     * {@value #MAX_BYTES} UTF-8 bytes with a short extension kept; never empty ("file").
     */
    public static String safe(String offered) {
        StringBuilder b = new StringBuilder();
        (offered == null ? "" : offered).codePoints().forEach(cp -> {
            boolean bad = cp < 0x20 || cp == 0x7f || "/\\:*?\"<>|".indexOf(cp) >= 0
                    || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0x80 && cp < 0xa0)
                    || cp == 0x200e || cp == 0x200f || cp == 0x061c || cp == 0xfeff;
            b.appendCodePoint(bad ? '_' : cp);
        });
        String s = b.toString().strip();
        while (s.startsWith(".") || s.startsWith("-")) {
            s = "_" + s.substring(1);
        }
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            s = "file";
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
            String stem = s.substring(0, s.length() - ext.length());
            while ((stem + ext).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                stem = stem.substring(0, stem.offsetByCodePoints(0, stem.codePointCount(0, stem.length()) - 1));
            }
            s = stem + ext;
        }
        return s;
    }

    /** The extension of a safe name in lower case without the dot ("pdf"), or "" if none or too long. */
    public static String extension(String name) {
        String s = safe(name);
        int dot = s.lastIndexOf('.');
        if (dot <= 0 || s.length() - dot - 1 > 8) {
            return "";
        }
        return s.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
