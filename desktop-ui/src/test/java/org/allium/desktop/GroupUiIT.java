package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.allium.core.Messengers;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupPost;
import org.allium.desktop.groups.GroupProbe;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 end to end on the private Tor network, three real profiles: Ana in the desktop
 * app creates a group with "New group…" and invites her contacts Bob and Carmen (real core
 * messengers run by this test, not contacts of each other); they accept; each writes; Ana's
 * window shows every post under its author's name and hers delivered to both, and Bob gets
 * Carmen's post through Ana.
 */
@ExtendWith({TestnetExtension.class, EdtWatchdog.class})
class GroupUiIT {
    private static final int TOR_SECONDS = 240;
    private static final String ANA_PASS = "violet harbour lantern seven";
    private AlliumApp app;
    private final List<Messenger> peers = new ArrayList<>();
    private final List<Profile> profiles = new ArrayList<>();

    @BeforeAll
    static void warmUp() {
        UiTestSupport.warmUp();
    }

    @AfterEach
    void tearDown() {
        if (app != null) {
            AlliumApp a = app;
            edt(a::quit);
            waitFor("app closed", 60, () -> !a.frame().isDisplayable());
        }
        peers.forEach(Messenger::stop);
        profiles.forEach(Profile::close);
    }

    private Messenger peer(Testnet testnet, Path dir, String nickname, BlockingQueue<GroupEvent> groupEvents)
            throws Exception {
        Profile p = Messengers.profiles().create(dir, (nickname + "'s long passphrase").toCharArray(), nickname);
        profiles.add(p);
        Messenger m = Messengers.create(p, TorSettings.ownTor().withTestnetLines(testnet.clientTorrcLines()));
        peers.add(m);
        m.groups().subscribe(groupEvents::add);
        m.start();
        return m;
    }

    @Test
    void aGroupIsCreatedInvitedAndTalksWithAuthorsOverTor(Testnet testnet, @TempDir Path tmp) throws Exception {
        BlockingQueue<GroupEvent> bobGroups = new LinkedBlockingQueue<>();
        BlockingQueue<GroupEvent> carmenGroups = new LinkedBlockingQueue<>();
        Messenger bob = peer(testnet, tmp.resolve("bob"), "Bob", bobGroups);
        Messenger carmen = peer(testnet, tmp.resolve("carmen"), "Carmen", carmenGroups);

        // Ana: the desktop app on a profile of her own.
        Messengers.profiles().create(tmp.resolve("ana"), ANA_PASS.toCharArray(), "Ana").close();
        UiPreferences prefs = UiPreferences.inMemory();
        prefs.setProfileDirectory(tmp.resolve("ana"));
        List<String> lines = testnet.clientTorrcLines();
        CoreAccess core = new CoreAccess(Messengers.profiles(),
                (profile, tor) -> Messengers.create(profile, tor.withTestnetLines(lines)));
        UiContext ctx = new UiContext(new Messages(Locale.ENGLISH), new Background(DesktopMain.backgroundExecutor()),
                prefs, core, Clock.systemDefaultZone());
        app = onEdt(() -> new AlliumApp(ctx, () -> { }));
        edt(app::start);
        waitFor("unlock screen", 60, () -> "unlock".equals(app.shownScreen()) && app.frame().isShowing());
        edt(() -> app.unlock(ANA_PASS.toCharArray()));
        waitFor("main window", TOR_SECONDS, () -> "main".equals(app.shownScreen()));
        edt(() -> app.frame().setSize(1180, 760));

        // Bob and Carmen ask Ana; she accepts both (contact set-up is not what this test is about).
        Messenger ana = onEdt(() -> app.session().messenger());
        String anaLink = ana.myIdentity().link();
        bob.sendContactRequest(anaLink, null, "Bob here");
        carmen.sendContactRequest(anaLink, null, "Carmen here");
        waitFor("both requests at Ana", TOR_SECONDS, () -> app.main.contactList.requests.size() == 2);
        for (ContactRequest r : ana.requests()) {
            ana.accept(r.id());
        }
        waitFor("both contacts online", TOR_SECONDS, () -> app.main.contactList.contacts.size() == 2
                && app.main.contactList.contacts.get(0).online() && app.main.contactList.contacts.get(1).online());

        // Ana creates the group in the window and invites both.
        GroupProbe groups = GroupProbe.of(app.frame());
        GroupId id = groups.create("Testnet club", List.of("Bob", "Carmen"));
        UiTestSupport.screenshot(app.frame(), "e2e-group-created");
        for (BlockingQueue<GroupEvent> q : List.of(bobGroups, carmenGroups)) {
            GroupEvent e = q.poll(TOR_SECONDS, TimeUnit.SECONDS);
            while (e != null && !(e instanceof GroupEvent.Invited)) {
                e = q.poll(TOR_SECONDS, TimeUnit.SECONDS);
            }
            assertTrue(e instanceof GroupEvent.Invited, "invitation received");
            GroupEvent.Invited inv = (GroupEvent.Invited) e;
            assertEquals(id, inv.group().id());
            assertEquals("Testnet club", inv.group().name());
            // Ana accepted their requests, so they know her without a name: the inviter is named, possibly empty.
            assertTrue(inv.group().invitedBy() != null, "the invitation says who invited");
        }
        bob.groups().accept(id);
        carmen.groups().accept(id);
        waitFor("both joined", TOR_SECONDS, () -> groups.items().contains("Bob joined")
                && groups.items().contains("Carmen joined"));

        // Everyone writes; Ana sees each post under its author, hers delivered to both.
        groups.write("Hello both, welcome.");
        bob.groups().send(id, "Hi from Bob");
        carmen.groups().send(id, "Hi from Carmen");
        waitFor("posts with authors", TOR_SECONDS, () -> groups.items().contains("Bob: Hi from Bob")
                && groups.items().contains("Carmen: Hi from Carmen")
                && groups.items().contains("You: Hello both, welcome."));
        waitFor("delivered to both", TOR_SECONDS, () -> String.valueOf(groups.lastOwnMeta()).endsWith("Delivered to 2 of 2"));
        UiTestSupport.screenshot(app.frame(), "e2e-group-conversation");

        // Bob and Carmen are not contacts: Carmen's post reaches Bob through Ana, under the name Ana gave her.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TOR_SECONDS);
        boolean relayed = false;
        while (!relayed && System.nanoTime() < deadline) {
            relayed = bob.groups().history(id, 50).stream().anyMatch(p -> p.kind() == GroupPost.Kind.POST
                    && p.text().equals("Hi from Carmen") && p.authorName().equals("Carmen"));
            if (!relayed) {
                Thread.sleep(200);
            }
        }
        assertTrue(relayed, "Carmen's post reached Bob through Ana");
        assertTrue(bob.groups().history(id, 50).stream().anyMatch(p -> p.text().equals("Hello both, welcome.")
                && !p.mine()));
    }
}
