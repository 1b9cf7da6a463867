package org.allium.core.dropline;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.StoreException;
import org.allium.core.files.ChunkReceiver;
import org.allium.core.files.FileLink;
import org.allium.core.files.FileLinks;

/**
 * An operator fetching the attachments of its drop lines' cases (PROTOCOL.md §13.5): for each
 * copy not complete yet it dials the drop line with purpose FILE_STREAM and receives what it
 * lacks, verified chunk by chunk, resuming where it stopped. One fetch at a time per drop
 * line, on {@code io}; a failed attempt is retried with a backoff while the drop line's session
 * is up. Thread-safe; {@link #kick} never blocks.
 */
final class AttachmentFetcher {
    private static final Logger LOG = Logger.getLogger(AttachmentFetcher.class.getName());
    static final long FIRST_RETRY_MS = 500;
    static final long MAX_RETRY_MS = 60_000;

    /** Told when an attachment's copy got more bytes or completed. */
    interface Listener {
        void changed(long caseId, MessageId fileId);
    }

    private final DropStore store;
    private final FileLinks links;
    private final Executor io;
    private final ScheduledExecutorService timers;
    private final Listener listener;
    /** Per drop line: 0 idle, 1 running, 2 running and asked again. */
    private final Map<Long, Integer> state = new ConcurrentHashMap<>();
    private final Map<Long, Integer> failures = new ConcurrentHashMap<>();

    AttachmentFetcher(DropStore store, FileLinks links, Executor io, ScheduledExecutorService timers, Listener listener) {
        this.store = store;
        this.links = links;
        this.io = io;
        this.timers = timers;
        this.listener = listener;
    }

    /** Fetches what is missing from drop line {@code line} (a contact), now or after the running fetch. */
    void kick(long line) {
        boolean start = state.compute(line, (k, v) -> v == null || v == 0 ? 1 : 2) == 1;
        if (start) {
            try {
                io.execute(() -> run(line));
            } catch (RejectedExecutionException e) {
                state.remove(line);
            }
        }
    }

    private void run(long line) {
        boolean failed = false;
        try {
            while (true) {
                List<DropStore.Attachment> todo = store.incompleteAttachments(line);
                for (DropStore.Attachment a : todo) {
                    if (!links.isOnline(new ContactId(line)) || !fetch(line, a)) {
                        failed = true;
                        break;
                    }
                }
                if (failed || state.compute(line, (k, v) -> v == 2 ? 1 : 0) == 0) {
                    break;
                }
            }
        } catch (StoreException e) {
            LOG.warning("reading the attachments to fetch failed: " + e.getMessage());
            failed = true;
        } catch (RuntimeException e) {
            LOG.warning("fetching attachments failed: " + e);
            failed = true;
        } finally {
            if (failed) {
                state.put(line, 0);
                retryLater(line);
            } else {
                failures.remove(line);
            }
        }
    }

    private void retryLater(long line) {
        int n = failures.merge(line, 1, Integer::sum);
        long ms = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(n, 10));
        try {
            timers.schedule(() -> {
                if (links.isOnline(new ContactId(line))) {
                    kick(line);
                }
            }, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** @return false to stop for now (retried later) */
    private boolean fetch(long line, DropStore.Attachment a) {
        FileLink link = null;
        try (FileData d = store.openAttachment(a)) {
            link = links.dial(new ContactId(line));
            link.setReadTimeout(java.time.Duration.ofSeconds(120));
            ChunkReceiver.Result r = ChunkReceiver.receive(link, a.fileId(), a.spec(), d, bytes -> {
                try {
                    store.attachmentProgress(a.caseId(), a.fileId(), bytes);
                } catch (StoreException e) {
                    throw new IOException("recording progress failed", e);
                }
                listener.changed(a.caseId(), a.fileId());
            });
            if (r.complete()) {
                link.finish();
                store.attachmentComplete(a.caseId(), a.fileId());
                listener.changed(a.caseId(), a.fileId());
                return true;
            }
            LOG.fine("fetching an attachment failed; retried later");
            if (!r.abortedBySender()) {
                d.close();
                store.deleteAttachmentData(a);
            }
            return false;
        } catch (IOException | StoreException e) {
            LOG.fine("fetching an attachment stopped: " + e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (link != null) {
                link.close();
            }
        }
    }
}
