package org.allium.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.allium.protocol.FrameWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames through a loopback socket: build + encode + write here, read + decode + validate
 * on a drainer thread (backpressure makes the send rate the end-to-end rate), against raw
 * bytes of the same frame length through the same kind of socket in the same run.
 * Score: ops/s = frames/s; for chunk60k, MB/s = score × 61440 / 10^6.
 * Run: {@code bench/run jmh FrameCodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameCodecBenchmark {
    @Param({"chat1k", "chunk60k"})
    public String payload;

    @Param({"framed", "raw"})
    public String mode;

    private Loopback loopback;
    private OutputStream out;
    private FrameWriter writer;
    private byte[] raw;
    private int counter;

    @Setup(Level.Trial)
    public void open() throws IOException {
        loopback = new Loopback(mode.equals("framed") ? Loopback.Mode.FRAMED : Loopback.Mode.RAW);
        out = loopback.out();
        writer = new FrameWriter(out);
        raw = new byte[Payloads.frameLength(payload.equals("chat1k") ? Payloads.chat(1) : Payloads.chunk(0))];
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        loopback.close();
    }

    @Benchmark
    public void send() throws IOException {
        counter++;
        if (mode.equals("raw")) {
            out.write(raw);
            out.flush();
        } else if (payload.equals("chat1k")) {
            writer.write(Payloads.chat(counter));
        } else {
            writer.write(Payloads.chunk(counter & 0x3ffff));
        }
    }
}
