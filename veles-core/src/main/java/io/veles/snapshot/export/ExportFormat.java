package io.veles.snapshot.export;

import io.veles.errors.SnapshotException;

import java.util.Locale;

/** The formats {@code veles snapshot export} writes. */
public enum ExportFormat {
    NPZ(".npz", new NpzWriter()),
    NPY("", new NpyDirectoryWriter()),
    SAFETENSORS(".safetensors", new SafetensorsWriter());

    private final String extension;
    private final ArchiveWriter writer;

    ExportFormat(String extension, ArchiveWriter writer) {
        this.extension = extension;
        this.writer = writer;
    }

    /** The file name's ending; empty for npy, which writes a directory. */
    public String extension() {
        return extension;
    }

    ArchiveWriter writer() {
        return writer;
    }

    /** {@code npz}, {@code npy} or {@code safetensors}, in any case; else a one-line error. */
    public static ExportFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SnapshotException("unknown format '" + name + "': use npz, npy or safetensors");
        }
    }

    /** The format a file name asks for by its ending (.npz, .safetensors), or null. */
    public static ExportFormat ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".npz") ? NPZ : lower.endsWith(".safetensors") ? SAFETENSORS : null;
    }
}
