package org.allium.desktop.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mat2Cleaner with the real Debian mat2 on real files carrying metadata (a PNG with an
 * author text chunk, a PDF with an author), made here. FAILS when mat2 is missing
 * ({@code ./run-tests} installs it): the "cleaned copy" is only as good as the tool it runs.
 */
public class Mat2CleanerTest {
    private static Path mat2;
    @TempDir
    Path dir;

    @BeforeAll
    static void needsMat2() {
        mat2 = Mat2Cleaner.find();
        assertNotNull(mat2, "mat2 is not installed (apt-get install mat2; ./run-tests installs it)");
    }

    private Mat2Cleaner cleaner() throws IOException {
        return new Mat2Cleaner(mat2, Files.createDirectories(dir.resolve("tmp")));
    }

    /** A 2×2 PNG with a tEXt chunk "Author: {@code author}" and one "Comment". */
    public static byte[] pngWithAuthor(String author) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        ihdr.write(new byte[] {0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0});
        chunk(png, "IHDR", ihdr.toByteArray());
        chunk(png, "tEXt", ("Author\0" + author).getBytes(StandardCharsets.ISO_8859_1));
        chunk(png, "tEXt", "Comment\0taken at the office".getBytes(StandardCharsets.ISO_8859_1));
        byte[] raw = new byte[2 * (1 + 2 * 3)];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i % 7 == 0 ? 0 : 0x80 + i);
        }
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[256];
        int n = d.deflate(buf);
        d.end();
        chunk(png, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(new byte[] {(byte) (data.length >>> 24), (byte) (data.length >>> 16), (byte) (data.length >>> 8),
                (byte) data.length});
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        long c = crc.getValue();
        out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    }

    /** A one-page PDF whose document information names an author, with a correct xref table. */
    public static byte[] pdfWithAuthor(String author) {
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            "<< /Author (" + author + ") /Creator (Secret Office 1.0) /Title (Minutes) >>",
        };
        StringBuilder b = new StringBuilder("%PDF-1.4\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = b.length();
            b.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = b.length();
        b.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int o : offsets) {
            b.append(String.format("%010d 00000 n \n", o));
        }
        b.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R /Info 4 0 R >>\n")
                .append("startxref\n").append(xref).append("\n%%EOF\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean contains(byte[] hay, String needle) {
        return new String(hay, StandardCharsets.ISO_8859_1).contains(needle);
    }

    private void assertNothingLeftIn(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "the private directory is deleted");
        }
    }

    @Test
    void aPngLosesItsAuthorAndTheOriginalStaysAsReceived() throws Exception {
        byte[] original = pngWithAuthor("Jane Source");
        Path received = dir.resolve("received.png");
        Files.write(received, original);
        Path target = dir.resolve("out").resolve("holiday (cleaned).png");
        Files.createDirectories(target.getParent());
        Mat2Cleaner c = cleaner();

        Mat2Cleaner.Result r = c.clean("holiday.png", f -> Files.copy(received, f), target);

        assertEquals(target, r.written());
        byte[] cleaned = Files.readAllBytes(target);
        assertFalse(contains(cleaned, "Jane Source"), "the author is gone from the copy");
        assertFalse(contains(cleaned, "taken at the office"));
        assertTrue(cleaned.length > 8 && cleaned[1] == 'P' && cleaned[2] == 'N' && cleaned[3] == 'G', "still a PNG");
        assertTrue(r.removed().contains("Author: Jane Source"), r.removed().toString());
        assertTrue(r.removed().stream().anyMatch(l -> Mat2Cleaner.key(l).equals("Comment")), r.removed().toString());
        assertEquals(List.of(), r.remaining());
        assertArrayEquals(original, Files.readAllBytes(received), "the original is untouched");
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertEquals(List.of(target), s.toList(), "no temporary file left beside the copy");
        }
        assertNothingLeftIn(dir.resolve("tmp"));
    }

    @Test
    void aPdfLosesItsAuthor() throws Exception {
        Path target = dir.resolve("minutes.cleaned.pdf");
        Mat2Cleaner.Result r = cleaner().clean("Minutes.PDF",
                f -> Files.write(f, pdfWithAuthor("Jane Source")), target);
        assertTrue(r.removed().stream().anyMatch(l -> l.contains("Jane Source")), r.removed().toString());
        byte[] cleaned = Files.readAllBytes(target);
        assertTrue(contains(cleaned, "%PDF"), "still a PDF");
        assertFalse(contains(cleaned, "Jane Source"));
        assertFalse(contains(cleaned, "Secret Office"));
        assertNothingLeftIn(dir.resolve("tmp"));
    }

    @Test
    void anExistingTargetIsReplacedOnlyWithTheFinishedCopy() throws Exception {
        Path target = dir.resolve("photo.png");
        Files.writeString(target, "the user said replace");
        cleaner().clean("photo.png", f -> Files.write(f, pngWithAuthor("X")), target);
        assertFalse(contains(Files.readAllBytes(target), "the user said replace"));
        assertTrue(contains(Files.readAllBytes(target), "PNG"));
    }

    @Test
    void aTypeMat2DoesNotHandleIsSaidSoAndNothingIsWritten() throws Exception {
        Path target = dir.resolve("notes.cleaned.xyz");
        Mat2Cleaner.CleanException e = assertThrows(Mat2Cleaner.CleanException.class,
                () -> cleaner().clean("notes.xyz", f -> Files.writeString(f, "plain"), target));
        assertEquals(Mat2Cleaner.Reason.UNSUPPORTED, e.reason());
        assertFalse(Files.exists(target));
        // No extension at all (or one that is not ASCII letters and digits): refused before mat2 runs.
        for (String name : List.of("README", "x.p\u0064f\u202e", "photo.jp g")) {
            Mat2Cleaner.CleanException n = assertThrows(Mat2Cleaner.CleanException.class,
                    () -> cleaner().clean(name, f -> Files.writeString(f, "x"), target));
            assertEquals(Mat2Cleaner.Reason.UNSUPPORTED, n.reason(), name);
        }
        assertFalse(Files.exists(target));
        assertNothingLeftIn(dir.resolve("tmp"));
    }

    @Test
    void aDamagedFileFailsWithMat2sReason() throws Exception {
        Path target = dir.resolve("broken.png");
        Mat2Cleaner.CleanException e = assertThrows(Mat2Cleaner.CleanException.class,
                () -> cleaner().clean("broken.png", f -> Files.writeString(f, "not a picture at all"), target));
        assertEquals(Mat2Cleaner.Reason.FAILED, e.reason());
        assertFalse(e.detail().isBlank(), "mat2's words are passed on");
        assertFalse(Files.exists(target));
        assertNothingLeftIn(dir.resolve("tmp"));
    }

    @Test
    void missingMat2SaysSoAndRunsNothing() throws Exception {
        Mat2Cleaner none = new Mat2Cleaner(null, dir);
        assertFalse(none.available());
        assertEquals(Set.of(), none.supportedExtensions());
        Mat2Cleaner.CleanException e = assertThrows(Mat2Cleaner.CleanException.class,
                () -> none.clean("a.png", f -> Files.write(f, pngWithAuthor("X")), dir.resolve("a.png")));
        assertEquals(Mat2Cleaner.Reason.MISSING, e.reason());
        assertFalse(new Mat2Cleaner(dir.resolve("no-such-mat2"), dir).available());
    }

    @Test
    void theListOfTypesComesFromMat2() throws Exception {
        Set<String> types = cleaner().supportedExtensions();
        assertTrue(types.containsAll(Set.of("png", "jpg", "jpeg", "pdf", "odt", "docx", "mp3")), types.toString());
        assertFalse(types.contains("xyz"));
    }

    /**
     * A stand-in mat2 records what it is given: a generated name after "--" (never the
     * peer's name, even one that looks like an option or a path), a private working
     * directory, and an environment with nothing of ours in it.
     */
    @Test
    void mat2GetsAGeneratedNameAfterDashDashAndACleanEnvironment() throws Exception {
        Path log = dir.resolve("calls.txt");
        Path fake = dir.resolve("fake-mat2");
        Files.writeString(fake, "#!/bin/sh\n"
                + "{ echo \"ARGS $*\"; echo \"PWD $(pwd)\"; env | sed 's/^/ENV /'; ls -ld . | sed 's/^/MODE /'; } >> '"
                + log + "'\n"
                + "exit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Mat2Cleaner c = new Mat2Cleaner(fake, tmp);
        String hostile = "--inplace $(touch pwned) ../../etc/passwd.png";
        assertThrows(Mat2Cleaner.CleanException.class, () -> c.clean(hostile, f -> Files.writeString(f, "x"),
                dir.resolve("out.png")));
        List<String> lines = Files.readAllLines(log);
        assertEquals("ARGS --show -- file.png", lines.get(0));
        assertTrue(lines.stream().filter(l -> l.startsWith("PWD ")).allMatch(l -> l.startsWith("PWD " + tmp + "/allium-clean-")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("MODE drwx------")), lines.toString());
        Set<String> allowed = Set.of("PATH", "HOME", "TMPDIR", "LANG", "PWD", "SHLVL", "_", "OLDPWD");
        for (String l : lines) {
            if (l.startsWith("ENV ")) {
                String key = l.substring(4, l.indexOf('='));
                assertTrue(allowed.contains(key), "nothing of ours reaches mat2: " + l);
            }
        }
        assertFalse(Files.exists(dir.resolve("pwned")));
        assertFalse(Files.exists(tmp.resolve("pwned")));
        assertNothingLeftIn(tmp);
    }

    @Test
    void showOutputIsParsedBounded() {
        String out = "[+] Metadata for file.docx:\n    docProps/core.xml:\n        creator: Jane\n"
                + "    Author: Bob\n\n[-] something else\n    not: metadata\n";
        assertEquals(List.of("docProps/core.xml:", "creator: Jane", "Author: Bob"), Mat2Cleaner.parseShow(out));
        assertEquals(List.of(), Mat2Cleaner.parseShow("  No metadata found in file.png.\n"));
        StringBuilder many = new StringBuilder("[+] Metadata for file.png:\n");
        for (int i = 0; i < 1000; i++) {
            many.append("    k").append(i).append(": ").append("v".repeat(1000)).append('\n');
        }
        List<String> parsed = Mat2Cleaner.parseShow(many.toString());
        assertEquals(Mat2Cleaner.MAX_LINES, parsed.size());
        assertTrue(parsed.get(0).length() <= 301);
        assertEquals("Author", Mat2Cleaner.key("Author: Bob: Jr"));
    }
}
