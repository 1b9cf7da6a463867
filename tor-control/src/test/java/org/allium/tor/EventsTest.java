package org.allium.tor;

import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorExitedException;
import org.allium.tor.api.TorState;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event path from the control connection to observers, against a scripted control peer:
 * bootstrap events drive the state, warnings and HS_DESC results reach observers on the
 * event executor, and a closed control connection is reported as an exit.
 */
class EventsTest {
    private static final String ID = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd";
    private static final String OTHER = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A peer that answers commands and lets the test push asynchronous events (DialStopTest too). */
    static final class Peer {
        final PipedOutputStream toClient = new PipedOutputStream();
        final PipedInputStream clientIn;
        final PipedInputStream peerIn = new PipedInputStream(65536);
        final PipedOutputStream clientOut;
        /** What {@code GETINFO net/listeners/socks} answers. */
        final HostPort socks;

        Peer() throws IOException {
            this(HostPort.loopback(9999));
        }

        Peer(HostPort socks) throws IOException {
            this.socks = socks;
            clientIn = new PipedInputStream(toClient, 65536);
            clientOut = new PipedOutputStream(peerIn);
            Thread t = new Thread(this::serve, "scripted-tor");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(peerIn, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String reply;
                    if (line.startsWith("GETINFO status/bootstrap-phase")) {
                        reply = "250-status/bootstrap-phase=NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY=\"Starting\"\r\n250 OK\r\n";
                    } else if (line.startsWith("GETINFO net/listeners/socks")) {
                        reply = "250-net/listeners/socks=\"127.0.0.1:" + socks.port() + "\"\r\n250 OK\r\n";
                    } else if (line.startsWith("GETINFO version")) {
                        reply = "250-version=0.4.9.11\r\n250 OK\r\n";
                    } else if (line.startsWith("ADD_ONION")) {
                        reply = "250-ServiceID=" + ID + "\r\n250 OK\r\n";
                    } else {
                        reply = "250 OK\r\n";
                    }
                    send(reply);
                }
            } catch (IOException e) {
                // closed
            }
        }

        synchronized void send(String s) throws IOException {
            toClient.write(s.getBytes(StandardCharsets.US_ASCII));
            toClient.flush();
        }
    }

    /** An AbstractTor attached to the scripted peer. */
    static final class ScriptedTor extends AbstractTor {
        final Peer peer;

        ScriptedTor(Peer peer, ExecutorService events) {
            super(events);
            this.peer = peer;
        }

        @Override
        Attached attach(int generation) {
            AlliumControlConnection c = new AlliumControlConnection(peer.clientIn, peer.clientOut);
            c.launchThread(true);
            return new Attached(c, null, null, null);
        }

        @Override
        void detach(Attached attached) {
            try {
                peer.toClient.close();
            } catch (IOException e) {
                // test
            }
        }

        @Override
        boolean networkEnabledOnAttach() {
            return false;
        }

        @Override
        void onControlConnectionClosed(int generation) {
            torExited(generation, -1, List.of("connection closed"));
        }
    }

    @Test
    void eventsDriveStateAndReachObserversInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "test-events"));
        try {
            Peer peer = new Peer();
            ScriptedTor tor = new ScriptedTor(peer, pool);
            RecordingObserver obs = new RecordingObserver();
            tor.addObserver(obs);
            tor.start();
            assertEquals(TorState.STARTED, tor.state());
            tor.enableNetwork();
            assertEquals(HostPort.loopback(9999), tor.socksAddress());
            assertEquals(TorState.BOOTSTRAPPING, tor.state());

            tor.publish(OnionServiceSpec.builder(new byte[64], new ServiceId(ID), 1, HostPort.loopback(1)).build());
            peer.send("650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=50 TAG=loading_descriptors SUMMARY=\"Loading relay descriptors\"\r\n");
            peer.send("650 WARN Something is odd with " + OTHER + ".onion\r\n");
            peer.send("650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"\r\n");
            peer.send("650 HS_DESC UPLOADED " + OTHER + " UNKNOWN $AAAA~relay x\r\n"); // not ours: ignored
            peer.send("650 HS_DESC UPLOADED " + ID + " UNKNOWN $AAAA~relay x\r\n");
            peer.send("650 HS_DESC FAILED " + ID + " UNKNOWN $BBBB~relay x REASON=UPLOAD_REJECTED\r\n");
            peer.send("650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=garbage\r\n"); // unparseable: ignored
            tor.awaitBootstrapped(WAIT);
            assertEquals(TorState.READY, tor.state());

            obs.await("HS_DESC failure", WAIT, o -> !o.uploadFailures.isEmpty());
            synchronized (obs) {
                assertEquals(List.of(TorState.NOT_STARTED, TorState.STARTING, TorState.STARTED,
                        TorState.BOOTSTRAPPING, TorState.READY), obs.states);
                assertEquals(List.of(new BootstrapStatus(0, "starting", "Starting"),
                        new BootstrapStatus(50, "loading_descriptors", "Loading relay descriptors"),
                        new BootstrapStatus(100, "done", "Done")), obs.bootstraps);
                assertEquals(1, obs.warnings.size());
                assertFalse(obs.warnings.get(0).contains(OTHER), "warnings are scrubbed: " + obs.warnings);
                assertEquals(List.of(new ServiceId(ID)), obs.uploaded);
                assertEquals(List.of("UPLOAD_REJECTED"), obs.uploadFailures);
                assertTrue(obs.threads.stream().allMatch(t -> t.equals("test-events")), obs.threads.toString());
            }

            // The control connection closing is an exit that observers hear about.
            peer.toClient.close();
            obs.await("exit", WAIT, o -> !o.exitCodes.isEmpty());
            assertEquals(TorState.EXITED, tor.state());
            assertThrows(TorExitedException.class, tor::socksAddress);
            TorException notRunning = assertThrows(TorException.class,
                    () -> tor.publish(OnionServiceSpec.builder(new byte[64], new ServiceId(ID), 1, HostPort.loopback(1)).build()));
            assertTrue(notRunning.getMessage().contains("exited"), notRunning.getMessage());
            tor.stop();
            assertEquals(TorState.STOPPED, tor.state());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void observerThatThrowsDoesNotSilenceOthers() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ScriptedTor tor = new ScriptedTor(new Peer(), pool);
            tor.addObserver(new org.allium.tor.api.TorObserver() {
                @Override
                public void onStateChanged(TorState state) {
                    throw new IllegalStateException("bad observer");
                }
            });
            RecordingObserver good = new RecordingObserver();
            tor.addObserver(good);
            tor.start();
            good.await("STARTED", WAIT, o -> o.states.contains(TorState.STARTED));
            tor.stop();
        } finally {
            pool.shutdownNow();
        }
    }

}
