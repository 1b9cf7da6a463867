package org.allium.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.allium.core.api.TorSettings;
import org.allium.core.dropline.DropSource;
import org.allium.core.dropline.SourceTor;
import org.allium.protocol.DropCodename;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.InvalidAddressException;
import org.allium.protocol.OnionAddress;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorNotFoundException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code allium drop …}: writing to a drop line as a source (no profile, nothing stored:
 * {@code send}, {@code check}) and running one as an operator of a drop-line profile
 * ({@code on}, {@code off}, {@code cases}, {@code show}, {@code reply}, …).
 */
@Command(name = "drop", description = "Write to a drop line anonymously, or run one (PROTOCOL.md §13).",
        subcommands = {DropCommand.Send.class, DropCommand.Check.class, DropCommand.Settings.class,
                DropCommand.Cases.class, DropCommand.Show.class, DropCommand.Reply.class, DropCommand.Note.class,
                DropCommand.State.class, DropCommand.Assign.class, DropCommand.Take.class, DropCommand.Delete.class,
                DropCommand.OperatorCmd.class, DropCommand.Files.class, DropCommand.Save.class})
final class DropCommand implements Callable<Integer> {
    /** How long a source keeps trying to reach the drop line (its descriptor, its rate limits). */
    static final Duration SOURCE_PATIENCE = Duration.ofMinutes(3);

    @ParentCommand
    AlliumCommand top;

    @Override
    public Integer call() {
        top.spec.commandLine().getSubcommands().get("drop").usage(top.ctx.out());
        return ExitCode.OK.code();
    }

    // ---- the source ----

    /** Base of the source's commands: a throw-away tor, the drop line's address, the codename. */
    abstract static class SourceCommand implements Callable<Integer> {
        @ParentCommand
        DropCommand drop;

        @Parameters(index = "0", paramLabel = "ADDRESS", description = "The drop line's allium: link or onion address.")
        String address;

        @Option(names = "--codename-fd", paramLabel = "N",
                description = "Read the codename from file descriptor N (first line) instead of a prompt.")
        Integer codenameFd;

        OnionAddress line() throws CliException {
            String a = address.trim();
            if (a.regionMatches(true, 0, "allium:", 0, 7)) {
                a = a.substring(7);
            }
            try {
                return OnionAddress.parse(a);
            } catch (InvalidAddressException e) {
                throw new CliException(ExitCode.BAD_ADDRESS, "not a drop line address: " + e.getMessage());
            }
        }

        /** The codename from --codename-fd or a prompt without echo. */
        DropCodename askCodename() throws CliException {
            CliContext ctx = drop.top.ctx;
            char[] typed;
            if (codenameFd != null) {
                try (InputStream in = ctx.fds().open(codenameFd)) {
                    typed = LineIo.readLineChars(in, 1024);
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "cannot read --codename-fd " + codenameFd + ": " + e.getMessage());
                }
                if (typed == null) {
                    throw new CliException(ExitCode.USAGE, "no codename: file descriptor " + codenameFd + " is empty");
                }
            } else {
                if (ctx.prompt() == null) {
                    throw new CliException(ExitCode.USAGE, "no codename: not a terminal; use --codename-fd N");
                }
                typed = ctx.prompt().read("Codename: ");
                if (typed == null) {
                    throw new CliException(ExitCode.USAGE, "no codename: end of input at the prompt");
                }
            }
            try {
                return DropCodename.parse(new String(typed));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage());
            } finally {
                Arrays.fill(typed, '\0');
            }
        }

        TorSettings torSettings() throws CliException {
            GlobalOptions g = drop.top.global;
            TorSettings s = TorConfig.fromOptions(g, drop.top.ctx);
            if (g.testnet != null) {
                s = s.withTestnetLines(TorConfig.testnetLines(g.testnet));
            }
            return s;
        }

        interface Exchange {
            DropSource.Answer run(DropSource source) throws IOException, InterruptedException;
        }

        /** Starts a throw-away tor, runs the exchange (retrying while the drop line is unreachable), stops tor. */
        DropSource.Answer exchange(Exchange x) throws CliException, InterruptedException {
            return exchange(x, () -> 0L);
        }

        /**
         * As {@link #exchange(Exchange)}; the patience counts from the last time {@code progressed}
         * (System.nanoTime of the last byte confirmed, 0 for none) if later: an upload that moves
         * keeps retrying after each lost connection.
         */
        DropSource.Answer exchange(Exchange x, java.util.function.LongSupplier progressed)
                throws CliException, InterruptedException {
            SecureRandom random = new SecureRandom();
            try (SourceTor tor = SourceTor.start(torSettings(), Duration.ofMinutes(3))) {
                DropSource source = new DropSource(tor::dial, random, Duration.ofSeconds(30));
                long start = System.nanoTime();
                while (true) {
                    try {
                        return x.run(source);
                    } catch (DropSource.SourceChangedException e) {
                        throw new CliException(ExitCode.USAGE, "not all sent: " + e.getMessage()
                                + "; what arrived stays at the drop line — send the files as they are now");
                    } catch (IOException e) {
                        long last = progressed.getAsLong();
                        long deadline = (last != 0 && last - start > 0 ? last : start) + SOURCE_PATIENCE.toNanos();
                        if (System.nanoTime() - deadline > 0) {
                            throw new CliException(ExitCode.TIMEOUT, "could not reach the drop line: " + e.getMessage());
                        }
                        Thread.sleep(3000);
                    }
                }
            } catch (TorNotFoundException e) {
                throw new CliException(ExitCode.TOR_MISSING, e.getMessage());
            } catch (TorException e) {
                throw new CliException(ExitCode.TOR_FAILED, e.getMessage());
            } catch (IOException e) {
                throw new CliException(ExitCode.ERROR, e.getMessage());
            }
        }

        /** The refusal's fixed sentence, with the drop line's per-file limit when it said one (§13.1). */
        static String refusalText(DropSource.Answer a) {
            String text = a.refusal().text();
            return a.maxFileSize() > 0 ? text + " It takes attachments of at most " + a.maxFileSize() + " bytes." : text;
        }

        ExitCode print(DropSource.Answer a, DropCodename fresh) {
            CliContext ctx = drop.top.ctx;
            PrintStream out = ctx.out();
            if (drop.top.global.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                if (fresh != null) {
                    m.put("codename", fresh.text());
                }
                m.put("stored", a.stored());
                if (a.refusal() != null) {
                    m.put("refused", a.refusal().name().toLowerCase(Locale.ROOT));
                    m.put("reason", refusalText(a));
                    if (a.maxFileSize() > 0) {
                        m.put("max_file_size", a.maxFileSize());
                    }
                }
                m.put("status", a.status().name().toLowerCase(Locale.ROOT));
                m.put("acknowledgement", a.acknowledgement());
                List<Object> replies = new ArrayList<>();
                for (DropSource.Reply r : a.replies()) {
                    Map<String, Object> rm = new LinkedHashMap<>();
                    rm.put("composed_at", r.composed().toString());
                    rm.put("text", r.text());
                    replies.add(rm);
                }
                m.put("replies", replies);
                List<Object> files = new ArrayList<>();
                for (DropSource.FileStatus f : a.files()) {
                    Map<String, Object> fm = new LinkedHashMap<>();
                    fm.put("id", java.util.HexFormat.of().formatHex(f.id()));
                    fm.put("name", f.name());
                    fm.put("size", f.size());
                    fm.put("received", f.received());
                    fm.put("complete", f.complete());
                    files.add(fm);
                }
                m.put("files", files);
                out.println(Json.write(m));
                return a.refusal() == null ? ExitCode.OK : ExitCode.REFUSED;
            }
            if (fresh != null) {
                out.println("Your codename (write it down now; it is shown only this once and is the only way back):");
                out.println();
                out.println("    " + fresh.text());
                out.println();
            }
            if (a.refusal() != null) {
                ctx.err().println("allium: not sent: " + refusalText(a));
                return ExitCode.REFUSED;
            }
            if (a.stored()) {
                out.println("Sent.");
            }
            if (!a.acknowledgement().isEmpty()) {
                out.println("The drop line says: " + Text.safe(a.acknowledgement(), false));
            }
            out.println("Status: " + a.status().name().toLowerCase(Locale.ROOT));
            if (a.replies().isEmpty()) {
                out.println("No replies yet.");
            }
            for (DropSource.Reply r : a.replies()) {
                out.println();
                out.println("Reply of " + r.composed() + ":");
                out.println(Text.safe(r.text(), true));
            }
            if (!a.files().isEmpty()) {
                out.println();
                out.println("Attachments (as the drop line has them):");
                for (DropSource.FileStatus f : a.files()) {
                    out.println("  " + Text.safe(f.name(), false) + "  " + f.received() + "/" + f.size() + " bytes  "
                            + (f.complete() ? "complete" : "incomplete (send the same text and files again with "
                            + "--again to resume)"));
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "send", description = "Send text to a drop line. Prints a new codename once, unless --again.")
    static final class Send extends SourceCommand {
        @Option(names = {"-m", "--message"}, paramLabel = "TEXT",
                description = "The text; read from standard input when absent.")
        String text;

        @Option(names = "--again", description = "Write into your existing case: asks for your codename "
                + "(or reads it from --codename-fd).")
        boolean again;

        @Option(names = "--file", paramLabel = "PATH", description = "Attach a file (repeatable, up to 16). The upload "
                + "resumes by itself after a lost connection; after an interruption, the same text and files sent "
                + "again with --again go on where the drop line stopped.")
        List<java.nio.file.Path> files = new ArrayList<>();

        @Override
        public Integer call() throws CliException, InterruptedException {
            OnionAddress line = line();
            String t = text;
            if (t == null) {
                try {
                    byte[] in = drop.top.ctx.in().readNBytes(DropSourceLimits.MAX_TEXT_BYTES + 1);
                    t = new String(in, StandardCharsets.UTF_8).stripTrailing();
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "cannot read the text from standard input");
                }
            }
            if (t.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "empty text");
            }
            if (t.getBytes(StandardCharsets.UTF_8).length > DropSourceLimits.MAX_TEXT_BYTES) {
                throw new CliException(ExitCode.USAGE, "the text is longer than " + DropSourceLimits.MAX_TEXT_BYTES + " bytes");
            }
            List<DropSource.Attachment> attachments = attachments();
            DropCodename fresh = again || codenameFd != null ? null : DropCodename.generate(new SecureRandom());
            DropCodename codename = fresh != null ? fresh : askCodename();
            IdentityKeyPair key = codename.sourceKey(line);
            String body = t;
            if (!attachments.isEmpty()) {
                // The ids derive from the codename's key, the text and the files (PROTOCOL.md §13.5):
                // every retry, in this process or a later one, resumes the same upload.
                UploadProgress progress = new UploadProgress(drop.top.ctx.err(), drop.top.global.json, attachments);
                DropSource.Answer a = exchange(source -> source.submit(line, key, body, attachments, progress),
                        progress::lastProgress);
                progress.done();
                return print(a, fresh).code();
            }
            byte[][] id = new byte[1][];
            DropSource.Answer a = exchange(source -> {
                if (id[0] == null) {
                    id[0] = source.newId(); // one id for every retry: stored once
                }
                return source.submit(line, key, id[0], body);
            });
            return print(a, fresh).code();
        }

        /** Reads and hashes every --file once (before tor starts: a missing file fails at once). */
        private List<DropSource.Attachment> attachments() throws CliException {
            if (files.size() > org.allium.protocol.Limits.MAX_DROP_FILES) {
                throw new CliException(ExitCode.USAGE, "at most " + org.allium.protocol.Limits.MAX_DROP_FILES
                        + " files in one submission");
            }
            List<DropSource.Attachment> out = new ArrayList<>();
            for (java.nio.file.Path f : files) {
                if (!java.nio.file.Files.isRegularFile(f)) {
                    throw new CliException(ExitCode.USAGE, "not a file: " + f);
                }
                try {
                    out.add(DropSource.attach(f));
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "cannot attach " + f + ": " + e.getMessage());
                }
            }
            return out;
        }
    }

    /**
     * The upload's progress on stderr (stdout keeps the one result): a line per file at most
     * once a second and at its end; with --json, JSON lines {@code {"v":1,"type":"drop_upload_progress",
     * "file":i,"name","sent","size"}}. Called on the uploading thread.
     */
    static final class UploadProgress implements DropSource.UploadListener {
        private final PrintStream err;
        private final boolean json;
        private final List<DropSource.Attachment> files;
        private final long[] lastPrinted;
        private final long[] lastSent;

        UploadProgress(PrintStream err, boolean json, List<DropSource.Attachment> files) {
            this.err = err;
            this.json = json;
            this.files = files;
            this.lastPrinted = new long[files.size()];
            this.lastSent = new long[files.size()];
            Arrays.fill(lastSent, -1);
        }

        private volatile long lastProgress;

        /** System.nanoTime() of the last confirmed byte, 0 for none yet. */
        long lastProgress() {
            return lastProgress;
        }

        @Override
        public void progress(int index, long sent, long size) {
            long now = System.nanoTime();
            if (sent > 0) {
                lastProgress = now == 0 ? 1 : now;
            }
            if (sent == lastSent[index] || (sent < size && lastPrinted[index] != 0
                    && now - lastPrinted[index] < 1_000_000_000L)) {
                return;
            }
            lastPrinted[index] = now;
            lastSent[index] = sent;
            String name = files.get(index).prepared().spec().name();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("v", 1L);
                m.put("type", "drop_upload_progress");
                m.put("file", (long) index);
                m.put("name", name);
                m.put("sent", sent);
                m.put("size", size);
                err.println(Json.write(m));
            } else {
                err.println("uploading " + (index + 1) + "/" + files.size() + " " + Text.safe(name, false) + ": "
                        + (size == 0 ? 100 : sent * 100 / size) + "% (" + sent + " of " + size + " bytes)");
            }
        }

        void done() {
            err.flush();
        }
    }

    /** The wire's limit for a submission's text (PROTOCOL.md §5). */
    static final class DropSourceLimits {
        static final int MAX_TEXT_BYTES = org.allium.protocol.Limits.MAX_DROP_TEXT_BYTES;

        private DropSourceLimits() {
        }
    }

    @Command(name = "check", description = "Check a drop line for replies and the status of your case (asks for "
            + "your codename). A wrong codename shows the same as \"no replies yet\".")
    static final class Check extends SourceCommand {
        @Override
        public Integer call() throws CliException, InterruptedException {
            OnionAddress line = line();
            IdentityKeyPair key = askCodename().sourceKey(line);
            return print(exchange(source -> source.checkIn(line, key)), null).code();
        }
    }

    // ---- the operators ----

    /** Base of the operators' commands: one {@code drop.*} operation on the drop-line profile. */
    /** An operator command whose answer is the case it changed, printed as {@code show} does. */
    abstract static class CaseCommand extends OperatorCommand {
        @Override
        @SuppressWarnings("unchecked")
        void printText(Map<String, Object> r, PrintStream out) {
            printCase((Map<String, Object>) r.get("case"), out);
        }
    }

    abstract static class OperatorCommand implements Callable<Integer> {
        @ParentCommand
        DropCommand drop;

        abstract String operation();

        abstract Map<String, Object> arguments() throws CliException;

        abstract void printText(Map<String, Object> r, PrintStream out);

        @Override
        public Integer call() throws CliException, InterruptedException {
            CliContext ctx = drop.top.ctx;
            try (Target target = Target.open(drop.top.global, ctx)) {
                Map<String, Object> r = target.call(operation(), arguments());
                if (drop.top.global.json) {
                    ctx.out().println(Json.write(r));
                } else {
                    printText(r, ctx.out());
                }
                return ExitCode.OK.code();
            }
        }

        String readText(String option) throws CliException {
            if (option != null) {
                return option;
            }
            try {
                byte[] in = drop.top.ctx.in().readNBytes(16 * 1024);
                return new String(in, StandardCharsets.UTF_8).stripTrailing();
            } catch (IOException e) {
                throw new CliException(ExitCode.USAGE, "cannot read the text from standard input");
            }
        }

        static void printCase(Map<String, Object> c, PrintStream out) {
            out.println("#" + c.get("case") + "  " + Text.safe(String.valueOf(c.get("pseudonym")), false)
                    + "  " + c.get("state") + (Boolean.TRUE.equals(c.get("unread")) ? " (unread)" : "")
                    + "  " + c.get("submissions") + " in, " + c.get("replies") + " replies"
                    + (c.get("assigned_to") != null ? ", assigned to " + Text.safe(String.valueOf(c.get("assigned_to")), false)
                    : c.get("assignee") != null ? ", assigned to contact " + c.get("assignee") : ""));
        }
    }

    @Command(name = "settings", description = "Show or change the drop line of this profile: --on/--off, "
            + "--acknowledgement TEXT, --retention DAYS (closed cases deleted after; 0 keeps them).")
    static final class Settings extends OperatorCommand {
        @Option(names = "--on", description = "Switch the drop line on (its identity onion takes submissions).")
        boolean on;

        @Option(names = "--off", description = "Switch it off.")
        boolean off;

        @Option(names = "--acknowledgement", paramLabel = "TEXT", description = "The automatic answer to sources.")
        String acknowledgement;

        @Option(names = "--retention", paramLabel = "DAYS", description = "Delete closed cases after DAYS days.")
        String retention;

        @Override
        String operation() {
            return "drop.settings";
        }

        @Override
        Map<String, Object> arguments() throws CliException {
            if (on && off) {
                throw new CliException(ExitCode.USAGE, "--on or --off, not both");
            }
            return Commands.map("on", on ? Boolean.TRUE : off ? Boolean.FALSE : null,
                    "acknowledgement", acknowledgement, "retention", retention);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println("drop line: " + (Boolean.TRUE.equals(r.get("on")) ? "on" : "off"));
            out.println("address:   " + r.get("address"));
            out.println("answer:    " + Text.safe(String.valueOf(r.get("acknowledgement")), false));
            out.println("retention: " + r.get("retention_days") + " days (0: kept)");
        }
    }

    @Command(name = "cases", description = "List the drop line's cases, most recent first.")
    static final class Cases extends OperatorCommand {
        @Override
        String operation() {
            return "drop.cases";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map();
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            List<Map<String, Object>> list = Commands.list(r, "cases");
            if (list.isEmpty()) {
                out.println("No cases.");
            }
            for (Map<String, Object> c : list) {
                printCase(c, out);
            }
        }
    }

    @Command(name = "show", description = "Show a case: submissions, replies and notes (marks it read).")
    static final class Show extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Override
        String operation() {
            return "drop.show";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("case", caseId);
        }

        @Override
        @SuppressWarnings("unchecked")
        void printText(Map<String, Object> r, PrintStream out) {
            printCase((Map<String, Object>) r.get("case"), out);
            for (Map<String, Object> i : Commands.list(r, "items")) {
                out.println();
                out.println("[" + i.get("kind") + " " + i.get("stored_at")
                        + (i.get("by") != null ? " by " + Text.safe(String.valueOf(i.get("by")), false) : "") + "]");
                out.println(Text.safe(String.valueOf(i.get("text")), true));
            }
        }
    }

    @Command(name = "reply", description = "Reply to a case; the source reads it at its next check-in.")
    static final class Reply extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "The reply; standard input when absent.")
        String text;

        String kind() {
            return "drop.reply";
        }

        @Override
        String operation() {
            return kind();
        }

        @Override
        Map<String, Object> arguments() throws CliException {
            String t = readText(text);
            if (t.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "empty text");
            }
            return Commands.map("case", caseId, "text", t);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println("case " + r.get("case") + ": " + (operation().equals("drop.reply")
                    ? "reply stored; the source gets it at its next check-in" : "note stored (team only)"));
        }
    }

    @Command(name = "note", description = "Add a note to a case, for the team only.")
    static final class Note extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "The note; standard input when absent.")
        String text;

        @Override
        String operation() {
            return "drop.note";
        }

        @Override
        Map<String, Object> arguments() throws CliException {
            String t = readText(text);
            if (t.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "empty text");
            }
            return Commands.map("case", caseId, "text", t);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println("case " + r.get("case") + ": note stored (team only)");
        }
    }

    @Command(name = "state", description = "Set a case's state: new, read, replied or closed.")
    static final class State extends CaseCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Parameters(index = "1", paramLabel = "STATE")
        String state;

        @Override
        String operation() {
            return "drop.state";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("case", caseId, "state", state);
        }
    }

    @Command(name = "assign", description = "Assign a case to an operator (contact number), or to nobody without one.")
    static final class Assign extends CaseCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Parameters(index = "1", paramLabel = "OPERATOR", arity = "0..1")
        String operator;

        @Override
        String operation() {
            return "drop.assign";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("case", caseId, "operator", operator);
        }
    }

    @Command(name = "delete", description = "Delete a case and everything in it now.")
    static final class Delete extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Override
        String operation() {
            return "drop.delete";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("case", caseId);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println("case " + r.get("case") + " deleted");
        }
    }

    @Command(name = "take", description = "Take a case (\"I take this one\"): assign it to yourself; an operator's "
            + "choice reaches the drop line and the team.")
    static final class Take extends CaseCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Override
        String operation() {
            return "drop.take";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("case", caseId);
        }
    }

    @Command(name = "files", description = "List the attachments of a case: id, how much arrived, the source's "
            + "file name (shown as text; save with drop save).")
    static final class Files extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "CASE")
        String caseId;

        @Override
        String operation() {
            return "drop.files";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("case", caseId);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            List<Map<String, Object>> list = Commands.list(r, "files");
            if (list.isEmpty()) {
                out.println("No attachments in case " + r.get("case") + ".");
            }
            for (Map<String, Object> f : list) {
                out.println(f.get("id") + "  " + f.get("received") + "/" + f.get("size") + "  "
                        + (Boolean.TRUE.equals(f.get("complete")) ? "complete  " : "incomplete  ")
                        + Text.safe(String.valueOf(f.get("name")), false));
            }
        }
    }

    @Command(name = "save", description = "Save a complete attachment (its id from drop files) into a directory, under "
            + "a safe version of the source's name (\"name (1).ext\" if taken; never replaces a file). The source's "
            + "name is never used as a path; files can carry identifying metadata.")
    static final class Save extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String file;

        @Parameters(index = "1", paramLabel = "DIR")
        String dir;

        @Override
        String operation() {
            return "drop.save";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("file", file, "path", FileCommands.abs(dir));
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println(Text.safe(String.valueOf(r.get("path")), false));
        }
    }

    @Command(name = "operator", description = "Team mode: add, remove or list the contacts that are operators of this "
            + "drop line (each gets every case; removing one stops everything to it at once).")
    static final class OperatorCmd extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "ACTION", description = "add, remove or list")
        String action;

        @Parameters(index = "1", paramLabel = "CONTACT", arity = "0..1", description = "Contact number, link or nickname.")
        String contact;

        @Override
        String operation() {
            return "drop.operator." + action;
        }

        @Override
        Map<String, Object> arguments() throws CliException {
            switch (action) {
                case "add", "remove" -> {
                    if (contact == null) {
                        throw new CliException(ExitCode.USAGE, "which contact?");
                    }
                    return Commands.map("contact", Commands.contactRef(contact));
                }
                case "list" -> {
                    return Commands.map();
                }
                default -> throw new CliException(ExitCode.USAGE, "an action is add, remove or list");
            }
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            if (r.get("contact") != null) {
                out.println("contact " + r.get("contact") + (Boolean.TRUE.equals(r.get("changed"))
                        ? (action.equals("add") ? " is now an operator" : " is no longer an operator")
                        : (action.equals("add") ? " already was an operator" : " was not an operator")));
            }
            out.println("operators: " + (((List<?>) r.get("operators")).isEmpty() ? "none" : r.get("operators")));
        }
    }
}
