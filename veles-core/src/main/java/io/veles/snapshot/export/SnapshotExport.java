package io.veles.snapshot.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedGraph;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.workflow.Workflow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code veles snapshot export}: a snapshot's numeric arrays to npz, npy or safetensors, for NumPy,
 * PyTorch and the like. The state is read as data, running none of the workflow's code, with its
 * arrays copied to a spill file beside the output as they are read, so that the heap holds none of
 * them; the writers then copy them from there a buffer at a time.
 */
public final class SnapshotExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was written. */
    public record Result(Path output, List<ExportedArray> arrays, int scalars) {}

    private SnapshotExport() {}

    /**
     * Exports {@code source} (a file, directory or store the other commands take) to {@code output},
     * or, when null, to the snapshot's name with the format's ending in the working directory.
     */
    public static Result export(
            String source, ExportFormat format, Path output, String glob, boolean force, ClassLoader classLoader) {
        try (SnapshotReader reader = Snapshots.open(source)) {
            String name = reader.manifest().name;
            Path path = output != null
                    ? output
                    : Path.of(defaultName(name == null ? "snapshot" : name) + format.extension());
            OutputTarget target = new OutputTarget(path, force, format == ExportFormat.NPY);
            String manifestJson = JSON.writeValueAsString(reader.manifest());
            Class<? extends Workflow> type = workflowClass(reader.manifest().workflowClass, source, classLoader);
            try (Spill spill = new Spill(target.directory())) {
                SavedGraph graph = reader.readSaved(RestoreRules.forWorkflow(type), spill.sink());
                spill.finishWriting();
                StateArrays state = new StateArrays(graph, spill);
                List<ExportedArray> selected = ArchiveOutput.select(state.arrays, glob);
                ArchiveOutput.write(format, selected, new ExportMetadata(state.scalars, manifestJson), target);
                return new Result(target.path(), selected, state.scalars.size());
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SnapshotStoreException("cannot export " + source + ": " + e.getMessage(), e);
        }
    }

    /** The snapshot's name without its codec's ending: {@code wine_3_0.00.gz} becomes {@code wine_3_0.00}. */
    private static String defaultName(String name) {
        String base = name.replaceAll(".*[/\\\\]", "");
        return base.replaceAll("\\.(gz|bz2|xz|zst|lz4|snappy|sz|raw|veles)$", "");
    }

    private static Class<? extends Workflow> workflowClass(String name, String source, ClassLoader classLoader) {
        try {
            Class<?> type = Class.forName(name, false, classLoader); // not initialised: none of its code runs
            if (!Workflow.class.isAssignableFrom(type)) {
                throw new SnapshotException(source + " names " + name + ", which is not a workflow");
            }
            return type.asSubclass(Workflow.class);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SnapshotException(source + " is a snapshot of " + name + ", which is not on the class path"
                    + " (give its jar or classes directory with --class-path)");
        }
    }
}
