package org.allium.testnet;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What every node of the network must know about one directory authority: the value of one
 * {@code DirAuthority} torrc line. Immutable; validates its fields.
 *
 * @param nickname    authority nickname (1-19 letters or digits)
 * @param orPort      the authority's ORPort on 127.0.0.1
 * @param dirPort     the authority's DirPort on 127.0.0.1
 * @param v3ident     fingerprint of the authority identity key (40 hex, from tor-gencert's certificate)
 * @param fingerprint relay identity fingerprint (40 hex, from {@code tor --list-fingerprint})
 */
record DirAuthority(String nickname, int orPort, int dirPort, String v3ident, String fingerprint) {
    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9]{1,19}");
    private static final Pattern HEX40 = Pattern.compile("[0-9A-F]{40}");

    DirAuthority {
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(v3ident, "v3ident");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!NICK.matcher(nickname).matches()) {
            throw new IllegalArgumentException("bad authority nickname: " + nickname);
        }
        Ports.check(orPort, "orPort");
        Ports.check(dirPort, "dirPort");
        v3ident = hex40(v3ident, "v3ident");
        fingerprint = hex40(fingerprint, "fingerprint");
    }

    private static String hex40(String s, String what) {
        // tor prints fingerprints upper-case, sometimes grouped by spaces
        String compact = s.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        if (!HEX40.matcher(compact).matches()) {
            throw new IllegalArgumentException(what + " is not 40 hex digits: " + s);
        }
        return compact;
    }

    /** The torrc line, e.g. {@code DirAuthority auth0 orport=5001 no-v2 v3ident=… 127.0.0.1:5002 …}. */
    String torrcLine() {
        return "DirAuthority " + nickname + " orport=" + orPort + " no-v2 v3ident=" + v3ident
                + " 127.0.0.1:" + dirPort + " " + fingerprint;
    }
}
