package org.allium.contacts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.allium.contacts.api.ProfileInUseException;
import org.allium.contacts.api.StoreException;

/**
 * An exclusive lock on {@code profile.lock} (an empty file) held while a profile is open.
 * The OS releases it when the process dies, so a crash never leaves a profile stuck.
 * A second open in the same JVM is refused too (the JDK reports overlapping locks).
 */
final class ProfileLock implements AutoCloseable {
    static final String FILE_NAME = "profile.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private ProfileLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws ProfileInUseException if another process or this one holds it
     */
    static ProfileLock acquire(Path dir) throws StoreException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot open the profile lock file: " + e.getClass().getSimpleName(), e);
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new ProfileInUseException("this profile is open in another Allium process; close it there first");
            }
            FileSystemSupport.restrictToOwner(file);
            return new ProfileLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new ProfileInUseException("this profile is already open in this process");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StoreException("cannot lock the profile: " + e.getClass().getSimpleName(), e);
        } catch (StoreException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * For a profile opened read-only: a shared lock on {@code profile.lock} if it exists (a
     * process holding it for writing makes this fail), no lock at all if it does not and
     * cannot be created (read-only media: nobody can write the profile there anyway).
     *
     * @throws ProfileInUseException if another process has the profile open for writing
     */
    static ProfileLock acquireShared(Path dir) throws StoreException {
        Path file = dir.resolve(FILE_NAME);
        if (!java.nio.file.Files.isReadable(file)) {
            return new ProfileLock(null, null);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            return new ProfileLock(null, null);
        }
        try {
            FileLock lock = ch.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                throw new ProfileInUseException("this profile is open in another Allium process; close it there first");
            }
            return new ProfileLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new ProfileInUseException("this profile is already open in this process");
        } catch (IOException e) {
            closeQuietly(ch);
            return new ProfileLock(null, null); // no locking on this file system
        } catch (StoreException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Nothing useful to do; the OS frees the descriptor at exit.
        }
    }
}
