package org.allium.contacts;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The main of a test's child JVM: runs its body; when that throws, logs it with its stack trace
 * on stderr (the parent's report) and exits 1 at once — the store's threads are not all daemons, so
 * the JVM would otherwise go on until the parent's timeout.
 */
final class ChildMain {
    /** What a child's main does, given its arguments. */
    interface Body {
        void run(String[] args) throws Exception;
    }

    private ChildMain() {
    }

    static void run(String[] args, Body body) {
        try {
            body.run(args);
        } catch (Throwable t) {
            Logger.getLogger(ChildMain.class.getName()).log(Level.SEVERE, "the child failed", t);
            System.exit(1);
        }
    }
}
