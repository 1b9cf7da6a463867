package org.allium.core;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.NoSuchProfileException;
import org.allium.contacts.api.ProfileLocations;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreException;
import org.allium.core.api.Profile;
import org.allium.core.api.ProfileException;
import org.allium.core.api.ProfileExistsException;
import org.allium.core.api.ProfileInUseException;
import org.allium.core.api.ProfileNotFoundException;
import org.allium.core.api.Profiles;
import org.allium.core.api.WrongPassphraseException;

/** {@link Profiles} over the contacts module's encrypted store. Thread-safe. */
final class ProfilesImpl implements Profiles {
    private final ProfileManager manager;
    private final KdfParams kdf;

    ProfilesImpl(ProfileManager manager, KdfParams kdf) {
        this.manager = manager;
        this.kdf = kdf;
    }

    static ProfilesImpl create(Executor storeEvents, KdfParams kdf) {
        return new ProfilesImpl(org.allium.contacts.ContactsModule.profileManager(storeEvents), kdf);
    }

    @Override
    public Path defaultDirectory() {
        return ProfileLocations.defaultDirectory("default");
    }

    @Override
    public boolean exists(Path dir) {
        return manager.exists(dir);
    }

    @Override
    public Profile create(Path dir, char[] passphrase, String nickname) throws ProfileException {
        try {
            return new ProfileImpl(manager.create(dir, passphrase, nickname, kdf));
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public Profile open(Path dir, char[] passphrase) throws ProfileException {
        try {
            return new ProfileImpl(manager.open(dir, passphrase));
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void changePassphrase(Path dir, char[] oldPassphrase, char[] newPassphrase) throws ProfileException {
        try (org.allium.contacts.api.Profile p = manager.open(dir, oldPassphrase)) {
            p.changePassphrase(oldPassphrase, newPassphrase);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void wipe(Path dir) throws ProfileException {
        try {
            manager.wipe(dir);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public org.allium.contacts.api.RepairReport repair(Path dir, char[] passphrase) throws ProfileException {
        try {
            return manager.repair(dir, passphrase);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public java.util.Map<String, Integer> restore(Path backup, Path dir, char[] passphrase) throws ProfileException {
        try {
            return manager.restore(backup, dir, passphrase);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    static ProfileException map(StoreException e) {
        if (e instanceof org.allium.contacts.api.DamagedProfileException d) {
            return new org.allium.core.api.ProfileDamagedException(d.file(), d.getMessage(), e);
        }
        if (e instanceof org.allium.contacts.api.WrongPassphraseException) {
            return new WrongPassphraseException();
        }
        if (e instanceof org.allium.contacts.api.ProfileInUseException) {
            return new ProfileInUseException();
        }
        if (e instanceof NoSuchProfileException) {
            return new ProfileNotFoundException();
        }
        if (e instanceof org.allium.contacts.api.ProfileExistsException) {
            return new ProfileExistsException();
        }
        return new ProfileException("The profile could not be used: " + e.getMessage(), e);
    }
}
