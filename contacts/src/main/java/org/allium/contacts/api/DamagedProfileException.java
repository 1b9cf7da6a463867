package org.allium.contacts.api;

/**
 * A file of the profile is damaged (cut short, overwritten, bit rot) or does not belong to
 * the rest of the profile. Opening refused it before writing anything: every file is as it
 * was. The message names the file, what is wrong and what to do; {@link #file()} and
 * {@link #problem()} give the parts.
 */
public final class DamagedProfileException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** What to do about a damaged store file or commit log: the data can still be salvaged. */
    public static final String REPAIR = "Nothing was changed. Run 'allium repair' to salvage what is readable"
            + " into a new store (the damaged files are kept beside it), or restore a backup"
            + " ('allium restore BACKUP DIR').";
    /** What to do about a damaged header: nothing can be decrypted without it. */
    public static final String RESTORE = "Nothing was changed. Without this file the store cannot be decrypted:"
            + " restore the profile from a backup ('allium restore BACKUP DIR').";

    private final String file;
    private final String problem;

    public DamagedProfileException(String file, String problem, String remedy) {
        super(file + " is damaged: " + problem + ". " + remedy);
        this.file = file;
        this.problem = problem;
    }

    /** The damaged file's name within the profile directory. */
    public String file() {
        return file;
    }

    /** What is wrong with it, without the remedy. */
    public String problem() {
        return problem;
    }
}
