package org.allium.desktop.files;

import java.text.NumberFormat;
import org.allium.desktop.UiContext;

/** Sizes, speeds and durations in words of the user's language. Pure; thread-safe. */
public final class Sizes {
    static final long KB = 1024;
    static final long MB = KB * 1024;
    static final long GB = MB * 1024;

    private Sizes() {
    }

    /** "0 bytes", "812 bytes", "3.4 KB", "12 MB", "1.5 GB" (binary units, one decimal below 10). */
    public static String bytes(UiContext ctx, long n) {
        if (n < KB) {
            return ctx.format("file.size.bytes", n);
        }
        String key;
        double v;
        if (n < MB) {
            key = "file.size.kb";
            v = n / (double) KB;
        } else if (n < GB) {
            key = "file.size.mb";
            v = n / (double) MB;
        } else {
            key = "file.size.gb";
            v = n / (double) GB;
        }
        NumberFormat f = NumberFormat.getNumberInstance(ctx.messages().locale());
        f.setMaximumFractionDigits(v < 10 ? 1 : 0);
        f.setMinimumFractionDigits(0);
        return ctx.format(key, f.format(v));
    }

    /** "about 40 s left", "about 3 min left", "about 2 h 5 min left"; "" when unknown (negative). */
    public static String timeLeft(UiContext ctx, long seconds) {
        if (seconds < 0) {
            return ctx.text("file.left.unknown");
        }
        if (seconds < 60) {
            return ctx.format("file.left.s", Math.max(1, seconds));
        }
        long minutes = (seconds + 59) / 60;
        if (minutes < 60) {
            return ctx.format("file.left.min", minutes);
        }
        return ctx.format("file.left.h", minutes / 60, minutes % 60);
    }
}
