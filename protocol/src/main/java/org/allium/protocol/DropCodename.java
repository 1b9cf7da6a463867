package org.allium.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A drop-line source's codename (PROTOCOL.md §13.2): {@link #WORDS} words drawn uniformly
 * from the EFF large wordlist (7776 words, shipped in the jar, CC BY 3.0), ≈ 90.5 bits.
 * Every key of the source derives from it and the drop line's address, so the source
 * stores nothing: {@link #sourceKey} is Argon2id(codename, "allium/v1/drop/source" ‖ drop
 * line public key) used as an ed25519 seed.
 *
 * <p>Immutable; {@link #toString()} never shows the words (use {@link #words()}).
 */
public final class DropCodename {
    /** Words per codename: 7 × log2(7776) ≈ 90.5 bits. */
    public static final int WORDS = 7;
    /** Argon2id cost of the source key (64 MiB, 3 passes, 1 lane): the same on every source. */
    public static final int ARGON2_MEMORY_KIB = 64 * 1024;
    public static final int ARGON2_ITERATIONS = 3;
    public static final int ARGON2_PARALLELISM = 1;
    static final byte[] SOURCE_SALT_LABEL = "allium/v1/drop/source".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PSEUDONYM_LABEL = "allium/v1/drop/pseudonym".getBytes(StandardCharsets.US_ASCII);

    private static final List<String> LIST = load();
    private static final Map<String, Integer> INDEX = index(LIST);

    private final List<String> words;

    private DropCodename(List<String> words) {
        this.words = List.copyOf(words);
    }

    /** A fresh codename from {@code random}. */
    public static DropCodename generate(SecureRandom random) {
        List<String> w = new ArrayList<>(WORDS);
        for (int i = 0; i < WORDS; i++) {
            w.add(LIST.get(random.nextInt(LIST.size())));
        }
        return new DropCodename(w);
    }

    /**
     * Reads a codename as a person typed it: any case, words separated by blanks (spaces,
     * tabs, line breaks; four list words contain a hyphen), surrounding blanks ignored.
     *
     * @throws IllegalArgumentException naming the position of a word that is not in the list
     *     (never the word itself), or a wrong number of words
     */
    public static DropCodename parse(CharSequence typed) {
        Objects.requireNonNull(typed, "typed");
        String s = typed.toString().toLowerCase(Locale.ROOT).trim();
        String[] parts = s.isEmpty() ? new String[0] : s.split("\\s+");
        if (parts.length != WORDS) {
            throw new IllegalArgumentException("a codename has " + WORDS + " words, this has " + parts.length);
        }
        for (int i = 0; i < parts.length; i++) {
            if (!INDEX.containsKey(parts[i])) {
                throw new IllegalArgumentException("word " + (i + 1) + " of the codename is not a codename word");
            }
        }
        return new DropCodename(Arrays.asList(parts));
    }

    /** The words, lowercase, in order. */
    public List<String> words() {
        return words;
    }

    /** The canonical text: the words separated by single spaces (what Argon2id hashes). */
    public String text() {
        return String.join(" ", words);
    }

    /**
     * The source's identity key for the drop line {@code dropLine}. Deterministic; costs one
     * Argon2id run (≈ 0.2–1 s, 64 MiB).
     */
    public IdentityKeyPair sourceKey(OnionAddress dropLine) {
        return sourceKey(dropLine, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS);
    }

    /** For tests and golden vectors at another cost; sources always use {@link #sourceKey(OnionAddress)}. */
    IdentityKeyPair sourceKey(OnionAddress dropLine, int memoryKib, int iterations) {
        byte[] salt = new byte[SOURCE_SALT_LABEL.length + Limits.KEY_LENGTH];
        System.arraycopy(SOURCE_SALT_LABEL, 0, salt, 0, SOURCE_SALT_LABEL.length);
        System.arraycopy(dropLine.publicKey(), 0, salt, SOURCE_SALT_LABEL.length, Limits.KEY_LENGTH);
        byte[] pw = text().getBytes(StandardCharsets.UTF_8);
        byte[] seed = new byte[IdentityKeyPair.SEED_LENGTH];
        try {
            Argon2BytesGenerator g = new Argon2BytesGenerator();
            g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations)
                    .withParallelism(ARGON2_PARALLELISM).build());
            g.generateBytes(pw, seed);
            return IdentityKeyPair.fromSeed(seed);
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * The short name a drop line gives the case of the source with public key
     * {@code sourcePublicKey}: two list words and a number 10–99 from
     * SHA-256("allium/v1/drop/pseudonym" ‖ key), e.g. "tidal oxford 42". Says nothing about
     * the codename.
     */
    public static String pseudonym(byte[] sourcePublicKey) {
        if (sourcePublicKey.length != Limits.KEY_LENGTH) {
            throw new IllegalArgumentException("a source key has 32 bytes");
        }
        byte[] h;
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(PSEUDONYM_LABEL);
            h = d.digest(sourcePublicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int a = ((h[0] & 0xff) << 8 | (h[1] & 0xff)) % LIST.size();
        int b = ((h[2] & 0xff) << 8 | (h[3] & 0xff)) % LIST.size();
        int n = 10 + (h[4] & 0xff) % 90;
        return LIST.get(a) + " " + LIST.get(b) + " " + n;
    }

    /** Size of the shipped list (7776). */
    public static int listSize() {
        return LIST.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DropCodename c && c.words.equals(words);
    }

    @Override
    public int hashCode() {
        return words.hashCode();
    }

    @Override
    public String toString() {
        return "DropCodename[hidden]";
    }

    private static List<String> load() {
        try (InputStream in = DropCodename.class.getResourceAsStream("eff_large_wordlist.txt")) {
            if (in == null) {
                throw new IllegalStateException("the codename wordlist is missing from the jar");
            }
            List<String> out = new ArrayList<>(7776);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                out.add(f[f.length - 1].trim());
            }
            if (out.size() != 7776) {
                throw new IllegalStateException("the codename wordlist has " + out.size() + " words, not 7776");
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Integer> index(List<String> list) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            if (m.put(list.get(i), i) != null || !list.get(i).matches("[a-z]+(-[a-z]+)?")) {
                throw new IllegalStateException("the codename wordlist has a duplicate or odd word at " + i);
            }
        }
        return m;
    }
}
