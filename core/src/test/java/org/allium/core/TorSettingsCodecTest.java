package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.allium.core.api.TorSettings;
import org.junit.jupiter.api.Test;

class TorSettingsCodecTest {
    @Test
    void roundTripsOwnAndExternal() {
        TorSettings own = TorSettings.ownTor().withTorBinary(Path.of("/opt/tor"))
                .withBridges(List.of("obfs4 1.2.3.4:443 ABCD cert=x.y iat-mode=0", "5.6.7.8:9001"),
                        Path.of("/usr/bin/obfs4proxy"))
                .withTestnetLines(List.of("TestingTorNetwork 1", "DirAuthority a 127.0.0.1:1 ffff"));
        assertEquals(own, TorSettingsCodec.decode(TorSettingsCodec.encode(own)));
        TorSettings ext = TorSettings.externalTor("127.0.0.1", 9051, Path.of("/run/tor/control.authcookie"),
                null, 9050);
        assertEquals(ext, TorSettingsCodec.decode(TorSettingsCodec.encode(ext)));
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> TorSettingsCodec.decode("not.settings"));
    }
}
