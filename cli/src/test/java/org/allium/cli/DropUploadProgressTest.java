package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.allium.core.dropline.DropSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drop send --file}'s progress on stderr (throttled, always the end, JSON lines with --json) and its refusals. */
class DropUploadProgressTest {
    @TempDir
    Path tmp;

    private List<DropSource.Attachment> files() throws Exception {
        Path a = Files.write(tmp.resolve("scan\u202Egpj.exe"), new byte[1000]);
        Path b = Files.write(tmp.resolve("b.txt"), new byte[] {1});
        return List.of(DropSource.attach(a), DropSource.attach(b));
    }

    @Test
    void textLinesAreThrottledPerFileButTheEndIsAlwaysShownAndNamesAreSafe() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DropCommand.UploadProgress p = new DropCommand.UploadProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                false, files());
        assertEquals(0, p.lastProgress(), "nothing confirmed yet");
        p.progress(0, 0, 1000);
        p.progress(0, 100, 1000); // within a second of the last line: not shown
        p.progress(0, 1000, 1000); // the end: shown
        p.progress(0, 1000, 1000); // the same again: not shown
        p.progress(1, 1, 1);
        assertTrue(p.lastProgress() != 0);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, String.join("|", lines));
        assertTrue(lines[0].startsWith("uploading 1/2 ") && lines[0].endsWith(": 0% (0 of 1000 bytes)"), lines[0]);
        assertTrue(lines[1].endsWith(": 100% (1000 of 1000 bytes)"), lines[1]);
        assertEquals("uploading 2/2 b.txt: 100% (1 of 1 bytes)", lines[2]);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\u202E"), "no bidi override on the terminal");
    }

    @Test
    void jsonLinesCarryFileNameSentAndSize() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DropCommand.UploadProgress p = new DropCommand.UploadProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                true, files());
        p.progress(1, 1, 1);
        Map<String, Object> m = Json.parseObject(bytes.toString(StandardCharsets.UTF_8).trim(), 1 << 16);
        assertEquals("drop_upload_progress", m.get("type"));
        assertEquals(1L, ((Number) m.get("file")).longValue());
        assertEquals("b.txt", m.get("name"));
        assertEquals(1L, ((Number) m.get("sent")).longValue());
        assertEquals(1L, ((Number) m.get("size")).longValue());
    }

    @Test
    void aTooLargeRefusalSaysTheDropLinesLimitWhenItGaveOne() {
        DropSource.Answer said = new DropSource.Answer(false, DropSource.Refusal.TOO_LARGE, DropSource.Status.RECEIVED,
                "", List.of(), List.of(), 3_000_000);
        assertEquals("An attachment is larger than this drop line accepts. It takes attachments of at most 3000000 bytes.",
                DropCommand.SourceCommand.refusalText(said));
        DropSource.Answer silent = new DropSource.Answer(false, DropSource.Refusal.TOO_LARGE, DropSource.Status.RECEIVED,
                "", List.of());
        assertEquals("An attachment is larger than this drop line accepts.", DropCommand.SourceCommand.refusalText(silent));
        DropSource.Answer quota = new DropSource.Answer(false, DropSource.Refusal.SOURCE_QUOTA, DropSource.Status.RECEIVED,
                "", List.of(), List.of(), 3_000_000);
        assertEquals(0, quota.maxFileSize(), "a limit goes with 'too large' only");
        assertEquals(DropSource.Refusal.SOURCE_QUOTA.text(), DropCommand.SourceCommand.refusalText(quota));
    }
}
