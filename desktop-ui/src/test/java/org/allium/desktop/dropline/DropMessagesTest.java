package org.allium.desktop.dropline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.allium.core.dropline.DropSource;
import org.allium.desktop.Messages;
import org.junit.jupiter.api.Test;

/** The drop line's keys built at run time from enum names exist in every bundle. */
class DropMessagesTest {
    static List<String> dynamicKeys() {
        List<String> keys = new ArrayList<>();
        for (SourceClient.Step s : SourceClient.Step.values()) {
            keys.add("drop.source.step." + s.name().toLowerCase(Locale.ROOT));
        }
        for (DropSource.Status s : DropSource.Status.values()) {
            keys.add("drop.source.status." + s.name().toLowerCase(Locale.ROOT));
        }
        for (DropSource.Refusal r : DropSource.Refusal.values()) {
            keys.add("drop.source.refusal." + r.name().toLowerCase(Locale.ROOT));
        }
        keys.add("drop.source.refusal.too_large.limit"); // with the drop line's per-file limit
        for (org.allium.contacts.api.DropStore.State s : org.allium.contacts.api.DropStore.State.values()) {
            keys.add("drop.state." + s.name().toLowerCase(Locale.ROOT));
        }
        return keys;
    }

    @Test
    void everyKeyBuiltFromAnEnumExistsInEveryLanguage() {
        List<String> missing = new ArrayList<>();
        for (Locale l : List.of(Locale.ENGLISH, Locale.FRENCH, Locale.forLanguageTag("ro"))) {
            Messages m = new Messages(l);
            for (String k : dynamicKeys()) {
                if (m.text(k).startsWith("!")) {
                    missing.add(l + " " + k);
                }
            }
        }
        assertTrue(missing.isEmpty(), "missing: " + missing);
    }
}
