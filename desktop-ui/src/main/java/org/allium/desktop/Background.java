package org.allium.desktop;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.swing.SwingUtilities;

/**
 * Runs slow work (anything touching the core API, disk or tor) away from the event
 * thread and hands the result back on the event thread. Thread-safe.
 *
 * <p>The injected executor may block and need not be ordered; the app uses one named
 * "allium-ui-background". Completion callbacks always run on the event thread, so they may
 * touch Swing components; they must not block.
 */
public final class Background {
    private static final Logger LOG = Logger.getLogger(Background.class.getName());

    /** The result of work that has no value. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final Executor executor;

    public Background(Executor executor) {
        this.executor = Objects.requireNonNull(executor);
    }

    /** Runs {@code work} on the background executor; then {@code done} or {@code failed} on the EDT. */
    public <T> void run(Callable<T> work, Consumer<? super T> done, Consumer<? super Exception> failed) {
        executor.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                SwingUtilities.invokeLater(() -> failed.accept(e));
                return;
            } catch (Exception e) {
                SwingUtilities.invokeLater(() -> failed.accept(e));
                return;
            } catch (Error e) {
                LOG.log(Level.SEVERE, "background task died: " + e.getClass().getName());
                throw e;
            }
            SwingUtilities.invokeLater(() -> done.accept(result));
        });
    }

    /** Like {@link #run(Callable, Consumer, Consumer)} for work without a result. */
    public void run(Work work, Runnable done, Consumer<? super Exception> failed) {
        run(() -> {
            work.run();
            return Boolean.TRUE;
        }, ignored -> done.run(), failed);
    }
}
