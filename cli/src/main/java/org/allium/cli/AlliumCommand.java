package org.allium.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code allium} command: prints help when given no subcommand. */
@Command(name = "allium", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = AlliumCommand.Version.class,
        subcommands = {ProfileCommands.Init.class, Commands.Id.class, Commands.Contacts.class,
                Commands.Requests.class, Commands.Add.class, Commands.Accept.class, Commands.Reject.class,
                Commands.Block.class, Commands.Remove.class, Commands.Verify.class, Commands.Send.class,
                Commands.History.class, Commands.Accepting.class, ProfileCommands.Passwd.class,
                ProfileCommands.Wipe.class, StoreCommands.Backup.class, StoreCommands.Restore.class,
                StoreCommands.Repair.class, GroupCommands.GroupCommand.class, RunCommand.class, DemoCommand.class,
                TestnetCommand.class, DropCommand.class},
        description = "Anonymous peer-to-peer messenger over Tor onion services.",
        footer = {"", "With no command and a display, the runnable jar starts the desktop app;",
                "'allium desktop [--testnet FILE]' starts it explicitly (on a private network with --testnet).",
                "Exit codes and the JSON event schema: cli/README.md."})
final class AlliumCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    final CliContext ctx;

    AlliumCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    static int execute(String[] args, CliContext ctx) {
        CommandLine cl = new CommandLine(new AlliumCommand(ctx));
        for (Class<?> c : FileCommands.ALL) {
            cl.addSubcommand(c);
        }
        cl.setOut(new PrintWriter(ctx.out(), true));
        cl.setErr(new PrintWriter(ctx.err(), true));
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("allium: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter err = c.getErr();
            if (e instanceof CliException) {
                err.println("allium: " + e.getMessage());
                return ((CliException) e).exitCode().code();
            }
            err.println("allium: internal error: " + e);
            return ExitCode.ERROR.code();
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AlliumCommand.class.getPackage().getImplementationVersion();
            return new String[] {"allium " + (v == null ? "(development build)" : v)};
        }
    }
}
