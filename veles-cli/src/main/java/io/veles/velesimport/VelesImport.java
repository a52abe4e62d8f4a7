package io.veles.velesimport;

import io.veles.errors.SnapshotException;
import io.veles.internal.pickle.ResourceErrors;
import io.veles.snapshot.export.ArchiveOutput;
import io.veles.snapshot.export.Dtype;
import io.veles.snapshot.export.ExportFormat;
import io.veles.snapshot.export.ExportMetadata;
import io.veles.snapshot.export.ExportedArray;
import io.veles.snapshot.export.MemoryArrays;
import io.veles.snapshot.export.OutputTarget;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code veles snapshot import-veles}: the arrays of a VELES (Python) snapshot into npz or
 * safetensors, named {@code unit.attribute}, with the units' scalars and classes as metadata.
 */
public final class VelesImport {
    /** What was found and written; {@code skipped} says which arrays could not be, and why. */
    public record Result(Path output, List<FoundArray> found, List<ExportedArray> arrays, List<String> skipped) {}

    private VelesImport() {}

    public static Result importPickle(Path pickle, Path output, boolean force) {
        // A hostile pickle can nest or share its way past the stack (a list that holds itself, as
        // a dict key or printed in a message), or hold arrays whose copies outgrow the heap.
        return ResourceErrors.guard("cannot import " + pickle, () -> importGuarded(pickle, output, force));
    }

    private static Result importGuarded(Path pickle, Path output, boolean force) {
        ExportFormat format = output.getFileName() == null
                ? null
                : ExportFormat.ofFileName(output.getFileName().toString());
        if (format == null) {
            throw new SnapshotException("-o " + output + ": name an .npz or .safetensors file");
        }
        OutputTarget target = new OutputTarget(output, force);
        ArrayFinder finder = new ArrayFinder(VelesPickles.read(pickle));
        List<ExportedArray> arrays = new ArrayList<>();
        List<FoundArray> written = new ArrayList<>();
        List<String> skipped = new ArrayList<>(finder.skipped);
        Set<String> names = new HashSet<>();
        for (FoundArray found : finder.found) {
            NumpyArray array = found.array();
            Dtype dtype = array.dtype.exported();
            long elements = array.elements();
            if (elements < 0) {
                skipped.add(found.name() + ": shape " + java.util.Arrays.toString(array.shape) + " is impossible");
                continue;
            }
            if (elements > Long.MAX_VALUE / dtype.width() || (long) array.data.length != elements * dtype.width()) {
                skipped.add(found.name() + ": " + array.data.length + " bytes for " + array.elements() + " elements of "
                        + array.dtype);
                continue;
            }
            byte[] bytes = ArrayBytes.littleEndianRowMajor(array, dtype.width());
            String name = found.name();
            for (int i = 2; !names.add(name); i++) {
                name = found.name() + "#" + i;
            }
            arrays.add(MemoryArrays.ofBytes(name, dtype, array.shape, bytes, 0, bytes.length));
            written.add(found);
        }
        if (arrays.isEmpty()) {
            throw new SnapshotException("found no NumPy arrays in " + pickle
                    + (skipped.isEmpty() ? "" : " that can be exported (" + skipped.get(0) + ")"));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("veles.source", pickle.getFileName().toString());
        for (FoundArray found : written) {
            metadata.putIfAbsent(found.unit() + ".__class__", found.unitClass());
        }
        finder.scalars.forEach(metadata::putIfAbsent);
        try {
            ArchiveOutput.write(format, arrays, new ExportMetadata(metadata, null), target);
        } catch (IOException e) {
            throw new SnapshotException("cannot write " + output + ": " + e.getMessage());
        }
        return new Result(target.path(), written, arrays, skipped);
    }
}
