package io.veles.snapshot.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes arrays and their metadata in one of the {@link ExportFormat}s to a path that does not exist yet. */
interface ArchiveWriter {
    void write(List<ExportedArray> arrays, ExportMetadata metadata, Path target) throws IOException;
}
