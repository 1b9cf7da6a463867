package org.allium.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetException;
import org.allium.testnet.TestnetOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code allium testnet}: starts a private Tor network on 127.0.0.1 and keeps it up until
 * Ctrl-C; profiles join it with {@code --testnet FILE}.
 */
@Command(name = "testnet", description = {"Start a private Tor network on this machine (for trying Allium without "
        + "internet) and keep it up until Ctrl-C.",
        "Writes the torrc lines a client needs to FILE; then: allium --testnet FILE --profile DIR run"})
final class TestnetCommand implements Callable<Integer> {

    @ParentCommand
    AlliumCommand top;

    @Option(names = "--write", paramLabel = "FILE", required = true,
            description = "Where to write the client torrc lines (the file --testnet takes).")
    Path file;

    @Override
    public Integer call() throws CliException, InterruptedException {
        CliContext ctx = top.ctx;
        TestnetOptions options;
        try {
            options = TestnetOptions.defaults();
        } catch (TestnetException e) {
            throw new CliException(ExitCode.TOR_MISSING, "tor missing: " + e.getMessage(), e);
        }
        Cleanup cleanup = new Cleanup();
        CountDownLatch done = new CountDownLatch(1);
        if (ctx.processLevel()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cleanup.close();
                done.countDown();
            }, "allium-testnet-cleanup"));
        }
        try {
            Path dir = Files.createTempDirectory("allium-testnet-");
            cleanup.push(() -> Cleanup.deleteTree(dir));
            ctx.err().println("starting a private Tor network (3 authorities + 2 relays) …");
            Testnet net = Testnet.start(dir.resolve("network"), options);
            cleanup.push(net::close);
            cleanup.push(() -> Files.deleteIfExists(file));
            Files.write(file, net.clientTorrcLines(), StandardCharsets.UTF_8);
            ctx.err().printf("up in %d ms; client torrc lines in %s; Ctrl-C stops it%n",
                    net.bootstrapTime().toMillis(), file);
            ctx.out().println(file.toAbsolutePath());
            ctx.out().flush();
            done.await();
            return ExitCode.OK.code();
        } catch (TestnetException e) {
            throw new CliException(ExitCode.TOR_FAILED, "the private Tor network did not start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.ERROR, e.getMessage(), e);
        } finally {
            cleanup.close();
        }
    }
}
