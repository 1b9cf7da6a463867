package org.allium.desktop.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.allium.core.api.FileNames;

/**
 * "Save a cleaned copy": Debian's {@code mat2} (metadata anonymisation toolkit) removes the
 * metadata of a received file — author names, GPS positions, software, dates — from a copy,
 * leaving the original as received.
 *
 * <p>mat2 never sees anything a peer chose: the original is written into a private temporary
 * directory (mode 700, under {@code $XDG_RUNTIME_DIR} when set — memory on most desktops and
 * on Tails — else {@code java.io.tmpdir}) under a generated name, {@code file.EXT}, where EXT is
 * the offered name's extension if it is plain ASCII letters and digits; mat2 runs there with
 * {@code --} before that name, no shell, and a clean environment (only PATH, HOME and TMPDIR
 * pointing into the private directory, and a UTF-8 locale). Its output is read bounded and
 * its run bounded in time; the directory is deleted afterwards, whatever happened. The cleaned
 * copy reaches its target atomically (a temporary file in the target's folder, then a rename).
 *
 * <p>Thread-safe. {@link #clean} and {@link #supportedExtensions} block (they run mat2):
 * call them off the event thread.
 */
public final class Mat2Cleaner {
    private static final Logger LOG = Logger.getLogger(Mat2Cleaner.class.getName());
    /** Longest a mat2 run may take. */
    public static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Most of mat2's output read (the rest is ignored). */
    static final int MAX_OUTPUT = 64 * 1024;
    /** Most metadata lines reported. */
    static final int MAX_LINES = 200;
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,8}");
    private static final Pattern LISTED = Pattern.compile("\\(([^)]*)\\)\\s*$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a cleaned copy could not be made. */
    public enum Reason {
        /** mat2 is not installed. */
        MISSING,
        /** mat2 does not handle this type of file (or the name has no usable extension). */
        UNSUPPORTED,
        /** mat2 ran and failed (damaged file, missing library…). */
        FAILED,
        /** mat2 took longer than {@link #TIMEOUT}. */
        TIMEOUT
    }

    /** A cleaned copy that could not be made; {@link #detail} is mat2's own last words, if any. */
    public static final class CleanException extends Exception {
        private final Reason reason;
        private final String detail;

        CleanException(Reason reason, String detail) {
            super(reason + (detail.isEmpty() ? "" : ": " + detail));
            this.reason = reason;
            this.detail = detail;
        }

        public Reason reason() {
            return reason;
        }

        /** mat2's last line of output (about our generated file name only), or "". Outside text: show as plain text. */
        public String detail() {
            return detail;
        }
    }

    /** Writes the original into a file of the cleaner's private directory (e.g. core's export). */
    @FunctionalInterface
    public interface Original {
        void writeTo(Path file) throws Exception;
    }

    /**
     * A cleaned copy written to {@code written}. {@code removed}: the metadata mat2 found in the
     * original ("Author: Jane"), {@code remaining}: what it still finds in the copy (usually
     * nothing). Both are text from the file: show them as plain text.
     */
    public record Result(Path written, List<String> removed, List<String> remaining) {
        public Result {
            removed = List.copyOf(removed);
            remaining = List.copyOf(remaining);
        }
    }

    private final Path executable;
    private final Path tempRoot;
    private volatile Set<String> supported;

    /**
     * @param executable mat2, or null when it is not installed
     * @param tempRoot   where the private directories are made
     */
    public Mat2Cleaner(Path executable, Path tempRoot) {
        this.executable = executable;
        this.tempRoot = tempRoot;
    }

    /** The system's mat2 (the first on PATH, else /usr/bin/mat2), or a cleaner that says it is missing. */
    public static Mat2Cleaner system() {
        return new Mat2Cleaner(find(), defaultTempRoot());
    }

    static Path find() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.add("/usr/bin");
        for (String d : dirs) {
            if (d.isEmpty() || !d.startsWith("/")) {
                continue; // a relative PATH entry would run whatever sits in the working directory
            }
            Path p = Path.of(d, "mat2");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Where private directories go: {@code $XDG_RUNTIME_DIR} when usable (memory on most desktops), else the temp dir. */
    public static Path defaultTempRoot() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))
                && Files.isWritable(Path.of(runtime))) {
            return Path.of(runtime);
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Whether mat2 is installed (a cheap check of the file; nothing runs). */
    public boolean available() {
        return executable != null && Files.isExecutable(executable);
    }

    /**
     * The extensions mat2 says it cleans ({@code mat2 --list}), lower case without dots; empty
     * when mat2 is missing or the list could not be read. Runs mat2 once; blocks.
     */
    public Set<String> supportedExtensions() throws InterruptedException {
        Set<String> s = supported;
        if (s != null) {
            return s;
        }
        if (!available()) {
            return Set.of();
        }
        Set<String> found = new HashSet<>();
        try {
            Path dir = privateDir();
            try {
                Run r = run(dir, "--list");
                if (r.exit() == 0) {
                    for (String line : r.output().split("\n")) {
                        Matcher m = LISTED.matcher(line);
                        if (line.strip().startsWith("- ") && m.find()) {
                            for (String e : m.group(1).split(",")) {
                                String ext = e.strip().replaceFirst("^\\.", "").toLowerCase(Locale.ROOT);
                                if (EXTENSION.matcher(ext).matches()) {
                                    found.add(ext);
                                }
                            }
                        }
                    }
                }
            } finally {
                deleteTree(dir);
            }
        } catch (IOException | CleanException e) {
            LOG.info("mat2 --list failed: " + e.getClass().getSimpleName());
            return Set.of();
        }
        s = Set.copyOf(found);
        if (!s.isEmpty()) {
            supported = s;
        }
        return s;
    }

    /**
     * The extension of {@code offeredName} that the copy is given ("pdf"), or "" when it has
     * none that is plain ASCII letters and digits. Pure.
     */
    public static String extensionOf(String offeredName) {
        String ext = FileNames.extension(offeredName);
        return EXTENSION.matcher(ext).matches() ? ext : "";
    }

    /**
     * Makes a cleaned copy of a file and writes it to {@code target} (replaced if it exists:
     * the user was asked). The original is written by {@code original} into the private
     * directory only, and never changed where it lives. Blocks for as long as mat2 runs.
     *
     * @param offeredName the file's name as offered (only its extension is used)
     * @throws CleanException mat2 is missing, does not handle the type, failed or took too long
     * @throws IOException    the private directory or the target could not be written
     */
    public Result clean(String offeredName, Original original, Path target)
            throws CleanException, IOException, InterruptedException {
        if (!available()) {
            throw new CleanException(Reason.MISSING, "");
        }
        String ext = extensionOf(offeredName);
        if (ext.isEmpty()) {
            throw new CleanException(Reason.UNSUPPORTED, "");
        }
        Path dir = privateDir();
        try {
            String name = "file." + ext;
            Path file = dir.resolve(name);
            try {
                original.writeTo(file);
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("the original could not be written: " + e.getClass().getSimpleName(), e);
            }
            if (!Files.isRegularFile(file)) {
                throw new IOException("the original was not written");
            }
            List<String> before = metadata(dir, name);
            Run r = run(dir, "--", name);
            Path cleaned = dir.resolve("file.cleaned." + ext);
            if (r.exit() != 0 || !Files.isRegularFile(cleaned)) {
                String last = lastLine(r.output());
                throw new CleanException(last.contains("not supported") ? Reason.UNSUPPORTED : Reason.FAILED, last);
            }
            List<String> after = metadata(dir, cleaned.getFileName().toString());
            Path written = moveInto(cleaned, target);
            return new Result(written, before, after);
        } finally {
            deleteTree(dir);
        }
    }

    /** What {@code mat2 --show} finds in a file of the private directory ("Key: value" lines). */
    private List<String> metadata(Path dir, String name) throws CleanException, IOException, InterruptedException {
        Run r = run(dir, "--show", "--", name);
        if (r.exit() != 0) {
            String last = lastLine(r.output());
            throw new CleanException(last.contains("not supported") ? Reason.UNSUPPORTED : Reason.FAILED, last);
        }
        return parseShow(r.output());
    }

    /**
     * The metadata lines of {@code mat2 --show}'s output: every indented line after a
     * "[+] Metadata for" heading, stripped; nested files' lines are kept as they come. Pure.
     */
    static List<String> parseShow(String output) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : output.split("\n")) {
            if (line.startsWith("[+] Metadata for")) {
                in = true;
                continue;
            }
            if (!in || line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                in = false; // another heading or message
                continue;
            }
            String s = line.strip();
            out.add(s.length() > 300 ? s.substring(0, 300) + "…" : s);
            if (out.size() == MAX_LINES) {
                break;
            }
        }
        return out;
    }

    /** The key of a metadata line ("Author" of "Author: Jane"), or the line itself. Pure. */
    public static String key(String metadataLine) {
        int colon = metadataLine.indexOf(':');
        return colon > 0 ? metadataLine.substring(0, colon).strip() : metadataLine.strip();
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        // mat2 prefixes its messages with "[-] "; the rest names only our generated file.
        last = last.replaceFirst("^\\[-\\]\\s*", "");
        return last.length() > 300 ? last.substring(0, 300) + "…" : last;
    }

    private record Run(int exit, String output) {
    }

    /** Runs mat2 in {@code dir} with a clean environment; its output (stdout and stderr) read bounded. */
    private Run run(Path dir, String... args) throws CleanException, IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve(".mat2-output");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Map<String, String> env = pb.environment();
        env.clear(); // nothing of ours (no display, no bus, no names) reaches mat2
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("TMPDIR", dir.toString());
        env.put("LANG", "C.UTF-8");
        Process p = pb.start();
        try {
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new CleanException(Reason.TIMEOUT, "");
            }
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        String text;
        try (InputStream in = Files.newInputStream(out)) {
            text = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        }
        Files.deleteIfExists(out);
        return new Run(p.exitValue(), text);
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path privateDir() throws IOException {
        Files.createDirectories(tempRoot);
        return Files.createTempDirectory(tempRoot, "allium-clean-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Copies {@code cleaned} next to {@code target}, then renames it over {@code target}. */
    private static Path moveInto(Path cleaned, Path target) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        Path part = folder.resolve(".allium-" + HexFormat.of().formatHex(r) + ".part");
        try {
            Files.copy(cleaned, part);
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
        return target;
    }

    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warning("could not delete a cleaning directory: " + e.getClass().getSimpleName());
        }
    }
}
