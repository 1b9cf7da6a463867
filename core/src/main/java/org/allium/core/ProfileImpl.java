package org.allium.core;

import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.StoreException;
import org.allium.core.api.Identity;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Profile;
import org.allium.core.api.StorageException;
import org.allium.core.api.TextTooLongException;
import org.allium.core.api.TorSettings;
import org.allium.protocol.IdentityKeyPair;

/** {@link Profile} over an open contacts-layer profile. Thread-safe. */
final class ProfileImpl implements Profile {
    private static final Logger LOG = Logger.getLogger(ProfileImpl.class.getName());

    private final org.allium.contacts.api.Profile store;
    private final IdentityKeyPair identity;

    ProfileImpl(org.allium.contacts.api.Profile store) throws StoreException {
        this.store = store;
        this.identity = store.identity();
    }

    org.allium.contacts.api.Profile store() {
        return store;
    }

    IdentityKeyPair identityKey() {
        return identity;
    }

    @Override
    public boolean readOnly() {
        return store.isReadOnly();
    }

    @Override
    public Path directory() {
        return store.directory();
    }

    @Override
    public Identity identity() {
        String nick = null;
        try {
            nick = store.nickname().orElse(null);
        } catch (StoreException e) {
            LOG.log(Level.FINE, "nickname unavailable: " + e.getMessage());
        }
        return new Identity(identity.address().serviceId(), identity.address().fingerprint().text(), nick);
    }

    @Override
    public TorSettings torSettings() throws StorageException {
        try {
            Optional<String> v = store.settings().get(TorSettingsCodec.KEY);
            if (v.isEmpty()) {
                return TorSettings.ownTor();
            }
            return TorSettingsCodec.decode(v.get());
        } catch (StoreException e) {
            throw new StorageException("Could not read the tor settings.", e);
        } catch (IllegalArgumentException e) {
            LOG.warning("stored tor settings unreadable; using defaults");
            return TorSettings.ownTor();
        }
    }

    @Override
    public void setTorSettings(TorSettings settings) throws StorageException {
        try {
            store.settings().put(TorSettingsCodec.KEY, TorSettingsCodec.encode(settings));
        } catch (StoreException e) {
            throw new StorageException("Could not save the tor settings.", e);
        }
    }

    @Override
    public void setNickname(String nickname) throws MessengerException {
        if (nickname != null && nickname.length() > org.allium.core.api.Messenger.MAX_NICKNAME_LENGTH) {
            throw new TextTooLongException("nickname", org.allium.core.api.Messenger.MAX_NICKNAME_LENGTH);
        }
        try {
            store.setNickname(nickname);
        } catch (StoreException e) {
            throw new StorageException("Could not save the nickname.", e);
        }
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "closing the profile failed: " + e.getMessage());
        }
    }

    @Override
    public java.util.Map<String, Integer> backup(Path file) throws MessengerException {
        try {
            return store.backup(file);
        } catch (StoreException e) {
            throw new StorageException("The backup failed: " + e.getMessage(), e);
        }
    }
}
