package org.allium.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetException;
import org.allium.testnet.TestnetOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code allium demo}: a private Tor network on this machine, two throw-away profiles, and
 * a whole exchange between them, each step printed with its timing. Needs tor, no internet.
 * Everything it starts or creates is removed at the end, on failure, and on Ctrl-C.
 */
@Command(name = "demo", description = {"Show a whole exchange — contact request, acceptance, messages both ways "
        + "with delivery status — between two throw-away profiles on a private Tor network started on this machine.",
        "Needs tor, no internet. Removes everything it created when done or interrupted."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    AlliumCommand top;

    @Option(names = "--step-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give up when one step takes longer (default ${DEFAULT-VALUE}).")
    int stepTimeoutSeconds;

    /** Held so the level set below is not lost when the logger is garbage-collected. */
    private static final java.util.logging.Logger TESTNET_LOG = java.util.logging.Logger.getLogger("org.allium.testnet");

    @Override
    public Integer call() throws CliException, InterruptedException {
        CliContext ctx = top.ctx;
        // The demo prints its own steps; the network's progress lines would only add noise.
        TESTNET_LOG.setLevel(java.util.logging.Level.WARNING);
        Cleanup cleanup = new Cleanup();
        Thread hook = null;
        if (ctx.processLevel()) {
            hook = new Thread(() -> {
                ctx.out().println("interrupted: cleaning up …");
                cleanup.close();
            }, "allium-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            new Run(ctx, cleanup, Duration.ofSeconds(stepTimeoutSeconds), top.global.torBinary).run();
            return ExitCode.OK.code();
        } finally {
            cleanup.close();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running the cleanup already.
                }
            }
        }
    }

    /** One demo run. */
    static final class Run {
        private final CliContext ctx;
        private final PrintStream out;
        private final Cleanup cleanup;
        private final Duration stepTimeout;
        private final Path torBinary;
        private final long t0 = System.nanoTime();
        private long stepStart;

        Run(CliContext ctx, Cleanup cleanup, Duration stepTimeout, Path torBinary) {
            this.ctx = ctx;
            this.out = ctx.out();
            this.cleanup = cleanup;
            this.stepTimeout = stepTimeout;
            this.torBinary = torBinary;
        }

        private static String secs(long nanos) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }

        private void step(String what) {
            stepStart = System.nanoTime();
            out.printf(Locale.ROOT, "[%7.1f s] %s%n", (stepStart - t0) / 1e9, what);
        }

        private void note(String what) {
            long now = System.nanoTime();
            out.printf(Locale.ROOT, "[%7.1f s]     %s (+%s)%n", (now - t0) / 1e9, what, secs(now - stepStart));
        }

        void run() throws CliException, InterruptedException {
            out.println("Allium demo: two throw-away profiles talk over a private Tor network on this machine.");
            out.println("Nothing here touches the internet or your own profile.");
            Path tmp;
            try {
                tmp = Files.createTempDirectory("allium-demo-");
            } catch (java.io.IOException e) {
                throw new CliException(ExitCode.ERROR, "cannot create a temporary directory: " + e.getMessage(), e);
            }
            cleanup.push(() -> Cleanup.deleteTree(tmp));

            TestnetOptions options;
            try {
                options = TestnetOptions.defaults();
            } catch (TestnetException e) {
                throw new CliException(ExitCode.TOR_MISSING, "tor missing: " + e.getMessage(), e);
            }
            step("starting a private Tor network on 127.0.0.1 (3 directory authorities + 2 relays)");
            Testnet net;
            try {
                net = Testnet.start(tmp.resolve("network"), options);
            } catch (TestnetException e) {
                throw new CliException(ExitCode.TOR_FAILED, "the private Tor network did not start: " + e.getMessage(), e);
            }
            cleanup.push(net::close);
            note(String.format(Locale.ROOT, "network up: %d tor processes, keys made in %s, bootstrapped in %s",
                    net.pids().size(), secs(net.keyGenerationTime().toNanos()), secs(net.bootstrapTime().toNanos())));

            step("creating two throw-away profiles, alice and bob, with random passphrases");
            TorSettings tor = TorSettings.ownTor().withTestnetLines(net.clientTorrcLines());
            if (torBinary != null) {
                tor = tor.withTorBinary(torBinary.toAbsolutePath());
            }
            Side alice = side("alice", tmp.resolve("alice"), tor);
            Side bob = side("bob", tmp.resolve("bob"), tor);
            note("alice is " + alice.link() + ", bob is " + bob.link());

            step("starting both messengers: each launches its own tor and publishes its onion services");
            alice.messenger.start();
            bob.messenger.start();
            await(alice, MessengerEvent.Ready.class, e -> true, "alice's tor to be ready");
            note("alice online");
            await(bob, MessengerEvent.Ready.class, e -> true, "bob's tor to be ready");
            note("bob online");

            step("alice sends bob a contact request: \"Hi Bob, it's Alice.\"");
            ContactId bobAtAlice = call(() -> alice.messenger.sendContactRequest(bob.link(), "alice",
                    "Hi Bob, it's Alice."));
            MessengerEvent.RequestReceived req = await(bob, MessengerEvent.RequestReceived.class, e -> true,
                    "bob to receive the request");
            note("bob received a request from \"" + Text.safe(req.request().nickname(), false) + "\" ("
                    + req.request().link().substring(0, 20) + "…): \"" + Text.safe(req.request().message(), false) + "\"");

            step("bob accepts");
            ContactId aliceAtBob = req.request().id();
            call(() -> {
                bob.messenger.accept(aliceAtBob);
                return null;
            });
            MessengerEvent.ContactAdded added = await(alice, MessengerEvent.ContactAdded.class,
                    e -> e.contact().id().equals(bobAtAlice), "alice to learn that bob accepted");
            note("alice: bob accepted, they are contacts now");
            Contact bobSeenByAlice = added.contact();
            note("safety fingerprint of bob, as alice sees it: " + bobSeenByAlice.fingerprint()
                    + (bobSeenByAlice.fingerprint().equals(bob.messenger.myIdentity().fingerprint())
                    ? " — matches what bob's own profile shows" : " — DOES NOT MATCH"));

            exchange(alice, bob, bobAtAlice, "Hello Bob! This only ever travelled through onion services.");
            exchange(bob, alice, aliceAtBob, "Hi Alice, received loud and clear.");

            step("cleaning up: stopping both messengers and the network, deleting every file");
            cleanup.close();
            note("cleaned up");
            out.printf(Locale.ROOT, "demo finished in %s%n", secs(System.nanoTime() - t0));
        }

        private void exchange(Side from, Side to, ContactId contact, String text)
                throws CliException, InterruptedException {
            step(from.name + " sends " + to.name + ": \"" + text + "\"");
            MessageId id = call(() -> from.messenger.sendMessage(contact, text));
            note("queued");
            boolean sentShown = false;
            while (true) {
                MessengerEvent.MessageStatusChanged s = await(from, MessengerEvent.MessageStatusChanged.class,
                        e -> e.message().equals(id) && (e.status() == MessageStatus.DELIVERED
                                || e.status() == MessageStatus.FAILED), "the message to be delivered");
                if (s.status() == MessageStatus.FAILED) {
                    throw new CliException(ExitCode.ERROR, "the message failed");
                }
                if (!sentShown && from.events.find(MessengerEvent.MessageStatusChanged.class,
                        e -> e.message().equals(id) && e.status() == MessageStatus.SENT).isPresent()) {
                    sentShown = true;
                }
                break;
            }
            MessengerEvent.MessageReceived got = await(to, MessengerEvent.MessageReceived.class,
                    e -> e.message().id().equals(id), to.name + " to receive it");
            note(to.name + " received: \"" + Text.safe(got.message().text(), false) + "\"");
            note((sentShown ? "sent, then " : "") + "delivered: " + to.name
                    + " acknowledged it after storing it");
        }

        private Side side(String name, Path dir, TorSettings tor) throws CliException {
            char[] pass = randomPassphrase();
            try {
                Profile p = ctx.engine().profiles().create(dir, pass, name);
                cleanup.push(p::close);
                Messenger m = ctx.engine().create(p, tor);
                cleanup.push(m::stop);
                EventWaiter w = new EventWaiter(m);
                cleanup.push(w::close);
                return new Side(name, m, w);
            } catch (MessengerException e) {
                throw Errors.map(e);
            } finally {
                Arrays.fill(pass, '\0');
            }
        }

        private static char[] randomPassphrase() {
            SecureRandom r = new SecureRandom();
            char[] c = new char[24];
            for (int i = 0; i < c.length; i++) {
                c[i] = (char) ('a' + r.nextInt(26));
            }
            return c;
        }

        private <T extends MessengerEvent> T await(Side side, Class<T> type, java.util.function.Predicate<T> cond,
                                                   String what) throws CliException, InterruptedException {
            Optional<MessengerEvent> e = side.events.await(ev -> type.isInstance(ev) && cond.test(type.cast(ev))
                    || Operations.isTorMissing(ev), stepTimeout);
            if (e.isEmpty()) {
                throw new CliException(ExitCode.TIMEOUT, "gave up waiting for " + what + " after "
                        + stepTimeout.toSeconds() + " s");
            }
            if (Operations.isTorMissing(e.get())) {
                throw new CliException(ExitCode.TOR_MISSING, "tor missing: "
                        + ((MessengerEvent.TorProblem) e.get()).message());
            }
            return type.cast(e.get());
        }

        /** A core call that may throw. */
        @FunctionalInterface
        private interface CoreCall<T> {
            T call() throws MessengerException;
        }

        private static <T> T call(CoreCall<T> c) throws CliException {
            try {
                return c.call();
            } catch (MessengerException e) {
                throw Errors.map(e);
            }
        }
    }

    /** One of the two demo profiles. */
    private record Side(String name, Messenger messenger, EventWaiter events) {
        String link() {
            return messenger.myIdentity().link();
        }
    }
}
