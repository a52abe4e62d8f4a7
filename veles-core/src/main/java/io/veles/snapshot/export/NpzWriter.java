package io.veles.snapshot.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An {@code .npz}: a zip of {@code name.npy} entries, stored uncompressed as {@code numpy.savez}
 * writes them, and a {@code __metadata__.json} entry. A stored entry needs its CRC before its
 * bytes, so each array is read twice (once for the CRC), never held whole; entries past 4 GiB
 * get ZIP64 records from {@link ZipOutputStream}.
 */
final class NpzWriter implements ArchiveWriter {
    static final String METADATA_ENTRY = "__metadata__.json";

    @Override
    public void write(List<ExportedArray> arrays, ExportMetadata metadata, Path target) throws IOException {
        try (ZipOutputStream zip =
                new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(target), 1 << 16))) {
            zip.setMethod(ZipOutputStream.STORED);
            for (ExportedArray array : arrays) {
                byte[] header = NpyHeader.of(array);
                ExportedArray.Bytes data = NpyHeader.data(array);
                CRC32 crc = new CRC32();
                crc.update(header);
                try (CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
                    data.writeTo(sink);
                }
                zip.putNextEntry(stored(array.name() + ".npy", header.length + array.byteLength(), crc.getValue()));
                zip.write(header);
                data.writeTo(zip);
                zip.closeEntry();
            }
            byte[] json = metadata.asJson();
            CRC32 crc = new CRC32();
            crc.update(json);
            zip.putNextEntry(stored(METADATA_ENTRY, json.length, crc.getValue()));
            zip.write(json);
            zip.closeEntry();
        }
    }

    private static ZipEntry stored(String name, long size, long crc) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        return entry;
    }
}
