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
        return resourceLines("golden-v1.txt");
    }

    /** The lines of a committed vector file next to these tests. */
    static List<String> resourceLines(String name) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GoldenVectorsTest.class.getResourceAsStream(name), StandardCharsets.UTF_8))) {
            return r.lines().collect(Collectors.toList());
        }
    }

    /** Every {@code frame} line of a vector file, decoded as a peer would; each is one whole frame. */
    static List<Envelope> frames(List<String> lines) throws IOException {
        List<Envelope> decoded = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("frame ")) {
                byte[] frame = GoldenVectors.HEX.parseHex(line.split(" ")[2]);
                FrameDecoder d = new FrameDecoder();
                decoded.add(d.poll(frame, 0, frame.length));
                assertFalse(d.isMidFrame());
            }
        }
        return decoded;
    }

    @Test
    void generatorReproducesTheCommittedVectors() throws IOException {
        assertEquals(String.join("\n", committed()), String.join("\n", GoldenVectors.generate()));
    }

    @Test
    void committedFramesDecodeAndValidate() throws IOException {
        List<Envelope> decoded = frames(committed());
        assertEquals(16, decoded.size());
        assertTrue(decoded.get(0).hasHello());
        assertTrue(decoded.get(3).hasAuthOk());
        assertTrue(decoded.get(4).hasContactRequest());
        assertTrue(decoded.get(12).hasChatMessage());
    }
}
