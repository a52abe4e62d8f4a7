package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.pickle.ClassAllowList;
import io.veles.pickle.RestoreRules;
import io.veles.testing.FreshJvm;
import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * A snapshot is data, never code: one that names a class outside the allowlist is refused before
 * that class is loaded. Restores run in a fresh JVM, where the classes have not been loaded yet.
 */
class HostileSnapshotTest {
    @TempDir
    Path dir;

    /** Holds whatever a hostile snapshot would carry. */
    static final class Carrier extends Unit {
        Object cargo;

        Carrier(Workflow workflow) {
            super(workflow, "carrier");
        }

        @Override
        public void run() {}
    }

    /** The workflow the restoring side expects; its package is allowed. */
    public static final class CarrierWorkflow extends Workflow {
        public CarrierWorkflow() {
            super("carrier");
        }
    }

    /** A link of a chain of plain objects, nested one inside the next. */
    static final class Node {
        Node next;
    }

    static CarrierWorkflow deeplyNested(int depth) {
        CarrierWorkflow workflow = new CarrierWorkflow();
        Node head = new Node();
        Node node = head;
        for (int i = 1; i < depth; i++) {
            node.next = new Node();
            node = node.next;
        }
        new Carrier(workflow).cargo = head;
        return workflow;
    }

    /**
     * In a child JVM: {@code restore FILE} restores FILE as a CarrierWorkflow and prints the
     * outcome; {@code write-deep FILE DEPTH} writes a snapshot with a chain DEPTH objects deep.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("write-deep")) {
            Files.write(Path.of(args[1]), RoundTrip.write(deeplyNested(Integer.parseInt(args[2]))));
            return;
        }
        try {
            RoundTrip.restore(Files.readAllBytes(Path.of(args[1])), CarrierWorkflow.class);
            System.out.println("RESTORED");
        } catch (RuntimeException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }

    private String restoreInFreshJvm(Path snapshot, Path marker) throws Exception {
        return restoreInFreshJvm(snapshot, marker, "-Xmx256m");
    }

    private String restoreInFreshJvm(Path snapshot, Path marker, String heap) throws Exception {
        return childJvm(heap, "-Dveles.test.marker=" + marker, "restore", snapshot.toString());
    }

    private static String childJvm(String option, String property, String... args) throws Exception {
        return childJvm(null, option, property, args);
    }

    /** {@code classPathFirst}, unless null, goes ahead of the tests' class path. */
    private static String childJvm(Path classPathFirst, String option, String property, String... args)
            throws Exception {
        return FreshJvm.run(
                        List.of(option, property),
                        classPathFirst == null ? null : classPathFirst.toString(),
                        HostileSnapshotTest.class,
                        args)
                .stream()
                .filter(line -> line.startsWith("RESTORED") || line.startsWith("REFUSED"))
                .findFirst()
                .orElse("");
    }

    @Tag("slow")
    @Test
    void aClassWithAStaticInitialiserOutsideTheAllowlistIsNeverLoaded() throws Exception {
        Path marker = dir.resolve("marker");
        CarrierWorkflow workflow = new CarrierWorkflow();
        new Carrier(workflow).cargo = new io.evil.Marker(); // initialised here, where no marker is set
        Path snapshot = dir.resolve("evil.snap");
        Files.write(snapshot, RoundTrip.write(workflow)); // saved: here Marker lies beside the workflow class
        // The restoring JVM finds Marker in a directory of its own, as a class from elsewhere would be:
        // neither its package nor its code source is allowed there.
        Path elsewhere = dir.resolve("elsewhere");
        Path markerClass = elsewhere.resolve("io/evil/Marker.class");
        Files.createDirectories(markerClass.getParent());
        try (java.io.InputStream in = io.evil.Marker.class.getResourceAsStream("Marker.class")) {
            Files.copy(in, markerClass);
        }

        String outcome =
                childJvm(elsewhere, "-Xmx256m", "-Dveles.test.marker=" + marker, "restore", snapshot.toString());
        assertThat(outcome).startsWith("REFUSED").contains("names class io.evil.Marker, which is not allowed");
        assertThat(marker).doesNotExist();
    }

    @Tag("slow")
    @Test
    void aJdkGadgetClassIsRefused() throws Exception {
        // URLDNS: a HashMap keyed by a java.net.URL makes the JDK resolve the host on restore.
        CarrierWorkflow workflow = new CarrierWorkflow();
        HashMap<Object, Object> gadget = new HashMap<>();
        gadget.put(new URL("http://gadget.invalid/"), "x");
        new Carrier(workflow).cargo = gadget;
        // Refused at save under the workflow's rules; crafted here by a writer that allows java.net.
        assertThatThrownBy(() -> RoundTrip.write(workflow)).hasMessageContaining("cannot capture a java.net.URL");
        workflow.useRestoreRules(RestoreRules.forWorkflow(CarrierWorkflow.class).allowPackage("java.net"));
        Path snapshot = dir.resolve("gadget.snap");
        Files.write(snapshot, RoundTrip.write(workflow));

        assertThat(restoreInFreshJvm(snapshot, dir.resolve("unused")))
                .startsWith("REFUSED")
                .contains("names class java.net.URL, which is not allowed");
    }

    @Tag("slow")
    @Test
    void stateLargerThanTheHeapIsRefusedBeforeReading() throws Exception {
        CarrierWorkflow workflow = new CarrierWorkflow();
        new Carrier(workflow).cargo = new float[10 << 20]; // 40 MiB
        Path snapshot = dir.resolve("big.snap");
        Files.write(snapshot, RoundTrip.write(workflow, io.veles.snapshot.codec.Codec.ZSTD));
        assertThat(Files.size(snapshot)).isLessThan(1 << 20); // zeros: a small file that expands a lot

        assertThat(restoreInFreshJvm(snapshot, dir.resolve("unused"), "-Xmx24m"))
                .startsWith("REFUSED")
                .containsPattern("holds 40\\.\\d MiB of state, more than this JVM's whole heap")
                .contains("restore with a larger -Xmx");
        assertThat(restoreInFreshJvm(snapshot, dir.resolve("unused"), "-Xmx256m"))
                .isEqualTo("RESTORED");
    }

    @Tag("slow")
    @Test
    void objectsNestedBeyondTheBoundAreRefusedWhenWrittenAndWhenRead() throws Exception {
        assertThatThrownBy(() -> RoundTrip.write(deeplyNested(2000)))
                .hasMessageContaining("objects nest deeper than 512 levels")
                .hasMessageContaining("unit 'carrier'");
        // A snapshot crafted past the bound, by a JVM that raised it, is refused by one that did not.
        Path deep = dir.resolve("deep.snap");
        childJvm("-Xss64m", "-Dveles.snapshot.maxDepth=5000", "write-deep", deep.toString(), "2000");
        assertThat(deep).exists();
        assertThat(restoreInFreshJvm(deep, dir.resolve("unused")))
                .startsWith("REFUSED")
                .contains("objects nest deeper than 512 levels");
    }

    @Test
    void allowedClassesRestoreAndExtraPackagesCanBeAllowed() {
        ClassAllowList allow = ClassAllowList.forWorkflow(CarrierWorkflow.class, List.of("io.evil"));
        assertThat(allow.allows("io.evil.Marker")).isTrue();
        assertThat(allow.allows("[Lio.evil.Marker;")).isTrue();
        assertThat(allow.allows("[[F")).isTrue();
        assertThat(allow.allows("java.util.ArrayList")).isTrue();
        assertThat(allow.allows("java.net.URL")).isFalse();
        assertThat(allow.allows("io.velesx.Thing")).isFalse();
        assertThat(allow.allows("javax.management.BadAttributeValueExpException"))
                .isFalse();
    }
}
