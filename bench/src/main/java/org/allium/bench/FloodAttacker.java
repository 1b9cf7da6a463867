package org.allium.bench;

import com.google.protobuf.ByteString;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.ClientHandshake;
import org.allium.protocol.FrameReader;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.HandshakeDriver;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.Scheduler;
import org.allium.protocol.proto.ContactRequest;
import org.allium.protocol.proto.EndpointGrant;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Purpose;
import org.allium.tor.Tors;
import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;

/**
 * One attacker process of {@link FloodFigures}: floods a victim's identity onion with contact
 * requests, each from a fresh identity key and a fresh endpoint, through a tor it attaches to.
 * Args: control host:port, cookie file, victim service id, threads, seconds, {@code fresh|reuse}
 * ({@code fresh}: a new SOCKS isolation, hence a new circuit and introduction, per request;
 * {@code reuse}: one circuit per thread for all its requests). Prints
 * {@code DONE attempts acked refused failed} on stdout. Bounded: stops after the given time.
 */
public final class FloodAttacker {
    private FloodAttacker() {
    }

    public static void main(String[] args) throws Exception {
        HostPort control = HostPort.parse(args[0]);
        Path cookie = Path.of(args[1]);
        String victim = args[2];
        int threads = Integer.parseInt(args[3]);
        long until = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        boolean fresh = args[5].equals("fresh");
        Tor tor = Tors.external(ExternalTorSettings.withCookie(control, cookie));
        tor.start();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        Scheduler scheduler = Scheduler.of(timers);
        OnionAddress target = OnionAddress.parse(victim);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        String run = Long.toHexString(new SecureRandom().nextLong());
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                SecureRandom rnd = new SecureRandom();
                int n = 0;
                while (System.nanoTime() < until) {
                    attempts.incrementAndGet();
                    String iso = run + "-" + thread + (fresh ? "-" + n++ : "");
                    try (Socket s = tor.dial(new ServiceId(victim), 7878, StreamIsolation.of(iso),
                            Duration.ofSeconds(30))) {
                        switch (junk(s, target, scheduler, rnd)) {
                            case 1 -> acked.incrementAndGet();
                            case 0 -> refused.incrementAndGet();
                            default -> failed.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }, "flood-" + t);
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join();
        }
        System.out.println("DONE " + attempts + " " + acked + " " + refused + " " + failed);
        System.out.flush();
        tor.close();
        timers.shutdownNow();
        System.exit(0);
    }

    /** 1 acked, 0 refused with a Close, -1 anything else. */
    private static int junk(Socket s, OnionAddress target, Scheduler scheduler, SecureRandom rnd) throws IOException {
        s.setSoTimeout(30_000);
        FrameReader r = new FrameReader(new BufferedInputStream(s.getInputStream()));
        FrameWriter w = new FrameWriter(s.getOutputStream());
        IdentityKeyPair me = IdentityKeyPair.generate(rnd);
        new HandshakeDriver(scheduler, Duration.ofSeconds(30)).run(
                new ClientHandshake(me, target, target, Purpose.CONTACT_REQUEST, rnd), r, w, s);
        byte[] endpoint = IdentityKeyPair.generate(rnd).publicKey();
        byte[] id = new byte[16];
        System.arraycopy(endpoint, 0, id, 0, 16);
        w.write(Envelope.newBuilder().setContactRequest(ContactRequest.newBuilder()
                .setRequestId(ByteString.copyFrom(id)).setText("junk")
                .setEndpoint(EndpointGrant.newBuilder().setEndpointId(ByteString.copyFrom(endpoint))
                        .setClientAuthKey(ByteString.copyFrom(ClientAuthKeyPair.generate(rnd).privateKey())))
                .setComposedAtMs(System.currentTimeMillis())).build());
        Envelope reply = r.read();
        if (reply.hasAck()) {
            return 1;
        }
        return reply.hasClose() ? 0 : -1;
    }
}
