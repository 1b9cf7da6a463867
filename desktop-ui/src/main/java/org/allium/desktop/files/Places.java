package org.allium.desktop.files;

import java.awt.Component;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The desktop around the app: choosing files to send and where to save, opening a folder.
 * The app uses {@link SwingPlaces}; tests answer for the user. The chooser methods run on the
 * event thread (they show modal dialogs); {@link #openFolder} may block and runs in the background.
 */
public interface Places {
    /** Files the user picked to send; empty if cancelled. */
    List<Path> filesToSend(Component parent);

    /** Where the user wants a received file written ({@code suggested} proposed); null if cancelled. */
    Path saveTarget(Component parent, Path suggested);

    /** Shows {@code dir} in the desktop's file manager. */
    void openFolder(Path dir) throws IOException;
}
