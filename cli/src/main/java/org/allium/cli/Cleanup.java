package org.allium.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Things to undo, undone in reverse order exactly once — from the normal path or from a
 * shutdown hook on Ctrl-C, whichever comes first. Thread-safe.
 */
final class Cleanup implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Cleanup.class.getName());

    /** One undo step that may fail. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean closed;

    /** Registers a step; runs it at once if cleanup already happened. */
    void push(Step step) {
        synchronized (this) {
            if (!closed) {
                steps.push(step);
                return;
            }
        }
        runQuietly(step);
    }

    /** Deletes a directory tree (used as a step). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Runs every step, newest first; later calls wait for the first one to finish. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!steps.isEmpty()) {
            runQuietly(steps.pop());
        }
    }

    private static void runQuietly(Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cleanup step failed: {0}", e.getClass().getName());
        }
    }
}
