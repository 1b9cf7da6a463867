package org.allium.bench;

import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Measurements over one connected socket to {@link TorBaselineServer}, and JSON output. Stateless. */
final class TorBaselineStats {
    private TorBaselineStats() {
    }

    /** Round-trip times in milliseconds of {@code samples} echoes of {@code size} bytes, after {@code warmup}. */
    static double[] roundTrips(Socket s, int size, int warmup, int samples) throws IOException {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(TorBaselineServer.ECHO);
        byte[] msg = new byte[size];
        byte[] back = new byte[size];
        double[] ms = new double[samples];
        for (int i = 0; i < warmup + samples; i++) {
            msg[0] = (byte) i;
            long t0 = System.nanoTime();
            out.write(msg);
            out.flush();
            readFully(in, back);
            long t1 = System.nanoTime();
            if (back[0] != msg[0]) {
                throw new IOException("echo mismatch");
            }
            if (i >= warmup) {
                ms[i - warmup] = (t1 - t0) / 1e6;
            }
        }
        return ms;
    }

    /** MB/s (10^6 bytes per second) of sending {@code bytes} until the server acknowledges them all. */
    static double bulk(Socket s, long bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 0x5a);
        long t0 = System.nanoTime();
        DataOutputStream d = new DataOutputStream(out);
        d.write(TorBaselineServer.SINK);
        d.writeLong(bytes);
        for (long left = bytes; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            out.write(chunk, 0, n);
            left -= n;
        }
        out.flush();
        if (in.read() != TorBaselineServer.ACK) {
            throw new IOException("no acknowledgement from the sink");
        }
        long t1 = System.nanoTime();
        return bytes / ((t1 - t0) / 1e9) / 1e6;
    }

    static void readFully(InputStream in, byte[] b) throws IOException {
        for (int off = 0; off < b.length; ) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                throw new EOFException("connection closed");
            }
            off += n;
        }
    }

    static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double round(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }

    /** JSON of nested maps, strings, numbers and booleans; maps keep their insertion order. */
    static String json(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            String inner = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "\n" : ",\n").append(inner).append(quote(e.getKey().toString()))
                        .append(": ").append(json(e.getValue(), inner));
                first = false;
            }
            return sb.append('\n').append(indent).append('}').toString();
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%s", round(d));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof double[] arr) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < arr.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(json(arr[i], indent));
            }
            return sb.append(']').toString();
        }
        return value == null ? "null" : quote(value.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }
}
