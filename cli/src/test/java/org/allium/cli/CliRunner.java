package org.allium.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs the command line in-process with chosen environment, input and engine; captures output. */
final class CliRunner {

    /** The outcome of one run. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    final Engine engine;
    final Map<String, String> env = new HashMap<>();
    final Map<Integer, String> fds = new HashMap<>();
    String stdin = "";
    CliContext.PassphrasePrompt prompt;

    CliRunner(Engine engine) {
        this.engine = engine;
    }

    CliRunner env(String k, String v) {
        env.put(k, v);
        return this;
    }

    CliContext context(PrintStream out, PrintStream err) {
        CliContext.FdOpener opener = fd -> {
            String content = fds.get(fd);
            if (content == null) {
                throw new IOException("file descriptor " + fd + " is not open");
            }
            return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
        };
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return new CliContext(in, out, err, env, prompt, opener, false, engine);
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, context(o, e));
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
