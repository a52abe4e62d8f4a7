package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.catalogue.Catalogue;
import com.example.catalogue.Catalogue.Boxed;
import com.example.catalogue.Catalogue.CatalogueWorkflow;
import com.example.catalogue.Catalogue.Shelf;
import com.fasterxml.jackson.core.Version;
import io.veles.errors.SnapshotException;
import io.veles.pickle.ClassAllowList;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.FreshJvm;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * What saves, restores: the catalogue of everyday values saves and comes back equal in a fresh
 * JVM, and what a restore would refuse is refused at save, in one line naming the field path and
 * the fix. Save and restore ask one rule, {@link ClassAllowList}.
 */
class CatalogueTest {
    private static final String JACKSON = "com.fasterxml.jackson.core";

    @TempDir
    Path dir;

    /** What each shelf must hold after a restore, by unit name. */
    static Map<String, Object> expected() {
        Map<String, Object> values = new LinkedHashMap<>(Catalogue.values());
        values.put("from another jar", new Boxed(new Version(2, 17, 1, null, "com.example", "catalogue")));
        return values;
    }

    /**
     * In a child JVM: {@code restore FILE [PACKAGE...]} restores FILE as a CatalogueWorkflow with
     * PACKAGEs allowed, then prints RESTORED and SAME or DIFF for each shelf, or REFUSED.
     */
    public static void main(String[] args) throws Exception {
        CatalogueWorkflow workflow;
        try (SnapshotReader reader =
                SnapshotReader.open(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))), args[1])) {
            workflow = Snapshots.restore(
                    reader, CatalogueWorkflow.class, Arrays.asList(args).subList(2, args.length));
        } catch (SnapshotException e) {
            System.out.println("REFUSED " + e.getMessage());
            return;
        }
        System.out.println("RESTORED");
        Map<String, Object> expected = expected();
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Shelf) {
                String difference = Catalogue.difference(expected.get(unit.name()), ((Shelf) unit).value);
                System.out.println((difference == null ? "SAME " : "DIFF ")
                        + unit.name()
                        + (difference == null ? "" : ": " + difference));
            }
        }
    }

    private List<String> restoreInFreshJvm(Path snapshot, String... packages) throws Exception {
        List<String> args = new ArrayList<>(List.of("restore", snapshot.toString()));
        args.addAll(List.of(packages));
        return FreshJvm.run(
                List.of("-Xmx256m", "-verbose:class"), null, CatalogueTest.class, args.toArray(String[]::new));
    }

    private static List<String> outcomes(List<String> output) {
        return output.stream()
                .filter(line -> line.matches("(RESTORED|REFUSED|SAME|DIFF).*"))
                .toList();
    }

    private Path save(CatalogueWorkflow workflow) throws Exception {
        Path snapshot = Files.createTempFile(dir, "catalogue", ".snap");
        Files.write(snapshot, RoundTrip.write(workflow));
        return snapshot;
    }

    @Tag("slow")
    @Test
    void everyEverydayValueSavesAndRestoresEqualInAFreshJvm() throws Exception {
        Map<String, Object> values = Catalogue.values();
        assertThat(values).hasSizeGreaterThanOrEqualTo(40);
        Path snapshot = save(Catalogue.workflow());

        List<String> outcomes = outcomes(restoreInFreshJvm(snapshot));
        List<String> expected = new ArrayList<>(List.of("RESTORED"));
        values.keySet().forEach(name -> expected.add("SAME " + name));
        assertThat(outcomes).containsExactlyElementsOf(expected);
    }

    @Test
    void theComparisonSeesWhatEqualityHides() {
        // The catalogue's test must be able to fail: behaviour that equals() ignores is compared too.
        Map<String, Object> values = Catalogue.values();
        assertThat(Catalogue.difference(values.get("LinkedHashMap in access order"), new LinkedHashMap<>((Map<?, ?>)
                        values.get("LinkedHashMap in access order"))))
                .contains("access order lost");
        assertThat(Catalogue.difference(values.get("EnumMap, empty"), new java.util.EnumMap<>(Catalogue.Color.class)))
                .contains("key type differs");
        assertThat(Catalogue.difference(
                        values.get("TreeMap with a comparator class"),
                        new java.util.TreeMap<>((Map<?, ?>) values.get("TreeMap"))))
                .isNotNull();
        assertThat(Catalogue.difference(values.get("EnumSet, empty"), java.util.EnumSet.noneOf(Catalogue.Color.class)))
                .isNotNull();
    }

    private static CatalogueWorkflow holding(Object value) {
        CatalogueWorkflow workflow = new CatalogueWorkflow();
        new Shelf(workflow, "from another jar", new Boxed(value));
        return workflow;
    }

    @Test
    void aClassFromAnotherJarIsRefusedAtSaveInOneLineNamingTheFieldPathAndTheFix() {
        CatalogueWorkflow workflow = holding(new Version(2, 17, 1, null, "com.example", "catalogue"));
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("cannot capture a " + JACKSON + ".Version: a restore would refuse it")
                .hasMessageContaining("RestoreRules.allowPackage(\"" + JACKSON + "\") or --allow-package " + JACKSON)
                .hasMessageContaining("mark the field transient or end its name with '_'")
                .hasMessageContaining("at unit 'from another jar' → Shelf.value → Boxed.content")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Tag("slow")
    @Test
    void aClassFromAnotherJarSavesWhenItsPackageIsAllowedAndRestoresOnlyWithTheSameRule() throws Exception {
        CatalogueWorkflow workflow = holding(new Version(2, 17, 1, null, "com.example", "catalogue"));
        workflow.useRestoreRules(
                RestoreRules.forWorkflow(CatalogueWorkflow.class).allowPackage(JACKSON));
        Path snapshot = save(workflow);

        List<String> refused = restoreInFreshJvm(snapshot);
        assertThat(outcomes(refused))
                .singleElement()
                .asString()
                .startsWith("REFUSED")
                .contains("names class " + JACKSON + ".Version, which is not allowed")
                .contains("--allow-package " + JACKSON);
        // Refused before the class was loaded: the JVM's class-loading log never names it.
        assertThat(refused).noneMatch(line -> line.contains(JACKSON + ".Version "));

        assertThat(outcomes(restoreInFreshJvm(snapshot, JACKSON))).containsExactly("RESTORED", "SAME from another jar");
    }

    @Test
    void aRestoredWorkflowKeepsTheRulesItWasRestoredWith() {
        CatalogueWorkflow workflow = holding(new Version(1, 0, 0, null, "g", "a"));
        RestoreRules rules = RestoreRules.forWorkflow(CatalogueWorkflow.class).allowPackage(JACKSON);
        workflow.useRestoreRules(rules);
        byte[] snapshot = RoundTrip.write(workflow);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "test")) {
            CatalogueWorkflow restored = Snapshots.restore(reader, CatalogueWorkflow.class, rules);
            assertThat(restored.restoreRules()).isSameAs(rules);
            assertThat(RoundTrip.write(restored)).isNotEmpty(); // its next snapshot saves under the same rules
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aJdkClassOutsideTheValueTypesIsRefusedAtSaveWithoutAdviceToOpenAJdkPackage() throws Exception {
        CatalogueWorkflow workflow = holding(new URL("http://example.com/"));
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .hasMessageContaining("cannot capture a java.net.URL: a restore would refuse it")
                .hasMessageContaining("Shelf.value → Boxed.content")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("--allow-package java.net"));
    }

    @Test
    void aSaveRefusesExactlyWhatTheRestoreAllowlistRefuses() throws Exception {
        // Kryo has serializers for all of these: only the allowlist decides, on both sides.
        ClassAllowList allowList =
                RestoreRules.forWorkflow(CatalogueWorkflow.class).allowList();
        List<Object> candidates = List.of(
                new Version(1, 0, 0, null, "g", "a"),
                new URL("http://example.com/"),
                new java.util.Date(0),
                java.util.Locale.GERMANY,
                java.util.regex.Pattern.compile("a+"),
                java.nio.charset.StandardCharsets.UTF_8,
                java.util.Currency.getInstance("EUR"),
                new java.util.concurrent.ConcurrentSkipListMap<>(),
                String.class,
                new com.example.labels.Label("l", 1),
                java.util.UUID.randomUUID(),
                Path.of("a"),
                new Object());
        for (Object candidate : candidates) {
            String name = AllowListClassResolver.writtenName(candidate.getClass());
            boolean saved;
            try {
                RoundTrip.write(holding(candidate));
                saved = true;
            } catch (SnapshotException e) {
                assertThat(e.getMessage()).contains("cannot capture a ");
                saved = false;
            }
            assertThat(saved).as(name).isEqualTo(allowList.allows(name));
        }
    }

    private static byte[] written(Object map, com.esotericsoftware.kryo.Serializer<?> serializer) {
        SnapshotKryo session = new SnapshotKryo(new PickleContext(), null, true);
        com.esotericsoftware.kryo.io.Output output = new com.esotericsoftware.kryo.io.Output(256, -1);
        if (serializer == null) {
            session.kryo.writeObject(output, map);
        } else {
            session.kryo.writeObject(output, map, serializer);
        }
        return output.toBytes();
    }

    @Test
    void aLinkedHashMapInInsertionOrderIsWrittenExactlyAsBefore() {
        // Snapshots of today's format must keep restoring: only an access-ordered map gains a mark.
        LinkedHashMap<String, Integer> inserted = new LinkedHashMap<>(Map.of("a", 1));
        assertThat(written(inserted, null)).isEqualTo(written(inserted, new BoundedContainers.Maps()));
        LinkedHashMap<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
        lru.put("a", 1);
        byte[] marked = written(lru, null);
        byte[] plain = written(lru, new BoundedContainers.Maps());
        // The reference byte, then the five-byte mark, then the bytes an insertion-ordered map has.
        assertThat(marked).hasSize(plain.length + 5);
        assertThat(Arrays.copyOfRange(marked, 6, marked.length)).isEqualTo(Arrays.copyOfRange(plain, 1, plain.length));
    }

    @Test
    void theWorkflowsOwnCodeSourceIsAllowedAndNothingElseOfTheClassPath() {
        ClassAllowList allowList =
                RestoreRules.forWorkflow(CatalogueWorkflow.class).allowList();
        assertThat(allowList.allows("com.example.labels.Label")).isTrue(); // another package, same classes directory
        assertThat(allowList.allows("[Lcom.example.labels.Label;")).isTrue();
        assertThat(allowList.allows(JACKSON + ".Version")).isFalse(); // a jar of the class path
        assertThat(allowList.allows("org.junit.jupiter.api.Test")).isFalse();
        assertThat(allowList.allows("com.example.labels.Missing")).isFalse(); // no such class file
        assertThat(allowList.allows("java.util.Random")).isFalse();
        assertThat(allowList.allows("..com.example.labels.Label")).isFalse(); // not a class name
        assertThat(allowList.withPackages(List.of(JACKSON)).allows(JACKSON + ".Version"))
                .isTrue();
    }

    @Test
    void aSortedCollectionWithAJdkComparatorIsRefusedAtSave() {
        java.util.TreeMap<String, Integer> reversed = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.put("a", 1);
        assertThatThrownBy(() -> RoundTrip.write(holding(reversed)))
                .hasMessageContaining("cannot capture a java.util.Collections$ReverseComparator")
                .hasMessageContaining("Shelf.value → Boxed.content");
    }

    @Test
    void randomGeneratorsAreRefusedWithAPointerToTheCapturedGenerator() {
        for (Object generator : List.of(new Random(7), new SecureRandom(), new SplittableRandom(7))) {
            CatalogueWorkflow workflow = holding(generator);
            assertThatThrownBy(() -> RoundTrip.write(workflow))
                    .hasMessageContaining(
                            "cannot capture a " + generator.getClass().getName())
                    .hasMessageContaining("draw from the workflow's captured generator random() (io.veles.random.Prng)")
                    .hasMessageContaining("Shelf.value → Boxed.content");
        }
    }

    @Test
    void anInstanceLoggerIsRefusedWithAdviceToMakeItStatic() {
        CatalogueWorkflow workflow = holding(LoggerFactory.getLogger(CatalogueTest.class));
        assertThatThrownBy(() -> RoundTrip.write(workflow))
                .hasMessageContaining("a logger is not state; make the field static")
                .hasMessageContaining("Shelf.value → Boxed.content");
    }

    @Test
    void aPathOfAnotherFileSystemIsRefusedAtSave() throws Exception {
        Path zip = dir.resolve("data.zip");
        try (FileSystem zipfs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            CatalogueWorkflow workflow = holding(zipfs.getPath("/inside.txt"));
            assertThatThrownBy(() -> RoundTrip.write(workflow))
                    .hasMessageContaining("only paths of the default file system are captured")
                    .hasMessageContaining("Shelf.value → Boxed.content");
        }
    }
}
