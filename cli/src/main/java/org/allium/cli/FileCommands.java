package org.allium.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The file-transfer commands (see {@link FileOperations} for the control operations). */
final class FileCommands {
    private FileCommands() {
    }

    /** Every file command, for the top command's subcommand list. */
    static final Class<?>[] ALL = {SendFile.class, Files.class, AcceptFile.class, DeclineFile.class,
        CancelFile.class, PauseFile.class, ResumeFile.class, SaveFile.class, FileLimits.class};

    static String abs(String p) {
        return Path.of(p).toAbsolutePath().normalize().toString();
    }

    static void printTransfer(Map<String, Object> t, PrintStream out) {
        long size = ((Number) t.get("size")).longValue();
        long done = ((Number) t.get("bytes_done")).longValue();
        String name = Text.safe(Commands.str(t, "name"), false);
        out.println(Commands.str(t, "id") + "  " + Commands.str(t, "contact_id") + "  "
                + ("outgoing".equals(t.get("direction")) ? "out" : "in ") + "  " + Commands.str(t, "state") + "  "
                + done + "/" + size + "  " + name
                + (Boolean.TRUE.equals(t.get("original_gone")) ? "  [original gone]" : "")
                + (t.get("reason") != null ? "  (" + Text.safe(Commands.str(t, "reason"), false) + ")" : ""));
    }

    @Command(name = "send-file", description = "Offer files to a contact; they are sent once accepted.")
    static final class SendFile extends OneShotCommand {
        @Parameters(index = "0", paramLabel = "CONTACT")
        String contact;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
        List<String> paths;

        @Override
        String operation() {
            return "send-file";
        }

        @Override
        Map<String, Object> arguments() {
            List<String> abs = new ArrayList<>();
            for (String p : paths) {
                abs.add(abs(p));
            }
            return Commands.map("contact", Commands.contactRef(contact), "paths", abs);
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            for (Map<String, Object> t : Commands.list(r, "files")) {
                printTransfer(t, out);
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "files", description = "List file transfers (of one contact if given).")
    static final class Files extends OneShotCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CONTACT")
        String contact;

        @Override
        String operation() {
            return "files";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("contact", contact == null ? null : Commands.contactRef(contact));
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            for (Map<String, Object> t : Commands.list(r, "files")) {
                printTransfer(t, out);
            }
            return ExitCode.OK;
        }
    }

    /** Base of the commands that act on one transfer by id. */
    abstract static class OnFile extends OneShotCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The transfer's id (from 'allium files').")
        String file;

        @Override
        Map<String, Object> arguments() {
            return Commands.map("file", file);
        }

        @Override
        @SuppressWarnings("unchecked")
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            printTransfer((Map<String, Object>) r.get("file"), out);
            return ExitCode.OK;
        }
    }

    @Command(name = "accept-file", description = "Accept an offered file; with --to DIR it is saved there when complete.")
    static final class AcceptFile extends OnFile {
        @Option(names = "--to", paramLabel = "DIR")
        String to;

        @Override
        String operation() {
            return "accept-file";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("file", file, "to", to == null ? null : abs(to));
        }
    }

    @Command(name = "decline-file", description = "Decline an offered file.")
    static final class DeclineFile extends OnFile {
        @Override
        String operation() {
            return "decline-file";
        }
    }

    @Command(name = "cancel-file", description = "Cancel a transfer (either direction) and delete its partial data.")
    static final class CancelFile extends OnFile {
        @Override
        String operation() {
            return "cancel-file";
        }
    }

    @Command(name = "pause-file", description = "Pause a transfer (either direction) until resumed.")
    static final class PauseFile extends OnFile {
        @Override
        String operation() {
            return "pause-file";
        }
    }

    @Command(name = "resume-file", description = "Resume a paused transfer.")
    static final class ResumeFile extends OnFile {
        @Override
        String operation() {
            return "resume-file";
        }
    }

    @Command(name = "file-limits", description = "Show or set the largest incoming file taken (larger offers are"
            + " declined by themselves) and, for a contact, up to what size its offers are accepted without asking.")
    static final class FileLimits extends OneShotCommand {
        @Option(names = "--max-incoming-mb", paramLabel = "MB")
        Long maxIncomingMb;

        @Option(names = "--contact", paramLabel = "CONTACT")
        String contact;

        @Option(names = "--auto-accept-mb", paramLabel = "MB", description = "0: ask every time (needs --contact)")
        Long autoAcceptMb;

        @Override
        String operation() {
            return "file-limits";
        }

        /** MB (10^6 bytes) to bytes; out of range stays out of range (the operation refuses it). */
        static Long bytes(Long mb) {
            return mb == null ? null : mb < 0 || mb > (1L << 40) ? -1L : mb * 1_000_000;
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("max_incoming_bytes", bytes(maxIncomingMb),
                    "contact", contact == null ? null : Commands.contactRef(contact),
                    "auto_accept_bytes", bytes(autoAcceptMb));
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            out.println("largest incoming file: " + mb(r.get("max_incoming_bytes")) + " MB");
            if (r.get("contact_id") != null) {
                long auto = ((Number) r.get("auto_accept_bytes")).longValue();
                out.println("contact " + r.get("contact_id") + ": "
                        + (auto == 0 ? "ask for every file" : "accept files up to " + mb(auto) + " MB without asking"));
            }
            return ExitCode.OK;
        }

        private static long mb(Object bytes) {
            return ((Number) bytes).longValue() / 1_000_000;
        }
    }

    @Command(name = "save-file", description = "Save a received file: into DIR (a safe, unique name) or as FILE.")
    static final class SaveFile extends OneShotCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String file;

        @Parameters(index = "1", paramLabel = "PATH")
        String path;

        @Override
        String operation() {
            return "save-file";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("file", file, "path", abs(path));
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            out.println(Text.safe(Commands.str(r, "path"), false));
            return ExitCode.OK;
        }
    }
}
