package org.allium.testnet;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running tor process of the network and the files that describe it. Its methods may be
 * called from any thread; {@link #stop} blocks until the process is gone.
 */
final class TorProcess {
    private static final int LOG_TAIL_LINES = 20;

    private final String nickname;
    private final Path dataDirectory;
    private final Process process;

    private TorProcess(String nickname, Path dataDirectory, Process process) {
        this.nickname = nickname;
        this.dataDirectory = dataDirectory;
        this.process = process;
    }

    /**
     * Writes {@code torrc} into {@code dataDirectory} and starts tor on it, owned by this JVM:
     * tor polls the JVM's pid and exits when it is gone, even after kill -9.
     */
    static TorProcess launch(Path tor, String nickname, Path dataDirectory, List<String> torrc)
            throws IOException {
        Path torrcFile = dataDirectory.resolve("torrc");
        Files.write(torrcFile, torrc, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(tor.toString(), "-f", torrcFile.toString(),
                "__OwningControllerProcess", Long.toString(ProcessHandle.current().pid())));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dataDirectory.resolve("stdout.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new TorProcess(nickname, dataDirectory, pb.start());
    }

    String nickname() {
        return nickname;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines tor logged (notice log, else what it printed before opening it). */
    List<String> logTail() {
        List<String> tail = new ArrayList<>(Dirs.tail(dataDirectory.resolve("stdout.log"), LOG_TAIL_LINES));
        tail.addAll(Dirs.tail(dataDirectory.resolve("notice.log"), LOG_TAIL_LINES));
        return tail.subList(Math.max(0, tail.size() - LOG_TAIL_LINES), tail.size());
    }

    /** Whether tor's log says it could not bind one of its ports. */
    boolean failedToBind() {
        return logTail().stream().anyMatch(l -> l.contains("Address already in use")
                || l.contains("Could not bind"));
    }

    /** Sends SIGTERM without waiting. */
    void destroyGently() {
        process.destroy();
    }

    /** Sends SIGKILL without waiting. */
    void destroyNow() {
        process.destroyForcibly();
    }

    /** Sends SIGTERM, then SIGKILL after {@code graceMillis}; blocks until the process is gone. */
    void stop(long graceMillis) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Describes the failure of this node for an exception message. */
    String describeFailure(String what) {
        StringBuilder sb = new StringBuilder(nickname).append(": ").append(what);
        if (!process.isAlive()) {
            sb.append(" (tor exited with status ").append(process.exitValue()).append(')');
        }
        List<String> tail = logTail();
        if (!tail.isEmpty()) {
            sb.append("\n  last log lines of ").append(nickname).append(":");
            for (String l : tail) {
                sb.append("\n    ").append(l);
            }
        }
        return sb.toString();
    }
}
