package org.allium.tor;

import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.TorObserver;
import org.allium.tor.api.TorState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records every callback and lets a test wait for a condition on them (no sleeps). */
final class RecordingObserver implements TorObserver {
    final List<TorState> states = new ArrayList<>();
    final List<BootstrapStatus> bootstraps = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<ServiceId> uploaded = new ArrayList<>();
    final List<String> uploadFailures = new ArrayList<>();
    final List<Integer> exitCodes = new ArrayList<>();
    final List<List<String>> exitLogs = new ArrayList<>();
    final List<String> threads = new ArrayList<>();

    private synchronized void seen() {
        threads.add(Thread.currentThread().getName());
        notifyAll();
    }

    @Override public synchronized void onStateChanged(TorState state) { states.add(state); seen(); }
    @Override public synchronized void onBootstrap(BootstrapStatus status) { bootstraps.add(status); seen(); }
    @Override public synchronized void onWarning(String message) { warnings.add(message); seen(); }
    @Override public synchronized void onDescriptorUploaded(ServiceId service) { uploaded.add(service); seen(); }
    @Override public synchronized void onDescriptorUploadFailed(ServiceId service, String reason) { uploadFailures.add(reason); seen(); }
    @Override public synchronized void onTorExited(int exitCode, List<String> lastLogLines) {
        exitCodes.add(exitCode);
        exitLogs.add(lastLogLines);
        seen();
    }

    /** Waits until {@code condition} holds on this observer; fails after {@code timeout}. */
    synchronized void await(String what, Duration timeout, Predicate<RecordingObserver> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("timed out waiting for " + what + "; states " + states);
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
