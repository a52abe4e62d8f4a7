package io.veles.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veles.errors.SnapshotException;
import io.veles.internal.util.ByteCounts;
import io.veles.internal.util.Printable;
import io.veles.snapshot.SnapshotListing;
import io.veles.snapshot.SnapshotStores;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.store.SnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code veles snapshot ls STORE}: one line per snapshot, oldest first. */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "List the snapshots of a directory or a database table, oldest first.",
            "One line each: name, time (UTC), workflow, codec, its own stored size, the decision's epoch "
                    + "and metric where recorded, whether prune must keep it (pinned, or current: what a resume "
                    + "from the store would take), and its chain: BASE is the snapshot a differential one was "
                    + "written against (- for a standalone one, ? where its manifest cannot be read) and CHAIN how "
                    + "many other files a restore of it reads."
        },
        footer = {
            "",
            "Examples:",
            "  veles snapshot ls snapshots",
            "  veles snapshot ls --verify 'odbc://DRIVER={SQLite3};DATABASE=snapshots.db'",
            "  veles snapshot ls --json \\",
            "      'odbc://DRIVER={MariaDB};SERVER=db;DATABASE=test;UID=me;PWD=secret&veles'"
        })
final class ListCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Parameters(
            paramLabel = "STORE",
            description =
                    "A snapshot directory, odbc://<odbc string>[&<table>[&<id>[&<log_id>[&<name>]]]], or s3://bucket/prefix.")
    String store;

    @Option(names = "--verify", description = "Read each snapshot whole and check it (slower).")
    boolean verify;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        try (SnapshotStore opened = SnapshotStores.open(store)) {
            return list(opened);
        }
    }

    private int list(SnapshotStore opened) throws IOException {
        List<SnapshotListing.Entry> entries = SnapshotListing.list(opened, true);
        Map<String, String> protections = opened.protections();
        int broken = 0;
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        mapper.getFactory().setCharacterEscapes(Printable.JSON);
        ArrayNode array = mapper.createArrayNode();
        if (!json) {
            System.out.printf(
                    "%-28s %-19s %-14s %-6s %10s %6s %10s %-7s %-28s %5s%s  %s%n",
                    "NAME",
                    "CREATED (UTC)",
                    "WORKFLOW",
                    "CODEC",
                    "SIZE",
                    "EPOCH",
                    "METRIC",
                    "KEPT",
                    "BASE",
                    "CHAIN",
                    verify ? "  CHECK " : "",
                    "SOURCE");
        }
        for (SnapshotListing.Entry entry : entries) {
            String check = entry.problem();
            if (verify && check == null) {
                check = verify(opened, entry);
            }
            if (check != null) {
                broken++;
            }
            Map<String, Object> info = entry.manifest() != null ? entry.manifest().info : Map.of();
            if (json) {
                ObjectNode node = array.addObject();
                node.put("name", entry.name());
                node.put("created", entry.created().toString());
                node.put("workflow", entry.workflow());
                node.put("codec", entry.codec());
                node.put("bytes", entry.bytes());
                node.put("source", entry.source());
                node.put(
                        "pinned",
                        "pinned".equals(protections.get(entry.snapshot().key())));
                node.put(
                        "current",
                        "current".equals(protections.get(entry.snapshot().key())));
                if (entry.manifest() != null) {
                    // null and [] for a standalone snapshot: tools need not tell absent from unread
                    node.put("base", entry.manifest().base);
                    ArrayNode chain = node.putArray("chain");
                    BaseChain.of(entry.manifest()).forEach(chain::add);
                    node.put("id", entry.manifest().id);
                    node.put("log_id", entry.manifest().logId);
                    node.set("info", mapper.valueToTree(info));
                }
                if (verify || entry.problem() != null) {
                    node.put("ok", check == null);
                }
                if (check != null) {
                    node.put("problem", check);
                }
            } else {
                // names, workflow, info and file names come from the store: shown escaped
                System.out.printf(
                        "%-28s %-19s %-14s %-6s %10s %6s %10s %-7s %-28s %5s%s  %s%n",
                        Printable.escape(entry.name()),
                        TIME.format(entry.created()),
                        Printable.escape(entry.workflow()),
                        entry.codec().isEmpty() ? "none" : Printable.escape(entry.codec()),
                        ByteCounts.format(entry.bytes()),
                        text(info.get("epoch")),
                        metric(info.get("validation_error")),
                        protections.getOrDefault(entry.snapshot().key(), "-"),
                        entry.manifest() == null ? "?" : Printable.escape(BaseChain.baseName(entry.manifest())),
                        entry.manifest() == null
                                ? "?"
                                : String.valueOf(BaseChain.of(entry.manifest()).size()),
                        verify ? (check == null ? "  OK     " : "  FAILED ") : "",
                        Printable.escape(entry.source()));
                if (check != null) {
                    System.out.println("    " + Printable.escape(check));
                }
            }
        }
        if (json) {
            System.out.println(mapper.writeValueAsString(array));
        } else if (entries.isEmpty()) {
            System.out.println("(no snapshots in " + Printable.escape(SnapshotStores.redacted(store)) + ")");
        }
        if (broken > 0) {
            System.err.printf(
                    "veles: %d of %d listed %s%n",
                    broken,
                    entries.size(),
                    verify
                            ? "did not verify"
                            : "do not read as snapshots (a user's file beside them, damage, or the store's failure)");
        }
        // A listing shows what a store holds, a README beside the snapshots too; a damaged
        // snapshot fails the command only when it was asked to check them (--verify). A store
        // that failed to deliver one (a lost connection, a refused read) fails it always.
        boolean storeFailed = entries.stream().anyMatch(SnapshotListing.Entry::storeFailed);
        return storeFailed || verify && broken > 0 ? Main.FAILED : 0;
    }

    private static String verify(SnapshotStore opened, SnapshotListing.Entry entry) {
        try (SnapshotReader reader = Snapshots.open(opened, entry.snapshot(), entry.source(), null)) {
            reader.verify();
            return null;
        } catch (SnapshotException | IOException e) {
            return Main.oneLine(e);
        }
    }

    private static String text(Object value) {
        return value == null ? "-" : Printable.escape(value);
    }

    private static String metric(Object value) {
        return value instanceof Number
                ? String.format(java.util.Locale.ROOT, "%.4f", ((Number) value).doubleValue())
                : text(value);
    }
}
