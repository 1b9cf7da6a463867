package org.allium.contacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a child JVM inside a new user and mount
 * namespace ({@code unshare --user --map-root-user --mount}, no root needed where the kernel
 * allows unprivileged user namespaces), with a fresh tmpfs of the given size mounted on a
 * directory it gets as its first argument: a real file system that really fills up.
 */
final class NamespacedJvm {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private NamespacedJvm() {
    }

    static Result run(Path tmp, String size, String mainClass, String... args) throws IOException, InterruptedException {
        Path mount = Files.createDirectories(tmp.resolve("mnt"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                "mount -t tmpfs -o size=" + size + " tmpfs \"$0\" && exec \"$@\"", mount.toString(),
                java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass, mount.toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the child did not finish within 180 s:\n" + Files.readString(out)
                    + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
