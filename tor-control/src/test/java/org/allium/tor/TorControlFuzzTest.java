package org.allium.tor;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.StreamIsolation;
import org.junit.jupiter.api.AfterAll;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer fuzz tests of what tor (control replies and events) and a SOCKS server send us. The
 * normal test run replays the committed corpus in
 * {@code src/test/resources/org/allium/tor/TorControlFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} they fuzz (see README). Only the documented exceptions may escape.
 */
class TorControlFuzzTest {
    private static final AtomicInteger EXECUTIONS = new AtomicInteger();
    private static final byte[] HOST = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwd.onion"
            .getBytes(StandardCharsets.US_ASCII);

    @AfterAll
    static void corpusWasReplayed() {
        // 2 methods × (committed seeds + the empty input Jazzer always adds)
        assertTrue(EXECUTIONS.get() >= 10, "fuzz tests executed only " + EXECUTIONS.get() + " inputs");
    }

    /** Every control-port parser: never anything but IllegalArgumentException, where documented. */
    @FuzzTest
    void controlReplies(byte[] data) {
        EXECUTIONS.incrementAndGet();
        String s = new String(data, StandardCharsets.ISO_8859_1);
        BootstrapStatus b = ControlReplies.bootstrap(s); // never throws
        if (b != null) assertTrue(b.percent() >= 0 && b.percent() <= 100);
        ControlReplies.hsDesc(s); // never throws
        ControlReplies.versionAtLeast(s, AlliumControlConnection.POW_MIN_VERSION); // never throws
        Scrub.onions(s);
        try {
            ControlReplies.keywords(s);
        } catch (IllegalArgumentException expected) {
            // unterminated quoted string
        }
        try {
            ControlReplies.listeners(s);
        } catch (IllegalArgumentException expected) {
            // not host:port
        }
        try {
            ControlReplies.controlPortFile(s);
        } catch (IllegalArgumentException expected) {
            // no PORT= line, or a bad one
        }
    }

    /** A SOCKS server's bytes: the handshake ends in success or an IOException, never anything else. */
    @FuzzTest
    void socksReply(byte[] data) {
        EXECUTIONS.incrementAndGet();
        boolean isolate = data.length > 0 && (data[0] & 1) == 1;
        try {
            Socks5.handshake(new ByteArrayInputStream(data), OutputStream.nullOutputStream(), HOST, 9878,
                    isolate ? StreamIsolation.of("fuzz") : null);
        } catch (IOException expected) {
            // typed SocksException, or the stream ended
        }
    }
}
