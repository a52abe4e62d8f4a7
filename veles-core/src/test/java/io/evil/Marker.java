package io.evil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class outside every allowed package whose static initialiser leaves a marker file: if a
 * restore ever loads and initialises it, the file appears.
 */
public final class Marker {
    static {
        String path = System.getProperty("veles.test.marker");
        if (path != null) {
            try {
                Files.writeString(Path.of(path), "initialised");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public int payload = 1;
}
