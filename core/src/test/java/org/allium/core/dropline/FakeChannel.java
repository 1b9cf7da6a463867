package org.allium.core.dropline;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.Envelope;

/** A drop-line connection in memory: what the source sent, and what the desk answered. */
final class FakeChannel implements DropChannel {
    final OnionAddress source;
    final Deque<Envelope> in = new ArrayDeque<>();
    final List<Envelope> out = new ArrayList<>();

    FakeChannel(OnionAddress source, Envelope... incoming) {
        this.source = source;
        in.addAll(List.of(incoming));
    }

    @Override
    public OnionAddress source() {
        return source;
    }

    @Override
    public Envelope receive() throws IOException {
        Envelope e = in.poll();
        if (e == null) {
            throw new EOFException("no more input");
        }
        return e;
    }

    @Override
    public void send(Envelope envelope) {
        out.add(envelope);
    }

    @Override
    public void setReadTimeout(Duration timeout) {
    }
}
