package org.allium.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.allium.contacts.api.RepairReport;
import org.allium.core.api.MessengerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Commands on the profile's files: backup, restore, repair. */
final class StoreCommands {

    private StoreCommands() {
    }

    @Command(name = "backup",
            description = "Write an encrypted backup of the whole profile to FILE (through the daemon when one"
                    + " runs: a consistent copy while it keeps running). It opens with the current passphrase.")
    static final class Backup extends OneShotCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The backup file to write (replaced when complete).")
        Path file;

        @Override
        String operation() {
            return "backup";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("file", file.toAbsolutePath().normalize().toString());
        }

        @Override
        ExitCode printText(Map<String, Object> result, PrintStream out, boolean viaDaemon) {
            out.println("backed up to " + result.get("file") + ": " + rows(result.get("rows")));
            return ExitCode.OK;
        }
    }

    @Command(name = "restore",
            description = "Restore a backup into DIR (new or empty), after checking all of it. The restored"
                    + " profile opens with the passphrase it had when the backup was made.")
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        AlliumCommand top;

        @Parameters(index = "0", paramLabel = "FILE", description = "The backup file.")
        Path file;

        @Parameters(index = "1", paramLabel = "DIR", description = "Where to restore the profile.")
        Path dir;

        @Override
        public Integer call() throws CliException {
            CliContext ctx = top.ctx;
            char[] pass = new Passphrases(ctx, top.global.passphraseFd).existing();
            try {
                Map<String, Integer> rows = ctx.engine().profiles().restore(file, dir.toAbsolutePath().normalize(),
                        pass);
                if (top.global.json) {
                    ctx.out().println(Json.write(Commands.map("dir", dir.toAbsolutePath().normalize().toString(),
                            "rows", new LinkedHashMap<String, Object>(rows))));
                } else {
                    ctx.out().println("restored into " + dir.toAbsolutePath().normalize() + ": " + rows(rows));
                }
                return ExitCode.OK.code();
            } catch (MessengerException e) {
                throw Errors.map(e);
            } finally {
                Arrays.fill(pass, '\0');
            }
        }
    }

    @Command(name = "repair",
            description = "Salvage what is readable of a damaged profile into a new store; the damaged files are"
                    + " kept in a damaged-<time> directory inside the profile. Reports what came back and what"
                    + " did not. An undamaged profile is left as it is.")
    static final class Repair implements Callable<Integer> {
        @ParentCommand
        AlliumCommand top;

        @Override
        public Integer call() throws CliException {
            CliContext ctx = top.ctx;
            Path dir = Target.profileDir(top.global, ctx);
            ProfileCommands.requireNoDaemon(dir, ctx, "repairing it");
            if (!ctx.engine().profiles().exists(dir)) {
                throw new CliException(ExitCode.NO_PROFILE, "no profile there: run 'allium init' first");
            }
            char[] pass = new Passphrases(ctx, top.global.passphraseFd).existing();
            try {
                RepairReport r = ctx.engine().profiles().repair(dir, pass);
                if (top.global.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("repaired", r.repaired());
                    m.put("problems", r.problems());
                    m.put("damagedFilesKept", r.damagedFilesKept() == null ? null : r.damagedFilesKept().toString());
                    m.put("recovered", new LinkedHashMap<String, Object>(r.rowsRecovered()));
                    m.put("dropped", new LinkedHashMap<String, Object>(r.rowsDropped()));
                    m.put("cutShort", r.cutShort());
                    m.put("logChangesReplayed", r.logChangesReplayed());
                    m.put("logChangesSkipped", r.logChangesSkipped());
                    ctx.out().println(Json.write(m));
                    return ExitCode.OK.code();
                }
                PrintStream out = ctx.out();
                if (!r.repaired()) {
                    out.println("nothing is damaged; nothing was changed (" + rows(r.rowsRecovered()) + ")");
                    return ExitCode.OK.code();
                }
                for (String p : r.problems()) {
                    out.println("damaged: " + p);
                }
                out.println("recovered: " + rows(r.rowsRecovered()) + " (of which " + r.logChangesReplayed()
                        + " message(s) from the commit log)");
                if (!r.rowsDropped().isEmpty()) {
                    out.println("lost (failed their integrity check): " + rows(r.rowsDropped()));
                }
                if (!r.cutShort().isEmpty()) {
                    out.println("lost (unreadable stretch, number unknown) in: " + String.join(", ", r.cutShort()));
                }
                if (r.logChangesSkipped() > 0) {
                    out.println("not applied from the commit log: " + r.logChangesSkipped()
                            + " change(s) (an older state, or their contact is gone)");
                }
                out.println("the damaged files are kept in " + r.damagedFilesKept());
                return ExitCode.OK.code();
            } catch (MessengerException e) {
                throw Errors.map(e);
            } finally {
                Arrays.fill(pass, '\0');
            }
        }
    }

    private static String rows(Object counts) {
        if (!(counts instanceof Map<?, ?> m) || m.isEmpty()) {
            return "nothing";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getValue()).append(' ').append(e.getKey());
        }
        return b.toString();
    }
}
