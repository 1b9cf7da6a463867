package org.allium.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command touches outside the JVM: the standard streams, the environment,
 * the terminal and file descriptors. The real process uses {@link #system()}; tests pass
 * their own so they can run commands in-process.
 *
 * @param prompt        reads a passphrase without echo; {@code null} when there is no terminal
 * @param fds           opens an inherited file descriptor by number
 * @param processLevel  true in the real process: commands may install shutdown hooks
 * @param engine        the core API
 */
record CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                  PassphrasePrompt prompt, FdOpener fds, boolean processLevel, Engine engine) {

    CliContext {
        Objects.requireNonNull(in);
        Objects.requireNonNull(out);
        Objects.requireNonNull(err);
        env = Map.copyOf(env);
        Objects.requireNonNull(fds);
        Objects.requireNonNull(engine);
    }

    /** Reads a passphrase from the user with no echo. */
    @FunctionalInterface
    interface PassphrasePrompt {
        /** @return the characters typed, or null at end of input */
        char[] read(String prompt);
    }

    /** Opens an inherited file descriptor. */
    @FunctionalInterface
    interface FdOpener {
        InputStream open(int fd) throws IOException;
    }

    static CliContext system() {
        Console console = System.console();
        PassphrasePrompt prompt = console == null ? null : p -> console.readPassword("%s", p);
        FdOpener fds = fd -> {
            if (fd == 0) {
                return System.in;
            }
            // Linux exposes inherited descriptors here; reading it does not close the original.
            Path path = Path.of("/proc/self/fd/" + fd);
            if (!Files.exists(path)) {
                throw new IOException("file descriptor " + fd + " is not open");
            }
            return Files.newInputStream(path);
        };
        return new CliContext(System.in, System.out, System.err, System.getenv(), prompt, fds, true, Engine.real());
    }

    String env(String name) {
        return env.get(name);
    }
}
