package org.allium.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.proto.Envelope;

/**
 * The protocol figures in one quick run, as JSON on stdout: framed vs raw throughput for
 * 1 KiB chat messages and 60 KiB chunks through loopback sockets (same run), their
 * ratios (medians of interleaved rounds), the CPU time per frame of both threads (less
 * sensitive to other load on the machine than wall-clock throughput), and the CPU cost
 * of one handshake. A simpler
 * cousin of the JMH benchmarks:
 * {@code bench/run ProtocolFigures [seconds per measurement, default 1] [rounds, default 7]}.
 */
public final class ProtocolFigures {
    private ProtocolFigures() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        // Warm up both code paths once, unmeasured.
        for (boolean chat : new boolean[] {true, false}) {
            framesPerSecond(chat, true, seconds);
            framesPerSecond(chat, false, seconds);
        }
        double[] chat = interleaved(true, seconds, rounds);
        double[] chunk = interleaved(false, seconds, rounds);
        double mb = Payloads.CHUNK_BYTES / 1e6;
        handshakeMicros(seconds); // warm-up
        double handshakeMicros = handshakeMicros(seconds * 2);
        System.out.println(String.format(Locale.ROOT, "{%n"
                + "  \"rounds\": %d,%n"
                + "  \"seconds_per_measurement\": %.1f,%n"
                + "  \"chat1k_framed_frames_per_s\": %.0f,%n"
                + "  \"chat1k_raw_frames_per_s\": %.0f,%n"
                + "  \"chat1k_ratio\": %.3f,%n"
                + "  \"chat1k_cpu_us_per_frame_framed_raw\": [%.2f, %.2f],%n"
                + "  \"chat1k_cpu_ratio_raw_over_framed\": %.3f,%n"
                + "  \"chunk60k_framed_MB_per_s\": %.1f,%n"
                + "  \"chunk60k_raw_MB_per_s\": %.1f,%n"
                + "  \"chunk60k_ratio\": %.3f,%n"
                + "  \"chunk60k_cpu_us_per_frame_framed_raw\": [%.2f, %.2f],%n"
                + "  \"chunk60k_cpu_ratio_raw_over_framed\": %.3f,%n"
                + "  \"chunk60k_goal_ratio\": 0.8,%n"
                + "  \"handshake_both_sides_us\": %.1f,%n"
                + "  \"cpus\": %d%n}",
                rounds, seconds, chat[0], chat[1], chat[2], chat[3], chat[4], chat[5],
                chunk[0] * mb, chunk[1] * mb, chunk[2], chunk[3], chunk[4], chunk[5], handshakeMicros,
                Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Alternates framed and raw measurements (order flipped every round) so that load from
     * other processes hits both alike. Returns the medians of framed/s, raw/s and of the
     * per-round ratios.
     */
    private static double[] interleaved(boolean chat, double seconds, int rounds) throws IOException {
        double[] framed = new double[rounds];
        double[] raw = new double[rounds];
        double[] ratio = new double[rounds];
        double[] framedCpu = new double[rounds];
        double[] rawCpu = new double[rounds];
        double[] cpuRatio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                framed[r] = framesPerSecond(chat, true, seconds);
                framedCpu[r] = lastCpuPerFrame;
                raw[r] = framesPerSecond(chat, false, seconds);
                rawCpu[r] = lastCpuPerFrame;
            } else {
                raw[r] = framesPerSecond(chat, false, seconds);
                rawCpu[r] = lastCpuPerFrame;
                framed[r] = framesPerSecond(chat, true, seconds);
                framedCpu[r] = lastCpuPerFrame;
            }
            ratio[r] = framed[r] / raw[r];
            cpuRatio[r] = rawCpu[r] / framedCpu[r];
        }
        return new double[] {median(framed), median(raw), median(ratio), median(framedCpu) / 1e3, median(rawCpu) / 1e3,
            median(cpuRatio)};
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** CPU ns per frame (sender + drainer thread) of the last {@link #framesPerSecond} call. */
    private static double lastCpuPerFrame;

    private static double framesPerSecond(boolean chat, boolean framed, double seconds) throws IOException {
        Envelope sample = chat ? Payloads.chat(1) : Payloads.chunk(0);
        byte[] raw = new byte[Payloads.frameLength(sample)];
        try (Loopback loopback = new Loopback(framed ? Loopback.Mode.FRAMED : Loopback.Mode.RAW)) {
            OutputStream out = loopback.out();
            FrameWriter writer = new FrameWriter(out);
            int i = 0;
            for (int w = 0; w < 200; w++) {
                send(chat, framed, writer, out, raw, ++i); // fill the pipe before timing
            }
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime() + loopback.drainerCpuNanos();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long count = 0;
            while (System.nanoTime() < end) {
                send(chat, framed, writer, out, raw, ++i);
                count++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            lastCpuPerFrame = (threads.getCurrentThreadCpuTime() + loopback.drainerCpuNanos() - cpuStart) / (double) count;
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
        int sink = 0;
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
