package org.allium.tor;

import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.PowSettings;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.TorExitedException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiValuesTest {
    private static final String ID = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd";

    @Test
    void serviceIdAcceptsIdOrHostnameAndScrubsToString() {
        assertEquals(ID, new ServiceId(ID).value());
        assertEquals(ID, new ServiceId(ID.toUpperCase() + ".onion").value());
        assertEquals(ID + ".onion", new ServiceId(ID).hostname());
        assertFalse(new ServiceId(ID).toString().contains(ID.substring(4, 20)));
        assertThrows(IllegalArgumentException.class, () -> new ServiceId(ID.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> new ServiceId(ID.substring(0, 55) + "a"));
        assertThrows(IllegalArgumentException.class, () -> new ServiceId(ID.replace('v', '1')));
    }

    @Test
    void hostPortValidatesAndParses() {
        assertEquals(HostPort.loopback(9050), HostPort.parse("127.0.0.1:9050"));
        assertEquals(new HostPort("::1", 1), HostPort.parse("[::1]:1"));
        assertEquals("[::1]:1", new HostPort("::1", 1).toString());
        assertThrows(IllegalArgumentException.class, () -> HostPort.loopback(0));
        assertThrows(IllegalArgumentException.class, () -> HostPort.loopback(65536));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("nope"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("h:x"));
    }

    @Test
    void specRejectsSeedInsteadOfExpandedKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnionServiceSpec.builder(new byte[32], new ServiceId(ID), 80, HostPort.loopback(1)));
        assertTrue(e.getMessage().contains("64-byte"), e.getMessage());
    }

    @Test
    void specCopiesKeysAndDeduplicatesClientAuth() {
        byte[] key = new byte[64];
        byte[] pub = new byte[32];
        OnionServiceSpec s = OnionServiceSpec.builder(key, new ServiceId(ID), 80, HostPort.loopback(1))
                .clientAuth(pub).clientAuth(pub.clone()).build();
        key[0] = 1;
        pub[0] = 1;
        assertEquals(0, s.expandedSecretKey()[0]);
        assertEquals(1, s.clientAuthPublicKeys().size());
        assertEquals(0, s.clientAuthPublicKeys().get(0)[0]);
        assertFalse(s.toString().contains(ID));
        assertThrows(IllegalArgumentException.class, () -> OnionServiceSpec.builder(new byte[64], new ServiceId(ID), 80,
                HostPort.loopback(1)).clientAuth(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> OnionServiceSpec.builder(new byte[64], new ServiceId(ID), 0,
                HostPort.loopback(1)));
    }

    @Test
    void powAndIsolationValidate() {
        assertThrows(IllegalArgumentException.class, () -> new PowSettings(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PowSettings(10, 5));
        assertThrows(IllegalArgumentException.class, () -> StreamIsolation.of(""));
        assertThrows(IllegalArgumentException.class, () -> StreamIsolation.of("x".repeat(256)));
        assertFalse(StreamIsolation.of("contact-17").toString().contains("contact-17"));
    }

    @Test
    void bootstrapStatusValidates() {
        assertThrows(IllegalArgumentException.class, () -> new BootstrapStatus(101, "x", ""));
        assertTrue(new BootstrapStatus(100, "done", "Done").isDone());
    }

    @Test
    void settingsRejectMultiLineTorrcInjection() {
        assertThrows(IllegalArgumentException.class, () -> OwnTorSettings.builder(Path.of("/tmp/x"))
                .extraTorrcLines(List.of("Log notice stdout\nControlPort 9051")).build());
        assertThrows(IllegalArgumentException.class, () -> OwnTorSettings.builder(Path.of("/tmp/x"))
                .bridges(List.of("obfs4 1.2.3.4:5 X\rUseBridges 0")).build());
    }

    @Test
    void externalSettingsNeedOneAuthAndHidePassword() {
        assertThrows(IllegalArgumentException.class,
                () -> new ExternalTorSettings(HostPort.loopback(9051), Path.of("/c"), "pw", null));
        assertFalse(ExternalTorSettings.withPassword(HostPort.loopback(9051), "s3cret").toString().contains("s3cret"));
    }

    @Test
    void exitedExceptionCarriesLogLines() {
        TorExitedException e = new TorExitedException("tor exited during start-up", 1, List.of("[err] bad option"));
        assertTrue(e.getMessage().contains("[err] bad option"));
        assertEquals(1, e.exitCode());
    }

    @Test
    void serialExecutorKeepsOrderOnAPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> seen = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 1000; i++) {
                int n = i;
                serial.execute(() -> {
                    synchronized (seen) {
                        seen.add(n);
                    }
                    if (n == 3) throw new RuntimeException("an observer failing must not stop the rest");
                });
            }
            serial.execute(done::countDown);
            assertTrue(done.await(30, TimeUnit.SECONDS));
            synchronized (seen) {
                for (int i = 0; i < 1000; i++) assertEquals(i, seen.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
