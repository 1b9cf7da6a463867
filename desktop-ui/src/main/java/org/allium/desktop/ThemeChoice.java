package org.allium.desktop;

/** The user's theme setting. */
public enum ThemeChoice {
    LIGHT, DARK, SYSTEM
}
