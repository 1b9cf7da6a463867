package org.allium.tor.api;

import java.util.Objects;

/**
 * One bootstrap step as tor reports it ({@code STATUS_CLIENT BOOTSTRAP} events and
 * {@code GETINFO status/bootstrap-phase}).
 *
 * @param percent 0–100
 * @param tag     tor's machine-readable phase, e.g. {@code "conn_done"}, {@code "done"}
 * @param summary tor's human-readable summary; may be empty, never null
 */
public record BootstrapStatus(int percent, String tag, String summary) {
    /** Before tor reported anything. */
    public static final BootstrapStatus NONE = new BootstrapStatus(0, "none", "");

    public BootstrapStatus {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("bootstrap percent out of range: " + percent);
        }
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(summary, "summary");
    }

    /** True when tor reports it has finished bootstrapping. */
    public boolean isDone() {
        return percent == 100;
    }
}
