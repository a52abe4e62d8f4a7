package io.veles.snapshot.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A directory of {@code name.npy} files, one per array, and {@code __metadata__.json}. */
final class NpyDirectoryWriter implements ArchiveWriter {
    @Override
    public void write(List<ExportedArray> arrays, ExportMetadata metadata, Path target) throws IOException {
        Files.createDirectory(target);
        for (ExportedArray array : arrays) {
            try (OutputStream out =
                    new BufferedOutputStream(Files.newOutputStream(target.resolve(array.name() + ".npy")), 1 << 16)) {
                out.write(NpyHeader.of(array));
                NpyHeader.data(array).writeTo(out);
            }
        }
        Files.write(target.resolve(NpzWriter.METADATA_ENTRY), metadata.asJson());
    }
}
