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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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

    /** How many bytes arrays sharing their pickled bytes may write beyond what the pickle holds. */
    private static final long SHARED_SLACK = 64L << 20;

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
        List<String> skipped = new ArrayList<>(finder.skipped);
        List<FoundArray> exportable = exportable(finder.found, skipped);
        refuseSharedBytes(pickle, exportable, finder.scalars.values());
        List<ExportedArray> arrays = new ArrayList<>();
        List<FoundArray> written = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, Integer> nextSuffix = new HashMap<>();
        for (FoundArray found : exportable) {
            NumpyArray array = found.array();
            Dtype dtype = array.dtype.exported();
            byte[] bytes = ArrayBytes.littleEndianRowMajor(array, dtype.width());
            String name = unique(found.name(), names, nextSuffix);
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

    /** The arrays whose shape and bytes agree; the others go to {@code skipped}, saying why. */
    private static List<FoundArray> exportable(List<FoundArray> found, List<String> skipped) {
        List<FoundArray> exportable = new ArrayList<>();
        for (FoundArray each : found) {
            NumpyArray array = each.array();
            long width = array.dtype.exported().width();
            long elements = array.elements();
            if (elements < 0) {
                skipped.add(each.name() + ": shape " + Arrays.toString(array.shape) + " is impossible");
            } else if (elements > Long.MAX_VALUE / width || array.byteLength() != elements * width) {
                skipped.add(each.name() + ": " + array.byteLength() + " bytes for " + elements + " elements of "
                        + array.dtype);
            } else {
                exportable.add(each);
            }
        }
        return exportable;
    }

    /**
     * Each array is written in full, but a pickle may give many arrays one bytes object: 10 000
     * references to 1 MiB would write 10 GiB from a 1 MiB file; and the units' scalars, kept as
     * metadata, may all be one string of megabytes. What is written may take the distinct bytes
     * the pickle holds twice (a second name for each: tied weights), and {@link #SHARED_SLACK}
     * more, as {@code export} allows.
     */
    private static void refuseSharedBytes(Path pickle, List<FoundArray> arrays, java.util.Collection<String> scalars) {
        Map<Object, Boolean> distinct = new IdentityHashMap<>();
        long written = 0;
        long held = 0;
        for (FoundArray found : arrays) {
            NumpyArray array = found.array();
            written += array.byteLength();
            if (distinct.put(array.raw, Boolean.TRUE) == null) {
                held += array.byteLength();
            }
        }
        for (String scalar : scalars) {
            written += 2L * scalar.length();
            if (distinct.put(scalar, Boolean.TRUE) == null) {
                held += 2L * scalar.length();
            }
        }
        if (written > 2 * held + SHARED_SLACK) {
            throw new PickleRefusedException(pickle + ": " + arrays.size() + " arrays and " + scalars.size()
                    + (scalars.size() == 1 ? " scalar" : " scalars") + " share their bytes: they would write " + written
                    + " bytes from the " + held
                    + " distinct bytes the pickle holds: refused");
        }
    }

    /** The first of name, name#2, name#3... not taken; the next suffix to try is kept per name, not searched anew. */
    private static String unique(String full, Set<String> taken, Map<String, Integer> nextSuffix) {
        String name = io.veles.internal.util.ArrayNames.bounded(full); // a zip entry's name has at most 64 KiB
        if (taken.add(name)) {
            return name;
        }
        int i = nextSuffix.getOrDefault(name, 2);
        while (!taken.add(name + "#" + i)) {
            i++;
        }
        nextSuffix.put(name, i + 1);
        return name + "#" + i;
    }
}
