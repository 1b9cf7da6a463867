package org.allium.core.dropline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.allium.core.api.TorSettings;
import org.allium.tor.api.OwnTorSettings;
import org.junit.jupiter.api.Test;

/** A source's own tor gets every setting the source chose — bridges need their transport binary. */
class SourceTorTest {
    private static final String OBFS4 = "obfs4 192.0.2.1:443 0123456789ABCDEF0123456789ABCDEF01234567 "
            + "cert=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA iat-mode=0";

    @Test
    void bridgesAndTheirTransportBinaryReachTheSourcesTor() {
        Path lyrebird = Path.of("/opt/tor-browser/PluggableTransports/lyrebird");
        TorSettings s = TorSettings.ownTor().withBridges(List.of(OBFS4), lyrebird)
                .withTestnetLines(List.of("TestingTorNetwork 1"));
        OwnTorSettings own = SourceTor.ownSettings(s, Path.of("/tmp/allium-source-x/tor"));
        assertEquals(lyrebird, own.transportBinary());
        assertEquals(List.of(OBFS4), own.bridges());
        assertEquals(List.of("TestingTorNetwork 1"), own.extraTorrcLines());
        assertEquals(Path.of("/tmp/allium-source-x/tor"), own.directory());
        assertNull(SourceTor.ownSettings(TorSettings.ownTor(), Path.of("/t")).transportBinary(), "none chosen: found on the PATH");
    }
}
