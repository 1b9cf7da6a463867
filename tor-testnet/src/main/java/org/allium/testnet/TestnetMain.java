package org.allium.testnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a private Tor network for manual trials, prints the torrc lines a client needs to
 * join it, and keeps it up until Ctrl-C (or SIGTERM).
 *
 * <pre>java -cp tor-testnet/target/classes org.allium.testnet.TestnetMain [workDir]</pre>
 */
public final class TestnetMain {
    private TestnetMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("allium-testnet-");
        System.err.println("starting a private Tor network in " + dir + " ...");
        Testnet net;
        try {
            net = Testnet.start(dir);
        } catch (TestnetException e) {
            System.err.println("could not start the network: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping the private Tor network ...");
            net.close();
            stopped.countDown();
        }, "testnet-shutdown"));
        System.err.printf("up: keys %d ms, launch to bootstrapped %d ms%n",
                net.keyGenerationTime().toMillis(), net.bootstrapTime().toMillis());
        for (TestnetNode n : net.nodes()) {
            System.err.printf("  %-7s %-9s pid %-7d ORPort %d%s ControlPort %d%n", n.nickname(), n.role(),
                    n.pid(), n.orPort(), n.dirPort() > 0 ? " DirPort " + n.dirPort() : "", n.controlPort());
        }
        System.err.println("torrc lines for a client (stdout); Ctrl-C stops the network:");
        net.clientTorrcLines().forEach(System.out::println);
        System.out.flush();
        stopped.await();
    }
}
