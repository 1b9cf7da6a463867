package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.allium.protocol.proto.Envelope;
import org.junit.jupiter.api.Test;

class GoldenVectorsTest {
    static List<String> committed() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GoldenVectorsTest.class.getResourceAsStream("golden-v1.txt"), StandardCharsets.UTF_8))) {
            return r.lines().collect(Collectors.toList());
        }
    }

    @Test
    void generatorReproducesTheCommittedVectors() throws IOException {
        assertEquals(String.join("\n", committed()), String.join("\n", GoldenVectors.generate()));
    }

    @Test
    void committedFramesDecodeAndValidate() throws IOException {
        List<Envelope> decoded = new ArrayList<>();
        for (String line : committed()) {
            if (line.startsWith("frame ")) {
                byte[] frame = GoldenVectors.HEX.parseHex(line.split(" ")[2]);
                FrameDecoder d = new FrameDecoder();
                decoded.add(d.poll(frame, 0, frame.length));
                assertFalse(d.isMidFrame());
            }
        }
        assertEquals(16, decoded.size());
        assertTrue(decoded.get(0).hasHello());
        assertTrue(decoded.get(3).hasAuthOk());
        assertTrue(decoded.get(4).hasContactRequest());
        assertTrue(decoded.get(12).hasChatMessage());
    }
}
