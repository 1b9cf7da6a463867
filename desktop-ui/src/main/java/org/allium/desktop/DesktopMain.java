package org.allium.desktop;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.SwingUtilities;
import org.allium.core.Messengers;
import org.allium.desktop.instance.SingleInstance;

/**
 * Entry point of the desktop app ({@code ./allium} with no arguments on a machine with a
 * display, {@code allium desktop [--testnet FILE]}, or {@code allium --testnet FILE} with a
 * display). Sets the system properties first, then installs FlatLaf and builds the window on
 * the event thread, as FlatLafDemo.main does.
 */
public final class DesktopMain {
    /** Largest --testnet file read, in bytes (as the command line). */
    static final long MAX_TESTNET_FILE = 64 * 1024;

    private DesktopMain() {
    }

    /**
     * The desktop app's command line: {@code [desktop] [--testnet FILE]}.
     *
     * @param testnet the client torrc lines file {@code allium testnet} writes, or null for
     *        the real Tor network
     */
    record Options(Path testnet) {
        static Options parse(String[] args) {
            List<String> a = new ArrayList<>(List.of(args));
            if (!a.isEmpty() && a.get(0).equals("desktop")) {
                a.remove(0);
            }
            Path testnet = null;
            for (int i = 0; i < a.size(); i++) {
                String s = a.get(i);
                if (s.equals("--testnet") && i + 1 < a.size()) {
                    testnet = Path.of(a.get(++i));
                } else if (s.startsWith("--testnet=") && s.length() > "--testnet=".length()) {
                    testnet = Path.of(s.substring("--testnet=".length()));
                } else {
                    throw new IllegalArgumentException("usage: allium desktop [--testnet FILE]  (unknown: " + s + ")");
                }
            }
            return new Options(testnet);
        }
    }

    /** Reads the client torrc lines {@code allium testnet} wrote (blank lines and # comments skipped). */
    static List<String> testnetLines(Path file) throws IOException {
        if (Files.size(file) > MAX_TESTNET_FILE) {
            throw new IOException("the --testnet file is larger than " + MAX_TESTNET_FILE + " bytes");
        }
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                lines.add(t);
            }
        }
        if (lines.stream().noneMatch(l -> l.startsWith("DirAuthority"))) {
            throw new IOException("the --testnet file has no DirAuthority lines: give the file that 'allium testnet' writes");
        }
        return lines;
    }

    /**
     * The core the app uses: the real one, or with {@code testnetLines} one whose own tor joins
     * the private network (the lines are added for this run, never saved in the profile).
     */
    static CoreAccess core(List<String> testnetLines) {
        if (testnetLines.isEmpty()) {
            return CoreAccess.production();
        }
        return new CoreAccess(Messengers.profiles(),
                (profile, tor) -> Messengers.create(profile, tor.withTestnetLines(testnetLines)));
    }

    /**
     * Preferences: on a private network the app keeps its own (desktop-testnet.properties) and
     * a profile folder of its own next to the default one, so trying Allium never touches the
     * real profile.
     */
    static UiPreferences preferences(boolean testnet, Path defaultProfile, Path preferencesFile) {
        if (!testnet) {
            return UiPreferences.load(preferencesFile);
        }
        UiPreferences p = UiPreferences.load(preferencesFile.resolveSibling("desktop-testnet.properties"));
        if (p.profileDirectory().isEmpty()) {
            p.setProfileDirectory(defaultProfile.resolveSibling(defaultProfile.getFileName() + "-testnet"));
        }
        return p;
    }

    /** -Dallium.locale first, then the language chosen in Settings, else the system's. */
    static Locale locale(String property, String chosen, Locale system) {
        if (property != null && !property.isBlank()) {
            return Locale.forLanguageTag(property);
        }
        return chosen == null || chosen.isBlank() ? system : Locale.forLanguageTag(chosen);
    }

    public static void main(String[] args) {
        Options options;
        List<String> testnetLines = List.of();
        try {
            options = Options.parse(args);
            if (options.testnet() != null) {
                testnetLines = testnetLines(options.testnet());
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("allium: " + e.getMessage());
            System.exit(64);
            return;
        }
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("allium: no display; use the command line (allium --help)");
            System.exit(2);
        }
        Theme.setSystemProperties();
        CoreAccess core = core(testnetLines);
        UiPreferences prefs = preferences(!testnetLines.isEmpty(), core.profiles().defaultDirectory(),
                UiPreferences.defaultFile());
        // One app per profile: a second start asks the first to show its window and ends.
        java.util.concurrent.atomic.AtomicReference<AlliumApp> running = new java.util.concurrent.atomic.AtomicReference<>();
        SingleInstance instance = null;
        try {
            instance = claimInstance(prefs.profileDirectory().orElse(core.profiles().defaultDirectory()), System.getenv(),
                    UiPreferences.defaultFile().getParent(), running::get);
            if (instance == null) {
                System.out.println("allium: already running on this profile; its window was brought to the front");
                System.exit(0);
                return;
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("allium: could not check for another running Allium (" + e.getClass().getSimpleName()
                    + "); starting anyway");
        }
        SingleInstance claimed = instance;
        Locale locale = locale(System.getProperty("allium.locale"), prefs.language(), Locale.getDefault());
        ExecutorService background = backgroundExecutor();
        background.execute(org.allium.desktop.emoji.EmojiFont::load); // parsed off the event thread
        UiContext ctx = new UiContext(new Messages(locale), new Background(background), prefs, core,
                Clock.systemDefaultZone());
        SwingUtilities.invokeLater(() -> {
            Theme.install(prefs.theme());
            AlliumApp app = new AlliumApp(ctx, () -> {
                background.shutdown();
                if (claimed != null) {
                    claimed.close();
                }
                System.exit(0);
            });
            running.set(app);
            app.start();
        });
    }

    /**
     * One app per profile ({@link SingleInstance}): claims the profile's socket, or tells the app
     * already running on {@code profile} to show itself.
     *
     * @param running the app of this start once it is built (null before): a later start's
     *        request brings its window to the front, on the event thread
     * @return the claimed instance (close it when quitting), or null when another app was told
     *         to show itself and this start must end
     */
    static SingleInstance claimInstance(Path profile, java.util.Map<String, String> env, Path fallbackDir,
            java.util.function.Supplier<AlliumApp> running) throws IOException {
        return SingleInstance.claim(SingleInstance.socketFor(profile, env, fallbackDir),
                () -> SwingUtilities.invokeLater(() -> {
                    AlliumApp a = running.get();
                    if (a != null) {
                        a.showFromElsewhere();
                    }
                }));
    }

    /**
     * "allium-ui-background": the pool for slow UI work (store I/O, key derivation, tor
     * start/stop). May block; unordered; daemon threads so a stuck core call cannot keep the
     * JVM alive after quit.
     */
    public static ExecutorService backgroundExecutor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "allium-ui-background-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
