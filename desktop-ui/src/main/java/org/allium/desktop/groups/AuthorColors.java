package org.allium.desktop.groups;

import java.awt.Color;
import org.allium.desktop.Theme;

/**
 * A stable colour per group author: the same member has the same colour in every group, at
 * every start and on every screen, chosen from {@link #COUNT} theme colours
 * ({@code Allium.group.author.N} in FlatLightLaf/FlatDarkLaf.properties) that each read on the
 * theme's incoming bubble. Pure apart from the theme lookup.
 */
final class AuthorColors {
    /** How many author colours each theme defines. */
    static final int COUNT = 8;

    private AuthorColors() {
    }

    /** The theme key of {@code address}'s colour; {@link String#hashCode} is specified, so it never changes. */
    static String key(String address) {
        return "Allium.group.author." + Math.floorMod(address.hashCode(), COUNT);
    }

    static Color of(String address) {
        return Theme.color(key(address), Color.GRAY);
    }
}
