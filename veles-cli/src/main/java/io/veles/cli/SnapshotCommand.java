package io.veles.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veles.errors.SnapshotException;
import io.veles.internal.store.HttpDownload;
import io.veles.internal.util.ByteCounts;
import io.veles.internal.util.Printable;
import io.veles.snapshot.SnapshotStores;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.ClassDescription;
import io.veles.snapshot.format.CodeExtraction;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.snapshot.format.UnitSummary;
import io.veles.snapshot.store.SnapshotSource;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code veles snapshot ls|verify|inspect|diff|convert|prune|pin|extract-code|report|export|import-veles}. */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = "List, check, compare, convert and prune snapshots, in directories or database tables.",
        footer = {
            "",
            "Examples:",
            "  veles snapshot ls snapshots",
            "  veles snapshot inspect snapshots",
            "  veles snapshot diff snapshots/wine_2_3.77.gz snapshots/wine_3_0.00.gz",
            "  veles snapshot prune snapshots --keep-last 5 --dry-run",
            "  veles snapshot <command> --help     # each command's options and examples"
        },
        subcommands = {
            ListCommand.class,
            DiffCommand.class,
            ConvertCommand.class,
            PruneCommand.class,
            PinCommand.class,
            SnapshotCommand.Verify.class,
            SnapshotCommand.Inspect.class,
            SnapshotCommand.ExtractCode.class,
            ReportCommand.class,
            ExportCommand.class,
            ImportVelesCommand.class
        })
final class SnapshotCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Read whole snapshots and check their codec streams, lengths and checksums.",
                "A directory: every snapshot file in it (--current: only its newest _current). "
                        + "Prints a line per snapshot and what was checked; exit 0 when all are whole, else 1."
            },
            footer = {
                "",
                "Examples:",
                "  veles snapshot verify snapshots            # every snapshot in it",
                "  veles snapshot verify snapshots --current  # its newest alone",
                "  veles snapshot verify snapshots/walk_current.gz",
                "  veles snapshot verify 'odbc://DRIVER={SQLite3};DATABASE=snapshots.db'",
                "                                     # the newest row of table veles"
            })
    static final class Verify implements Callable<Integer> {
        @Parameters(
                paramLabel = "SRC",
                description =
                        "A snapshot file, a directory (every snapshot in it), odbc://<odbc string>&<table>&<id>&<log_id>[&<name>], an s3:// location or an http(s):// address.")
        String source;

        @Option(
                names = "--key",
                paramLabel = "FILE",
                description = "Also check the snapshot's signature with the key in FILE.")
        Path keyFile;

        @Option(
                names = "--current",
                description = "For a directory, check only its newest snapshot (the newest _current link's target).")
        boolean current;

        @Override
        public Integer call() throws IOException {
            SnapshotKey key = keyFile == null ? null : SnapshotKey.fromFile(keyFile);
            if (HttpDownload.matches(source) || current) {
                return verifyOne(source, key) ? 0 : Main.FAILED;
            }
            try (SnapshotSource named = SnapshotStores.source(source)) {
                return named.namesOne() ? (verifyOne(source, key) ? 0 : Main.FAILED) : verifyAll(named.store(), key);
            }
        }

        /** Checks every snapshot of {@code store}, a line each; exit 0 only when all are whole. */
        private static int verifyAll(SnapshotStore store, SnapshotKey key) throws IOException {
            List<StoredSnapshot> snapshots = store.list();
            int whole = 0;
            for (StoredSnapshot snapshot : snapshots) {
                try (SnapshotReader reader = Snapshots.open(store, snapshot, snapshot.location(), key)) {
                    if (verified(reader, key)) {
                        whole++;
                    }
                } catch (SnapshotException e) {
                    System.out.printf("%s: FAILED (%s)%n", Printable.escape(snapshot.location()), Main.oneLine(e));
                }
            }
            System.out.printf(
                    "checked %d snapshot file%s in %s%s: %d whole, %d not%n",
                    snapshots.size(),
                    snapshots.size() == 1 ? "" : "s",
                    Printable.escape(store.describe()),
                    key != null ? " with signatures" : "",
                    whole,
                    snapshots.size() - whole);
            if (snapshots.isEmpty()) {
                System.err.println("veles: error: " + Printable.escape(store.describe()) + " holds no snapshot file");
                return Main.FAILED;
            }
            return whole == snapshots.size() ? 0 : Main.FAILED;
        }

        /** Checks one snapshot and prints what it holds; false if it is not whole. */
        private static boolean verifyOne(String source, SnapshotKey key) throws IOException {
            try (SnapshotReader reader = Snapshots.open(source, key)) {
                return verified(reader, key);
            }
        }

        /** Checks what {@code reader} reads and prints what it holds; false if it is not whole. */
        private static boolean verified(SnapshotReader reader, SnapshotKey key) throws IOException {
            long bytes = reader.verify();
            Manifest manifest = reader.manifest();
            System.out.printf(
                    "%s: OK (%s, %s, %d units, %s of state%s)%n",
                    Printable.escape(reader.source()),
                    Printable.escape(manifest.name),
                    reader.codec().argument(),
                    manifest.units.size(),
                    ByteCounts.format(manifest.payloadBytes),
                    key != null ? ", signature checked" : reader.isSigned() ? ", signed, not checked" : "");
            return bytes > 0;
        }
    }

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = {
                "Show a snapshot's manifest: workflow, run, code fingerprint, and units by size.",
                "For a differential snapshot also its base and chain (the files a restore reads), and per "
                        + "unit the bytes rewritten in this file and the bytes referenced from the chain."
            },
            footer = {
                "",
                "Examples:",
                "  veles snapshot inspect snapshots",
                "  veles snapshot inspect --json snapshots/walk_00010.gz",
                "  veles snapshot inspect --schema snapshots"
            })
    static final class Inspect implements Callable<Integer> {
        @Parameters(
                paramLabel = "SRC",
                description =
                        "A snapshot file, a directory (its newest _current), odbc://<odbc string>&<table>&<id>&<log_id>[&<name>], an s3:// location or an http(s):// address.")
        String source;

        @Option(names = "--json", description = "Print the manifest as JSON.")
        boolean json;

        @Option(
                names = "--schema",
                description =
                        "Show the classes the snapshot captured, with their fields and types: what restoring it expects of the code.")
        boolean schema;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (json && schema) { // the JSON holds the classes already; --schema would be ignored
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--json prints the whole manifest, its classes included: give one of" + " --json and --schema");
            }
            try (SnapshotReader reader = Snapshots.open(source)) {
                Manifest manifest = reader.manifest();
                if (json) {
                    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                    mapper.getFactory().setCharacterEscapes(Printable.JSON);
                    ObjectNode node = mapper.valueToTree(manifest);
                    node.put("source", reader.source());
                    node.put("format", reader.formatVersion());
                    System.out.println(mapper.writeValueAsString(node));
                } else if (schema) {
                    printSchema(manifest);
                } else {
                    printHuman(reader, manifest);
                }
                return 0;
            }
        }

        private static void printSchema(Manifest manifest) {
            System.out.printf("code %s%n", Printable.escape(manifest.codeFingerprint));
            for (ClassDescription type : manifest.classes) {
                System.out.printf(
                        "%n%s%s%n",
                        Printable.escape(type.name()), type.customState() ? "  (custom getState/setState)" : "");
                for (ClassDescription.FieldDescription field : type.fields()) {
                    System.out.printf("  %-28s %s%n", Printable.escape(field.name()), Printable.escape(field.type()));
                }
            }
        }

        /** Every string of the manifest is shown with {@link Printable#escape}: it may hold anything. */
        private static void printHuman(SnapshotReader reader, Manifest manifest) throws IOException {
            System.out.printf("snapshot     %s%n", Printable.escape(manifest.name));
            System.out.printf(
                    "source       %s (%s)%n",
                    Printable.escape(reader.source()), reader.codec().argument());
            System.out.printf(
                    "workflow     %s (%s)%n",
                    Printable.escape(manifest.workflowName), Printable.escape(manifest.workflowClass));
            System.out.printf("created      %s%n", Printable.escape(manifest.created));
            System.out.printf(
                    "run          id %s, log_id %s%n", Printable.escape(manifest.id), Printable.escape(manifest.logId));
            System.out.printf(
                    "writer       %s, format %d%n", Printable.escape(manifest.writer), reader.formatVersion());
            System.out.printf("code         %s%n", Printable.escape(manifest.codeFingerprint));
            // inspect reads no key: say so, so that "yes" is not taken for a checked signature
            System.out.printf(
                    "signed       %s%n",
                    reader.isSigned()
                            ? "yes (HMAC-SHA256) (not checked: no key; veles snapshot verify --key FILE checks it)"
                            : "no");
            System.out.printf("code backup  %s%n", reader.hasCodeBackup() ? "yes (veles snapshot extract-code)" : "no");
            System.out.printf(
                    "state        %s in %d units, %d classes%n",
                    ByteCounts.format(manifest.payloadBytes), manifest.units.size(), manifest.classes.size());
            System.out.printf("chain        %s%n", chainLine(manifest));
            for (Map.Entry<String, Object> entry : manifest.info.entrySet()) {
                System.out.printf("%-12s %s%n", Printable.escape(entry.getKey()), Printable.escape(entry.getValue()));
            }
            System.out.println();
            System.out.println("units, largest first:");
            for (UnitSummary unit : manifest.largestUnits(manifest.units.size())) {
                System.out.printf(
                        "  %-24s %12s  %s%n",
                        Printable.escape(unit.name()), ByteCounts.format(unit.bytes()), Printable.escape(unit.type()));
            }
            if (reader.isDifferential()) {
                printShares(reader.unitShares());
            }
        }

        /** Where a restore of it reads its state from: this file alone, or this and its chain. */
        private static String chainLine(Manifest manifest) {
            if (!manifest.isDifferential()) {
                return "standalone";
            }
            List<String> chain = BaseChain.of(manifest);
            return Printable.escape("differential: base " + manifest.base + ", chain " + chain.size() + " file"
                    + (chain.size() == 1 ? "" : "s") + " (" + String.join(", ", chain) + ")");
        }

        /** Per unit, what this differential snapshot rewrote and what it references (read from its own records). */
        private static void printShares(List<SnapshotReader.UnitShare> shares) {
            System.out.println();
            System.out.println("units, rewritten here and referenced from the chain:");
            System.out.printf("  %-24s %12s %12s%n", "UNIT", "STORED HERE", "REFERENCED");
            for (SnapshotReader.UnitShare share : shares) {
                System.out.printf(
                        "  %-24s %12s %12s%n",
                        Printable.escape(share.unit()),
                        ByteCounts.format(share.storedBytes()),
                        ByteCounts.format(share.referencedBytes()));
            }
        }
    }

    @Command(
            name = "extract-code",
            mixinStandardHelpOptions = true,
            description = {
                "Write out the workflow code a snapshot carries (taken with --code-backup).",
                "The snapshot is checked whole first; nothing is loaded or run. Every entry is checked "
                        + "before anything is written: no path outside DIR or through a link in it, no duplicate, "
                        + "no existing file replaced without --force, and at most --max-size bytes in all."
            },
            footer = {
                "",
                "Example:",
                "  veles run walk --code-backup --snapshot-dir with-code",
                "  veles snapshot extract-code with-code walk-code"
            })
    static final class ExtractCode implements Callable<Integer> {
        @Parameters(
                index = "0",
                paramLabel = "SRC",
                description = "A snapshot file, or a directory (its newest _current).")
        String source;

        @Parameters(index = "1", paramLabel = "DIR", description = "Where to write the code.")
        Path directory;

        @Option(names = "--force", description = "Replace files that already exist in DIR (links are never followed).")
        boolean force;

        @Option(
                names = "--max-size",
                paramLabel = "BYTES",
                converter = ByteSizeConverter.class,
                description = "Refuse a code backup that expands to more than this (default: 256M).")
        long maxBytes = CodeExtraction.DEFAULT_MAX_BYTES;

        @Override
        public Integer call() throws IOException {
            try (SnapshotReader reader = Snapshots.open(source)) {
                int files = new CodeExtraction(directory, force, maxBytes).extract(reader.readCodeBackup());
                System.out.printf(
                        "%s: wrote %d file%s of %s's code into %s%n",
                        Printable.escape(reader.source()),
                        files,
                        files == 1 ? "" : "s",
                        Printable.escape(reader.manifest().workflowClass),
                        directory);
                return 0;
            }
        }
    }
}
