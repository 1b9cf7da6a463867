package org.allium.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DirAuthorityTest {
    private static final String V3 = "630EDA13E99AA504956AB9F8953BFFCC4026C308";
    private static final String FP = "DF2338FA368483AB1F4E722370BFBD47AAC728CE";

    @Test
    void buildsTheTorrcLine() {
        DirAuthority a = new DirAuthority("auth0", 5001, 5002, V3, FP);
        assertEquals("DirAuthority auth0 orport=5001 no-v2 v3ident=" + V3 + " 127.0.0.1:5002 " + FP,
                a.torrcLine());
    }

    @Test
    void normalisesGroupedAndLowerCaseFingerprints() {
        String grouped = "df23 38fa 3684 83ab 1f4e 7223 70bf bd47 aac7 28ce";
        DirAuthority a = new DirAuthority("auth0", 5001, 5002, V3.toLowerCase(java.util.Locale.ROOT), grouped);
        assertEquals(V3, a.v3ident());
        assertEquals(FP, a.fingerprint());
    }

    @Test
    void rejectsBadFields() {
        assertThrows(IllegalArgumentException.class, () -> new DirAuthority("auth0", 5001, 5002, V3, FP.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> new DirAuthority("auth0", 5001, 5002, "Z" + V3.substring(1), FP));
        assertThrows(IllegalArgumentException.class, () -> new DirAuthority("auth 0", 5001, 5002, V3, FP));
        assertThrows(IllegalArgumentException.class, () -> new DirAuthority("a".repeat(20), 5001, 5002, V3, FP));
        assertThrows(IllegalArgumentException.class, () -> new DirAuthority("auth0", 0, 5002, V3, FP));
        assertThrows(IllegalArgumentException.class, () -> new DirAuthority("auth0", 5001, 65536, V3, FP));
        assertThrows(NullPointerException.class, () -> new DirAuthority("auth0", 5001, 5002, null, FP));
    }
}
