package org.allium.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code allium group create|list|invite|accept|decline|send|history|members|remove|leave|rename|appoint|introduce|introductions}. */
final class GroupCommands {
    private GroupCommands() {
    }

    @Command(name = "group", description = "Private groups: create, invite, accept, send, read, manage.",
            subcommands = {Create.class, ListGroups.class, Invite.class, Accept.class, Decline.class, Send.class,
                    History.class, Members.class, Remove.class, Leave.class, Rename.class, Appoint.class, Introduce.class,
                    Introductions.class})
    static final class GroupCommand implements Callable<Integer> {
        @ParentCommand
        AlliumCommand top;

        @Override
        public Integer call() {
            top.ctx.err().println("usage: allium group create|list|invite|accept|decline|send|history|members|remove|leave"
                    + "|rename|appoint|introduce|introductions");
            return ExitCode.USAGE.code();
        }
    }

    /** As {@link OneShotCommand}, one level further down. */
    abstract static class GroupOneShot implements Callable<Integer> {
        @ParentCommand
        GroupCommand parent;

        abstract String operation();

        abstract Map<String, Object> arguments() throws CliException;

        void printText(Map<String, Object> r, PrintStream out) {
            out.println("ok");
        }

        @Override
        public Integer call() throws CliException, InterruptedException {
            AlliumCommand top = parent.top;
            try (Target target = Target.open(top.global, top.ctx)) {
                Map<String, Object> result = target.call(operation(), arguments());
                if (top.global.json) {
                    top.ctx.out().println(Json.write(result));
                } else {
                    printText(result, top.ctx.out());
                }
                return ExitCode.OK.code();
            }
        }
    }

    @Command(name = "create", description = "Create a group; prints its id.")
    static final class Create extends GroupOneShot {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        String operation() {
            return "group_create";
        }

        Map<String, Object> arguments() {
            return Commands.map("name", name);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println(Commands.str(r, "group"));
        }
    }

    @Command(name = "list", description = "List your groups and invitations.")
    static final class ListGroups extends GroupOneShot {
        String operation() {
            return "group_list";
        }

        Map<String, Object> arguments() {
            return Commands.map();
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            for (Map<String, Object> g : Commands.list(r, "groups")) {
                out.println(Commands.str(g, "id") + "  " + Commands.str(g, "status") + "  "
                        + Commands.str(g, "members") + " members  " + Commands.str(g, "unread") + " unread  "
                        + Text.safe(Commands.str(g, "name"), false));
            }
            if (r.get("dropped") instanceof Number n && n.longValue() > 0) {
                out.println(n.longValue() + " invalid group messages received since start were dropped (never shown)");
            }
        }
    }

    /** Commands that name a group and nothing else. */
    abstract static class OnGroup extends GroupOneShot {
        @Parameters(index = "0", paramLabel = "GROUP", description = "The group id (32 hex digits).")
        String group;

        Map<String, Object> arguments() throws CliException {
            return Commands.map("group", group);
        }
    }

    @Command(name = "invite", description = "Invite a contact (admins only).")
    static final class Invite extends OnGroup {
        @Parameters(index = "1", paramLabel = "CONTACT", description = "Contact number, link or nickname.")
        String contact;

        String operation() {
            return "group_invite";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("group", group, "contact", Commands.contactRef(contact));
        }
    }

    @Command(name = "accept", description = "Accept an invitation.")
    static final class Accept extends OnGroup {
        String operation() {
            return "group_accept";
        }
    }

    @Command(name = "decline", description = "Decline an invitation.")
    static final class Decline extends OnGroup {
        String operation() {
            return "group_decline";
        }
    }

    @Command(name = "leave", description = "Leave a group.")
    static final class Leave extends OnGroup {
        String operation() {
            return "group_leave";
        }
    }

    @Command(name = "send", description = "Write to a group.")
    static final class Send extends OnGroup {
        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        String operation() {
            return "group_send";
        }

        @Override
        Map<String, Object> arguments() throws CliException {
            if (text == null || text.isBlank()) {
                throw new CliException(ExitCode.USAGE, "empty message");
            }
            return Commands.map("group", group, "text", text);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println(Commands.str(r, "post"));
        }
    }

    @Command(name = "history", description = "Show a group's posts and membership changes (marks them read).")
    static final class History extends OnGroup {
        @picocli.CommandLine.Option(names = "--limit", defaultValue = "50")
        int limit;

        String operation() {
            return "group_history";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("group", group, "limit", (long) limit);
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            for (Map<String, Object> p : Commands.list(r, "posts")) {
                String kind = Commands.str(p, "kind");
                String name = Commands.str(p, "author_name");
                String who = name == null || name.isBlank() ? "(no name)" : Text.safe(name, false);
                String body = kind.equals("post") ? Text.safe(Commands.str(p, "text"), true)
                        : "(" + kind + (p.get("subject") != null ? " " + Commands.str(p, "subject").substring(0, 8) : "") + ")";
                String delivery = Boolean.TRUE.equals(p.get("mine")) && kind.equals("post")
                        ? "  [delivered to " + Commands.str(p, "delivered_to") + " of " + Commands.str(p, "of") + "]" : "";
                out.println(Commands.str(p, "composed") + "  " + who + ": " + body + delivery);
            }
        }
    }

    @Command(name = "members", description = "List a group's members.")
    static final class Members extends OnGroup {
        String operation() {
            return "group_members";
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            for (Map<String, Object> m : Commands.list(r, "members")) {
                out.println(Commands.str(m, "address") + "  " + Text.safe(Commands.str(m, "name"), false)
                        + (Boolean.TRUE.equals(m.get("creator")) ? "  creator" : Boolean.TRUE.equals(m.get("admin")) ? "  admin" : "")
                        + (Boolean.TRUE.equals(m.get("joined")) ? "" : "  invited")
                        + (Boolean.TRUE.equals(m.get("me")) ? "  (you)" : ""));
            }
        }
    }

    @Command(name = "remove", description = "Remove a member (admins only).")
    static final class Remove extends OnGroup {
        @Parameters(index = "1", paramLabel = "ADDRESS", description = "The member's address.")
        String member;

        String operation() {
            return "group_remove";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("group", group, "member", member);
        }
    }

    @Command(name = "rename", description = "Rename a group (admins only).")
    static final class Rename extends OnGroup {
        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        String operation() {
            return "group_rename";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("group", group, "name", name);
        }
    }

    @Command(name = "appoint", description = "Make a member an admin (the creator only).")
    static final class Appoint extends OnGroup {
        @Parameters(index = "1", paramLabel = "ADDRESS", description = "The member's address.")
        String member;

        String operation() {
            return "group_appoint";
        }

        @Override
        Map<String, Object> arguments() {
            return Commands.map("group", group, "member", member);
        }
    }

    @Command(name = "introduce", description = "Connect me with the members I don't know: ask them to become contacts, vouched for by the group.")
    static final class Introduce extends OnGroup {
        String operation() {
            return "group_introduce";
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println("asked " + Commands.str(r, "asked") + " members");
        }
    }

    @Command(name = "introductions",
            description = "Show, or set with on|off, whether members' introductions are accepted automatically.")
    static final class Introductions extends GroupOneShot {
        @Parameters(index = "0", arity = "0..1", paramLabel = "on|off")
        String value;

        String operation() {
            return "group_introductions";
        }

        Map<String, Object> arguments() throws CliException {
            if (value == null) {
                return Commands.map();
            }
            if (!value.equals("on") && !value.equals("off")) {
                throw new CliException(ExitCode.USAGE, "on or off");
            }
            return Commands.map("accept", value.equals("on"));
        }

        @Override
        void printText(Map<String, Object> r, PrintStream out) {
            out.println(Boolean.TRUE.equals(r.get("accept")) ? "on" : "off");
        }
    }
}
