package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Subscription;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupException;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.core.groups.Groups;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code allium group ...}: arguments reach the groups API, results print as text (sanitised) and JSON. */
class GroupCommandsTest {
    private static final GroupId G = new GroupId("0123456789abcdef0123456789abcdef");

    @TempDir
    Path tmp;

    private final List<String> calls = new ArrayList<>();
    private CliRunner cli;
    private RecordingGroups groups;
    private String profile;

    /** Records what the CLI asks of the groups API and answers with fixed values. */
    private final class RecordingGroups implements Groups {
        @Override
        public GroupId create(String name) {
            calls.add("create " + name);
            return G;
        }

        @Override
        public void invite(GroupId group, ContactId contact) {
            calls.add("invite " + group + " " + contact);
        }

        @Override
        public void accept(GroupId group) {
            calls.add("accept " + group);
        }

        @Override
        public void decline(GroupId group) {
            calls.add("decline " + group);
        }

        @Override
        public GroupPost send(GroupId group, String text) {
            calls.add("send " + group + " " + text);
            return post(text, true);
        }

        @Override
        public List<GroupPost> history(GroupId group, int limit) {
            calls.add("history " + group + " " + limit);
            return List.of(post("hi \u001b[31mred", false), post("mine", true));
        }

        @Override
        public List<GroupMember> members(GroupId group) {
            return List.of(new GroupMember(FakeEngine.BOB, "bob", new ContactId(1), false, true, true, true));
        }

        @Override
        public List<Group> list() {
            return List.of(get(G));
        }

        @Override
        public Group get(GroupId group) {
            return new Group(G, "Book club", Group.Status.JOINED, null, 3, 2, false, false);
        }

        @Override
        public void leave(GroupId group) throws MessengerException {
            throw new GroupException("the creator cannot leave");
        }

        @Override
        public void remove(GroupId group, String memberAddress) {
            calls.add("remove " + group + " " + memberAddress);
        }

        @Override
        public void rename(GroupId group, String name) {
            calls.add("rename " + group + " " + name);
        }

        @Override
        public void appoint(GroupId group, String memberAddress) {
            calls.add("appoint " + group + " " + memberAddress);
        }

        @Override
        public void markRead(GroupId group) {
            calls.add("read " + group);
        }

        private boolean introductions = true;

        @Override
        public int introduce(GroupId group) {
            calls.add("introduce " + group);
            return 3;
        }

        @Override
        public boolean acceptsIntroductions() {
            return introductions;
        }

        @Override
        public void setAcceptIntroductions(boolean accept) {
            calls.add("introductions " + accept);
            introductions = accept;
        }

        @Override
        public long dropped() {
            return dropped;
        }

        private long dropped;

        @Override
        public Subscription subscribe(Consumer<GroupEvent> listener) {
            return () -> { };
        }

        private GroupPost post(String text, boolean mine) {
            return new GroupPost(G, "00".repeat(16), GroupPost.Kind.POST, FakeEngine.BOB, mine ? "me" : "bob", mine, 1,
                    Instant.EPOCH, text, null, mine ? 7 : 0, mine ? 9 : 0);
        }
    }

    @BeforeEach
    void setUp() {
        FakeEngine engine = new FakeEngine();
        groups = new RecordingGroups();
        engine.groups = groups;
        cli = new CliRunner(engine).env(Passphrases.ENV, "correct horse");
        profile = tmp.resolve("p").toString();
        assertEquals(0, cli.run("--profile", profile, "init").exit());
    }

    @Test
    void everyCommandReachesTheApi() {
        CliRunner.Result r = cli.run("--profile", profile, "group", "create", "Book club");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(G.hex(), r.out().trim());
        assertEquals(0, cli.run("--profile", profile, "group", "invite", G.hex(), "1").exit());
        assertEquals(0, cli.run("--profile", profile, "group", "accept", G.hex()).exit());
        assertEquals(0, cli.run("--profile", profile, "group", "send", G.hex(), "hello all").exit());
        assertEquals(0, cli.run("--profile", profile, "group", "remove", G.hex(), FakeEngine.BOB).exit());
        assertEquals(0, cli.run("--profile", profile, "group", "decline", G.hex()).exit());
        assertEquals(0, cli.run("--profile", profile, "group", "rename", G.hex(), "Reading club").exit());
        assertEquals(0, cli.run("--profile", profile, "group", "appoint", G.hex(), FakeEngine.BOB).exit());
        assertEquals(List.of("create Book club", "invite " + G + " 1", "accept " + G, "send " + G + " hello all",
                "remove " + G + " " + FakeEngine.BOB, "decline " + G, "rename " + G + " Reading club",
                "appoint " + G + " " + FakeEngine.BOB), calls);
    }

    @Test
    void membersShowRolesAndDroppedMessagesAreCountedNotShown() throws Exception {
        CliRunner.Result r = cli.run("--profile", profile, "group", "members", G.hex());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(FakeEngine.BOB + "  bob  creator", r.out().trim());
        assertFalse(cli.run("--profile", profile, "group", "list").out().contains("dropped"));
        groups.dropped = 4;
        CliRunner.Result list = cli.run("--profile", profile, "group", "list");
        assertTrue(list.out().contains("4 invalid group messages received since start were dropped"), list.out());
        Map<String, Object> m = Json.parseObject(cli.run("--profile", profile, "--json", "group", "list").out().trim(),
                100_000);
        assertEquals(4L, ((Number) m.get("dropped")).longValue());
    }

    @Test
    void groupEventsAsJsonLinesLeaveNamesAndTextOutWhenRedacted() {
        GroupPost p = new GroupPost(G, "ab".repeat(16), GroupPost.Kind.POST, FakeEngine.BOB, "bob", false, 3,
                Instant.EPOCH, "secret text", null, 0, 0);
        Map<String, Object> full = GroupOperations.event(new GroupEvent.Posted(p), Instant.EPOCH, false);
        assertEquals("group_posted", full.get("type"));
        @SuppressWarnings("unchecked")
        Map<String, Object> post = (Map<String, Object>) full.get("post");
        assertEquals("secret text", post.get("text"));
        assertEquals(FakeEngine.BOB, post.get("author"));
        String redacted = Json.write(GroupOperations.event(new GroupEvent.Posted(p), Instant.EPOCH, true));
        assertFalse(redacted.contains("secret text") || redacted.contains(FakeEngine.BOB) || redacted.contains("bob"),
                redacted);
        Group g = new Group(G, "Book club", Group.Status.INVITED, "alice", 3, 1, false, false);
        String invited = Json.write(GroupOperations.event(new GroupEvent.Invited(g), Instant.EPOCH, true));
        assertTrue(invited.contains("\"group_invited\"") && invited.contains(G.hex()), invited);
        assertFalse(invited.contains("Book club") || invited.contains("alice"), invited);
        assertTrue(Json.write(GroupOperations.event(new GroupEvent.Delivery(G), Instant.EPOCH, true))
                .contains("\"group_delivery\""));
        Group gone = new Group(G, "Book club", Group.Status.REMOVED, "alice", 3, 0, false, false);
        Map<String, Object> removed = GroupOperations.event(new GroupEvent.Removed(gone), Instant.EPOCH, false);
        assertEquals("group_removed", removed.get("type"));
        assertEquals("removed", ((Map<?, ?>) removed.get("group")).get("status"));
        assertEquals("Book club", ((Map<?, ?>) removed.get("group")).get("name"));
        String redactedRemoval = Json.write(GroupOperations.event(new GroupEvent.Removed(gone), Instant.EPOCH, true));
        assertFalse(redactedRemoval.contains("Book club"), redactedRemoval);
    }

    @Test
    void historyIsSanitisedShowsDeliveryAndMarksRead() {
        CliRunner.Result r = cli.run("--profile", profile, "group", "history", G.hex(), "--limit", "20");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.out().contains("\u001b"), "a control character reached the terminal: " + r.out());
        assertTrue(r.out().contains("delivered to 7 of 9"), r.out());
        assertTrue(calls.contains("history " + G + " 20") && calls.contains("read " + G), calls.toString());
    }

    @Test
    void jsonAndErrors() throws Exception {
        CliRunner.Result r = cli.run("--profile", profile, "--json", "group", "list");
        assertEquals(0, r.exit(), r.toString());
        Map<String, Object> m = Json.parseObject(r.out().trim(), 100_000);
        Map<String, Object> g = Commands.list(m, "groups").get(0);
        assertEquals(G.hex(), g.get("id"));
        assertEquals("joined", g.get("status"));
        CliRunner.Result leave = cli.run("--profile", profile, "group", "leave", G.hex());
        assertEquals(ExitCode.ERROR.code(), leave.exit(), leave.toString());
        assertTrue(leave.err().contains("the creator cannot leave"), leave.err());
        CliRunner.Result bad = cli.run("--profile", profile, "group", "accept", "nothex");
        assertEquals(ExitCode.USAGE.code(), bad.exit(), bad.toString());
    }

    @Test
    void introduceAndTheIntroductionsSetting() {
        CliRunner.Result r = cli.run("--profile", profile, "group", "introduce", G.hex());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("asked 3 members", r.out().trim());
        assertEquals("on", cli.run("--profile", profile, "group", "introductions").out().trim());
        assertEquals("off", cli.run("--profile", profile, "group", "introductions", "off").out().trim());
        assertEquals("off", cli.run("--profile", profile, "group", "introductions").out().trim());
        assertEquals(ExitCode.USAGE.code(), cli.run("--profile", profile, "group", "introductions", "maybe").exit());
        assertEquals(List.of("introduce " + G, "introductions false"), calls);
    }
}
