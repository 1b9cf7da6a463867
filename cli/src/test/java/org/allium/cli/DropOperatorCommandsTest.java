package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.core.files.ChunkSender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' drop-line commands with the real engine and store, no tor: {@code drop
 * operator add|remove|list}, {@code drop take}, {@code drop files} and {@code drop save}. A
 * drop-line profile gets, straight into its store, an accepted contact (Olga) and a case whose
 * submission came with two attachments — one complete under a hostile name, one half-way.
 */
class DropOperatorCommandsTest {
    private static final String PASS = "drop operator test passphrase";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A source's name for its file: a path, a bidi override, a control character. */
    private static final String HOSTILE = "../../.ssh/authorized_keys\u202Etxt.exe\u0007";

    @TempDir
    Path tmp;

    private CliRunner cli;
    private String profile;
    private long caseId;
    private byte[] content;
    private MessageId complete;
    private MessageId partial;

    @BeforeEach
    void dropLineWithAContactAndACase() throws Exception {
        profile = tmp.resolve("line").toString();
        cli = new CliRunner(Engine.real()).env(Passphrases.ENV, PASS);
        assertEquals(0, cli.run("--profile", profile, "init", "--nickname", "newsroom").exit());
        content = new byte[150_000]; // 3 chunks of 60 KiB
        RANDOM.nextBytes(content);
        Path original = tmp.resolve("original.bin");
        Files.write(original, content);
        ChunkSender.Prepared p = ChunkSender.prepare(original, "x", 1L << 30);
        FileOfferSpec spec = new FileOfferSpec(HOSTILE, p.spec().size(), p.spec().chunkSize(), p.spec().fileSha256(),
                p.spec().chunkHashesSha256());
        complete = MessageId.random(RANDOM);
        partial = MessageId.random(RANDOM);
        try (Profile pr = StoreKit.open(profile, PASS)) {
            Contact c = StoreKit.acceptedContact(pr, "Olga");
            DropStore drops = pr.drops();
            byte[] sourceKey = new byte[32];
            RANDOM.nextBytes(sourceKey);
            DropStore.Submitted s = drops.submit(sourceKey, "calm otter 12", MessageId.random(RANDOM), Instant.now(),
                    "Two files attached.", List.of(new DropStore.NewAttachment(complete, spec),
                            new DropStore.NewAttachment(partial, new FileOfferSpec("notes.txt", 100_000, 61440,
                                    new byte[32], new byte[32]))), DropStore.Quotas.DEFAULT);
            caseId = s.caseId();
            DropStore.Attachment a = drops.attachment(caseId, complete).orElseThrow();
            try (FileData d = drops.openAttachment(a)) {
                d.writeHashes(p.chunkHashes());
                for (int i = 0; i < spec.chunkCount(); i++) {
                    int off = i * spec.chunkSize();
                    d.writeChunk(i, content, off, spec.chunkLength(i));
                }
                d.force();
            }
            drops.attachmentProgress(caseId, complete, content.length);
            assertTrue(drops.attachmentComplete(caseId, complete));
            drops.attachmentProgress(caseId, partial, 61440);
        }
    }

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--profile";
        all[1] = profile;
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.run(all);
    }

    private Map<String, Object> json(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "--json";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRunner.Result r = run(all);
        assertEquals(0, r.exit(), r.toString());
        return Json.parseObject(r.out().trim(), 1 << 20);
    }

    @Test
    void operatorsAreAddedListedAndRemovedByNumberOrNickname() throws Exception {
        assertEquals(List.of(), json("drop", "operator", "list").get("operators"));
        CliRunner.Result r = run("drop", "operator", "add", "Olga");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("is now an operator"), r.toString());
        Map<String, Object> again = json("drop", "operator", "add", "Olga");
        assertEquals(false, again.get("changed"), "already one");
        long olga = ((Number) again.get("contact")).longValue();
        assertEquals(List.of(olga), json("drop", "operator", "list").get("operators"));
        r = run("drop", "operator", "list");
        assertTrue(r.out().contains("operators: [" + olga + "]"), r.toString());

        Map<String, Object> removed = json("drop", "operator", "remove", String.valueOf(olga));
        assertEquals(true, removed.get("changed"));
        assertEquals(List.of(), removed.get("operators"));
        assertEquals(false, json("drop", "operator", "remove", "Olga").get("changed"), "was not one any more");
        r = run("drop", "operator", "list");
        assertTrue(r.out().contains("operators: none"), r.toString());

        assertEquals(ExitCode.UNKNOWN_CONTACT.code(), run("drop", "operator", "add", "Nobody").exit());
        assertEquals(ExitCode.USAGE.code(), run("drop", "operator", "add").exit(), "which contact?");
        assertEquals(ExitCode.USAGE.code(), run("drop", "operator", "promote", "Olga").exit());
        assertEquals(List.of(), json("drop", "operator", "list").get("operators"), "nothing changed by the errors");
    }

    @Test
    @SuppressWarnings("unchecked")
    void takingACaseAssignsItToTheDropLineItselfAndAssignSetsAnOperatorOrNobody() throws Exception {
        Map<String, Object> c = (Map<String, Object>) json("drop", "take", String.valueOf(caseId)).get("case");
        assertEquals("newsroom", c.get("assigned_to"));
        CliRunner.Result r = run("drop", "cases");
        assertTrue(r.out().contains("assigned to newsroom"), r.toString());

        long olga = ((Number) json("drop", "operator", "add", "Olga").get("contact")).longValue();
        c = (Map<String, Object>) json("drop", "assign", String.valueOf(caseId), String.valueOf(olga)).get("case");
        assertEquals("Olga", c.get("assigned_to"));
        assertEquals(olga, ((Number) c.get("assignee")).longValue());
        c = (Map<String, Object>) json("drop", "assign", String.valueOf(caseId)).get("case");
        assertFalse(c.containsKey("assigned_to"), "nobody: " + c);

        assertNotEquals(0, run("drop", "take", "999").exit(), "no such case");
        assertEquals(ExitCode.USAGE.code(), run("drop", "take", "first").exit());
    }

    @Test
    @SuppressWarnings("unchecked")
    void filesListsTheAttachmentsAndSaveWritesACompleteOneUnderASafeNameOnly() throws Exception {
        Map<String, Object> r = json("drop", "files", String.valueOf(caseId));
        List<Map<String, Object>> files = (List<Map<String, Object>>) r.get("files");
        assertEquals(2, files.size());
        assertEquals(complete.toHex(), files.get(0).get("id"));
        assertEquals(HOSTILE, files.get(0).get("name"), "JSON carries the source's name as it is (a string)");
        assertEquals((long) content.length, ((Number) files.get(0).get("received")).longValue());
        assertEquals(true, files.get(0).get("complete"));
        assertEquals(partial.toHex(), files.get(1).get("id"));
        assertEquals(61440L, ((Number) files.get(1).get("received")).longValue());
        assertEquals(100_000L, ((Number) files.get(1).get("size")).longValue());
        assertEquals(false, files.get(1).get("complete"));

        CliRunner.Result text = run("drop", "files", String.valueOf(caseId));
        assertEquals(0, text.exit(), text.toString());
        assertFalse(text.out().contains("\u202E") || text.out().contains("\u0007"), "no control characters on the terminal");
        assertTrue(text.out().contains(partial.toHex() + "  61440/100000  incomplete  notes.txt"), text.toString());

        Path into = Files.createDirectories(tmp.resolve("saved"));
        Map<String, Object> saved = json("drop", "save", complete.toHex(), into.toString());
        Path first = Path.of((String) saved.get("path"));
        assertEquals(into, first.getParent(), "written into the directory, never along the source's path");
        assertFalse(first.getFileName().toString().contains("/") || first.getFileName().toString().contains("\u202E"));
        assertArrayEquals(content, Files.readAllBytes(first));
        Path second = Path.of((String) json("drop", "save", complete.toHex(), into.toString()).get("path"));
        assertNotEquals(first, second, "a second save does not replace the first");
        assertArrayEquals(content, Files.readAllBytes(first));
        assertArrayEquals(content, Files.readAllBytes(second));
        try (var list = Files.list(into)) {
            assertEquals(2, list.count(), "no temporary file left behind");
        }
        assertFalse(Files.exists(tmp.resolve(".ssh")), "nothing outside the directory");

        CliRunner.Result incomplete = run("drop", "save", partial.toHex(), into.toString());
        assertNotEquals(0, incomplete.exit(), incomplete.toString());
        assertTrue(incomplete.err().contains("not fully arrived"), incomplete.toString());
        assertEquals(ExitCode.USAGE.code(), run("drop", "save", "00112233", into.toString()).exit(), "not an id");
        assertEquals(ExitCode.USAGE.code(), run("drop", "save", MessageId.random(RANDOM).toHex(), into.toString()).exit(),
                "no such attachment");
        assertEquals(ExitCode.USAGE.code(), run("drop", "save", complete.toHex(), tmp.resolve("missing").toString()).exit(),
                "no such directory");
        try (var list = Files.list(into)) {
            assertEquals(2, list.count());
        }
    }
}
