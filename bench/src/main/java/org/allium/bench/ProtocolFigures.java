package org.allium.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.proto.Envelope;

/**
 * The protocol figures in one quick run, as JSON on stdout: framed vs raw throughput for
 * 1 KiB chat messages and 60 KiB chunks through loopback sockets (same run), their
 * ratios, and the CPU cost of one handshake. A simpler, shorter cousin of the JMH
 * benchmarks ({@code bench/run ProtocolFigures [seconds per measurement, default 3]}).
 */
public final class ProtocolFigures {
    private ProtocolFigures() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        double chatFramed = framesPerSecond(true, true, seconds);
        double chatRaw = framesPerSecond(true, false, seconds);
        double chunkFramed = framesPerSecond(false, true, seconds);
        double chunkRaw = framesPerSecond(false, false, seconds);
        double mb = Payloads.CHUNK_BYTES / 1e6;
        double handshakeMicros = handshakeMicros(seconds);
        System.out.println(String.format(Locale.ROOT, "{%n"
                + "  \"chat1k_framed_frames_per_s\": %.0f,%n"
                + "  \"chat1k_raw_frames_per_s\": %.0f,%n"
                + "  \"chat1k_ratio\": %.3f,%n"
                + "  \"chunk60k_framed_MB_per_s\": %.1f,%n"
                + "  \"chunk60k_raw_MB_per_s\": %.1f,%n"
                + "  \"chunk60k_ratio\": %.3f,%n"
                + "  \"chunk60k_goal_ratio\": 0.8,%n"
                + "  \"handshake_both_sides_us\": %.1f%n}",
                chatFramed, chatRaw, chatFramed / chatRaw, chunkFramed * mb, chunkRaw * mb, chunkFramed / chunkRaw,
                handshakeMicros));
    }

    private static double framesPerSecond(boolean chat, boolean framed, double seconds) throws IOException {
        Envelope sample = chat ? Payloads.chat(1) : Payloads.chunk(0);
        byte[] raw = new byte[Payloads.frameLength(sample)];
        try (Loopback loopback = new Loopback(framed ? Loopback.Mode.FRAMED : Loopback.Mode.RAW)) {
            OutputStream out = loopback.out();
            FrameWriter writer = new FrameWriter(out);
            long warmupEnd = System.nanoTime() + (long) (seconds / 2 * 1e9);
            int i = 0;
            while (System.nanoTime() < warmupEnd) {
                send(chat, framed, writer, out, raw, ++i);
            }
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long count = 0;
            while (System.nanoTime() < end) {
                send(chat, framed, writer, out, raw, ++i);
                count++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            loopback.checkHealthy();
            return count / elapsed;
        }
    }

    private static void send(boolean chat, boolean framed, FrameWriter writer, OutputStream out, byte[] raw, int i)
            throws IOException {
        if (!framed) {
            out.write(raw);
            out.flush();
        } else {
            writer.write(chat ? Payloads.chat(i) : Payloads.chunk(i & 0x3ffff));
        }
    }

    private static double handshakeMicros(double seconds) throws Exception {
        long warmupEnd = System.nanoTime() + (long) (seconds / 2 * 1e9);
        int sink = 0;
        while (System.nanoTime() < warmupEnd) {
            sink += Payloads.handshake();
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long count = 0;
        while (System.nanoTime() < end) {
            sink += Payloads.handshake();
            count++;
        }
        if (sink == 42) {
            System.err.print(""); // keeps sink alive
        }
        return (System.nanoTime() - start) / 1e3 / count;
    }
}
