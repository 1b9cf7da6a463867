package org.allium.desktop.dropline;

import java.util.function.Consumer;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.TorSettings;
import org.allium.core.api.DropLineException;
import org.allium.core.dropline.DropSource;

/**
 * A source's side of drop lines for one window: no profile, nothing written to disk. Its tor
 * starts on first use and stops (its directory deleted) on {@link #close}. Every call blocks
 * (tor's bootstrap, Argon2id, a round trip over Tor): call it off the event thread. One call
 * at a time; {@link #close} may come from any thread and interrupts a call in progress.
 */
public interface SourceClient extends AutoCloseable {
    /**
     * An attachment changed or vanished since it was read (core's
     * {@link DropSource.SourceChangedException}): sending it again cannot help; attach it anew.
     */
    final class FileChanged extends DropLineException {
        private static final long serialVersionUID = 1L;
        private final int index;

        public FileChanged(int index) {
            super("An attachment changed since it was read.");
            this.index = index;
        }

        /** Which attachment (0-based, in the order given). */
        public int index() {
            return index;
        }
    }

    /** Where a call is, for the progress line. */
    enum Step { STARTING_TOR, DERIVING_KEY, SENDING }

    /** How this source reaches Tor (its bridges). */
    TorSettings torSettings();

    /**
     * Reaches Tor with {@code s} from the next call on (bridges chosen in the source window);
     * a tor already started for this window is stopped, so the next call starts it anew.
     * Kept in memory for this window only.
     */
    void setTorSettings(TorSettings s);

    /** The drop line's service id from what the source typed or pasted. Pure. */
    String normalizeAddress(String typed) throws InvalidAddressException;

    /** A fresh random 16-byte submission id; a retry of the same text reuses it. */
    byte[] newId();

    /**
     * Sends {@code text} (1..32768 UTF-8 bytes) as the source with {@code codename} (canonical
     * text) to the drop line {@code serviceId}.
     *
     * @throws DropLineException with a sentence for people (tor failed, drop line unreachable…)
     */
    DropSource.Answer submit(String serviceId, String codename, byte[] id, String text, Consumer<Step> progress)
            throws DropLineException, InterruptedException;

    /**
     * Sends {@code text} with attachments (PROTOCOL.md §13.5) and uploads what the drop line
     * still lacks of them on the same connection, each chunk verified; {@code upload} is told the
     * bytes the drop line confirmed (on the calling thread). The submission's id derives from the
     * codename, the text and the files, so calling again with the same ones after a failure
     * resumes the upload where the drop line says it stopped.
     *
     * @throws DropLineException with a sentence for people (the connection broke: call again to resume)
     */
    DropSource.Answer submit(String serviceId, String codename, String text, java.util.List<DropSource.Attachment> files,
                             DropSource.UploadListener upload, Consumer<Step> progress)
            throws DropLineException, InterruptedException;

    /** The case's status and replies; an unknown codename looks like a case without replies. */
    DropSource.Answer checkIn(String serviceId, String codename, Consumer<Step> progress)
            throws DropLineException, InterruptedException;

    /** Stops tor and deletes its directory; forgets the key. Idempotent. */
    @Override
    void close();
}
