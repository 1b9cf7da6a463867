package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.allium.core.api.ContactId;
import org.allium.core.api.Direction;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.junit.jupiter.api.Test;

/** Transfers in JSON (socket answers and events) and in {@code allium files}, as cli/README.md says. */
class FileViewTest {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");
    private static final MessageId ID = new MessageId("0123456789abcdef0123456789abcdef");

    private static FileTransfer transfer(Direction d, FileTransfer.State s, String reason, boolean gone) {
        return new FileTransfer(ID, new ContactId(3), d, "report.pdf", 1000, s, 400, 0, reason, T, gone);
    }

    private static Map<String, Object> json(FileTransfer t) throws Exception {
        return Json.parseObject(Json.write(FileOperations.transfer(t, false)), 1 << 20);
    }

    private static String listed(FileTransfer t) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        FileCommands.printTransfer(json(t), new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTransferWhoseOriginalIsGoneSaysSoInJsonAndInTheListing() throws Exception {
        FileTransfer gone = transfer(Direction.OUTGOING, FileTransfer.State.ACTIVE, null, true);
        assertEquals(true, json(gone).get("original_gone"));
        assertTrue(listed(gone).contains("[original gone]"), listed(gone));
        FileTransfer there = transfer(Direction.OUTGOING, FileTransfer.State.ACTIVE, null, false);
        assertEquals(false, json(there).get("original_gone"));
        assertFalse(listed(there).contains("original gone"), listed(there));
        FileTransfer failed = transfer(Direction.INCOMING, FileTransfer.State.FAILED,
                "The file changed or was removed on the sender's side.", true);
        String line = listed(failed);
        assertTrue(line.contains("[original gone]") && line.contains("(The file changed or was removed"), line);
    }

    @Test
    void everyStateHasItsEventTypeAndJsonName() throws Exception {
        Map<FileTransfer.State, String> types = Map.of(
                FileTransfer.State.OFFERED, "file_changed", FileTransfer.State.ACTIVE, "file_changed",
                FileTransfer.State.PAUSED, "file_changed", FileTransfer.State.COMPLETE, "file_completed",
                FileTransfer.State.DECLINED, "file_failed", FileTransfer.State.CANCELLED, "file_failed",
                FileTransfer.State.FAILED, "file_failed");
        assertEquals(FileTransfer.State.values().length, types.size());
        for (FileTransfer.State s : FileTransfer.State.values()) {
            FileTransfer t = transfer(Direction.INCOMING, s, s == FileTransfer.State.PAUSED ? "Paused: the disk is full."
                    : null, false);
            Map<String, Object> e = Json.parseObject(Json.write(
                    FileOperations.event(new FileEvent(FileEvent.Kind.CHANGED, t), T, false)), 1 << 20);
            assertEquals(types.get(s), e.get("type"), s.name());
            Map<?, ?> f = (Map<?, ?>) e.get("file");
            assertEquals(s.name().toLowerCase(java.util.Locale.ROOT), f.get("state"));
            assertEquals(s == FileTransfer.State.PAUSED, f.containsKey("reason"), s.name());
        }
        Map<String, Object> offered = Json.parseObject(Json.write(FileOperations.event(
                new FileEvent(FileEvent.Kind.OFFERED, transfer(Direction.INCOMING, FileTransfer.State.OFFERED, null,
                        false)), T, true)), 1 << 20);
        assertEquals("file_offered", offered.get("type"));
        assertFalse(((Map<?, ?>) offered.get("file")).containsKey("name"), "redacted: no name");
    }

    /** A messenger whose file transfers keep only the two limits (the rest is not used here). */
    private static org.allium.core.api.Messenger limitsOnly(Map<String, Long> limits) {
        org.allium.core.api.FileTransfers files = (org.allium.core.api.FileTransfers) java.lang.reflect.Proxy
                .newProxyInstance(FileViewTest.class.getClassLoader(),
                        new Class<?>[] {org.allium.core.api.FileTransfers.class}, (p, m, args) -> switch (m.getName()) {
                            case "maxIncomingBytes" -> limits.getOrDefault("max", 2L << 30);
                            case "setMaxIncomingBytes" -> limits.put("max", (Long) args[0]);
                            case "autoAcceptBytes" -> limits.getOrDefault("auto" + ((ContactId) args[0]).value(), 0L);
                            case "setAutoAcceptBytes" -> limits.put("auto" + ((ContactId) args[0]).value(), (Long) args[1]);
                            default -> throw new UnsupportedOperationException(m.getName());
                        });
        return (org.allium.core.api.Messenger) java.lang.reflect.Proxy.newProxyInstance(
                FileViewTest.class.getClassLoader(), new Class<?>[] {org.allium.core.api.Messenger.class},
                (p, m, args) -> {
                    if (m.getName().equals("files")) {
                        return files;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void fileLimitsShowAndSetTheIncomingCapAndAContactsAutomaticAcceptance() throws Exception {
        Map<String, Long> limits = new java.util.HashMap<>();
        org.allium.core.api.Messenger m = limitsOnly(limits);
        Operations ops = new Operations(m, null, null, () -> { });
        Map<String, Object> shown = FileOperations.call(m, ops, "file-limits", new Args(Map.of()));
        assertEquals(2L << 30, shown.get("max_incoming_bytes"));
        assertFalse(shown.containsKey("auto_accept_bytes"));
        Map<String, Object> set = FileOperations.call(m, ops, "file-limits", new Args(Map.of(
                "max_incoming_bytes", 500_000_000L, "contact", 3L, "auto_accept_bytes", 20_000_000L)));
        assertEquals(500_000_000L, set.get("max_incoming_bytes"));
        assertEquals(20_000_000L, set.get("auto_accept_bytes"));
        assertEquals(20_000_000L, limits.get("auto3"));
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("max_incoming_bytes", -1L),
                Map.<String, Object>of("max_incoming_bytes", "lots"), Map.<String, Object>of("auto_accept_bytes", 5L))) {
            CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                    () -> FileOperations.call(m, ops, "file-limits", new Args(bad)));
            assertEquals(ExitCode.USAGE, e.exitCode(), bad.toString());
        }
        assertEquals(500_000_000L, limits.get("max"), "a refused change changes nothing");
        assertEquals(-1L, FileCommands.FileLimits.bytes(-5L), "negative MB stays refused");
        assertEquals(3_000_000L, FileCommands.FileLimits.bytes(3L));
    }

    @Test
    void pauseAndResumeAreCommands() {
        assertTrue(java.util.Arrays.asList(FileCommands.ALL).contains(FileCommands.PauseFile.class));
        assertTrue(java.util.Arrays.asList(FileCommands.ALL).contains(FileCommands.ResumeFile.class));
        assertEquals("pause-file", new FileCommands.PauseFile().operation());
        assertEquals("resume-file", new FileCommands.ResumeFile().operation());
    }
}
